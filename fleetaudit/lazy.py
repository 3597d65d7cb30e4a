"""Modules a dependency imports at start-up for a feature fleetaudit never asks for, bound
as stand-ins that import the real module on first attribute access.

paramiko imports ``invoke`` (and with it unittest.mock, asyncio and a vendored PyYAML:
about 15 MB and 0.1 s of CPU per run) for ``Match exec`` in an OpenSSH config file, which
the collectors never read; should anything use it, it is imported then and works.
(:class:`importlib.util.LazyLoader` does not do: an ``import`` statement reads the module's
``__spec__``, which loads it.)
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

DEFERRED = ("invoke",)


class _StandIn(types.ModuleType):
    """Forwards every attribute it lacks to the real module, imported on first use."""

    def __getattr__(self, attr: str) -> Any:
        real = self.__dict__.get("_real_module")
        if real is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            real = importlib.import_module(self.__name__)
            self.__dict__["_real_module"] = real
        return getattr(real, attr)


def defer(*names: str) -> None:
    """Bind each module not yet imported to a stand-in (an absent one is left absent)."""
    for name in names:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        stand_in = _StandIn(name)
        stand_in.__spec__ = spec
        sys.modules[name] = stand_in
