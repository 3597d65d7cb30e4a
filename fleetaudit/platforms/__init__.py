"""The platform registry: every :class:`Platform` fleetaudit knows.

Built-in platforms live in this package; a third-party package adds one through the
entry-point group ``fleetaudit.platforms`` (an entry point naming a ``Platform`` object,
or a callable returning one or several).
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

from fleetaudit.errors import UsageError
from fleetaudit.platforms.base import Platform

ENTRY_POINT_GROUP = "fleetaudit.platforms"


@cache
def registry() -> dict[str, Platform]:
    from fleetaudit.platforms import asterisk, cisco_asa, cisco_ios, mikrotik_routeros, phones

    found: dict[str, Platform] = {}
    for platform in (
        cisco_ios.PLATFORM,
        cisco_asa.PLATFORM,
        mikrotik_routeros.PLATFORM,
        *phones.PLATFORMS,
        asterisk.PLATFORM,
    ):
        found[platform.name] = platform
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        loaded = entry.load()
        if callable(loaded) and not isinstance(loaded, Platform):
            loaded = loaded()
        for platform in loaded if isinstance(loaded, list | tuple) else (loaded,):
            if isinstance(platform, Platform):
                found.setdefault(platform.name, platform)
    return found


def names() -> tuple[str, ...]:
    return tuple(registry())


def get(name: str) -> Platform:
    try:
        return registry()[name]
    except KeyError:
        raise UsageError(f"unknown platform {name!r}; use one of {', '.join(registry())}") from None


__all__ = ["Platform", "get", "names", "registry"]
