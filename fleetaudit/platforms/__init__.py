"""The platform registry: every :class:`Platform` fleetaudit knows.

A platform is one package declaring one ``Platform`` (or a family declaring several):
how to connect, what may be sent, what a refusal and a whole output look like, which
device roles it serves, and where its parsers, collector, firewall planner, lab device and
secret filters are (as ``module:attribute`` references, loaded on first use). The stages
ask this registry and name no platform.

Built-in platforms are found, not listed: every sub-package of this package that exports
``PLATFORM`` (a ``Platform`` or a tuple of them) or ``PLATFORMS`` is one; a sub-package
exporting neither is a kit the platforms share. Deleting a platform's package removes the
platform. Platforms of other packages come from the entry-point group
``fleetaudit.platforms`` (an entry point naming a ``Platform``, a tuple of them, or a
callable returning one or several). A built-in name wins over a package's.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from functools import cache
from importlib.metadata import entry_points
from typing import Any

from fleetaudit.errors import UsageError
from fleetaudit.platforms.base import Platform, load

ENTRY_POINT_GROUP = "fleetaudit.platforms"


def _declared(exported: Any) -> Iterable[Platform]:
    if callable(exported) and not isinstance(exported, Platform):
        exported = exported()
    for platform in exported if isinstance(exported, list | tuple) else (exported,):
        if isinstance(platform, Platform):
            yield platform


def _built_in() -> Iterable[Platform]:
    for module in pkgutil.iter_modules(__path__, f"{__name__}."):
        if not module.ispkg:
            continue
        package = importlib.import_module(module.name)
        for exported in (getattr(package, "PLATFORM", None), getattr(package, "PLATFORMS", ())):
            yield from _declared(exported)


def _from_packages() -> Iterable[Platform]:
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        # an older install's metadata may still declare a built-in package (one since
        # removed from the tree, too): built-ins are found above, never through metadata
        if entry.value.startswith(f"{__name__}."):
            continue
        yield from _declared(entry.load())


@cache
def registry() -> dict[str, Platform]:
    found: dict[str, Platform] = {}
    for platform in _built_in():
        found[platform.name] = platform
    for platform in _from_packages():
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


def roles() -> tuple[str, ...]:
    """Every device role some platform serves (``Platform.roles``), in the registry's order."""
    return tuple(dict.fromkeys(role for p in registry().values() for role in p.roles))


__all__ = ["Platform", "family", "get", "is_of", "load", "names", "registry", "roles"]
