"""The platform registry: every :class:`Platform` fleetaudit knows.

A platform is one package declaring one ``Platform`` (or a family declaring several):
how to connect, what may be sent, what a refusal and a whole output look like, and
where its parsers, collector, firewall planner, lab device and scrubber are (as
``module:attribute`` references, loaded on first use). The stages ask this registry and
name no platform.

Platforms come from the entry-point group ``fleetaudit.platforms`` (an entry point naming
a ``Platform``, a tuple of them, or a callable returning one or several); the built-in ones
are declared there too (pyproject.toml) and also imported directly, so a source checkout
whose installed metadata is older still finds them. A built-in name wins over a package's.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

from fleetaudit.errors import UsageError
from fleetaudit.platforms.base import Platform, load

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


def family(name: str) -> tuple[str, ...]:
    """The platforms of a family (``"phone"``)."""
    return tuple(p.name for p in registry().values() if p.family == name)


def is_of(platform: str, family_name: str) -> bool:
    found = registry().get(platform)
    return found is not None and found.family == family_name


__all__ = ["Platform", "family", "get", "is_of", "load", "names", "registry"]
