"""Modules a dependency imports at start-up for a feature fleetaudit never asks for, bound
as stand-ins that import the real module on first attribute access.

paramiko imports ``invoke`` (and with it unittest.mock, asyncio and a vendored PyYAML:
about 15 MB and 0.1 s of CPU per run) for ``Match exec`` in an OpenSSH config file, which
the collectors never read; should anything use it, it is imported then and works.
(:class:`importlib.util.LazyLoader` does not do: an ``import`` statement reads the module's
``__spec__``, which loads it.)

httpx imports its command-line client (``httpx._main``: click, rich's markup and Pygments'
lexers, ~60 ms) only to bind ``httpx.main``; its stand-in binds ``main`` to a function that
imports the real module when called.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

DEFERRED = ("invoke", "httpx._main")
#: the callables a module's importer takes from it at import (``from ._main import main``):
#: its stand-in binds them to functions that import the real module when called
CALLABLES = {"httpx._main": ("main",)}


class _StandIn(types.ModuleType):
    """Forwards every attribute it lacks to the real module, imported on first use."""

    def __getattr__(self, attr: str) -> Any:
        if attr == "__path__" and "_calls" in self.__dict__:
            # `from ._main import main` asks whether it is a package: it is a plain module
            raise AttributeError(attr)
        return getattr(self._real(), attr)

    def _real(self) -> types.ModuleType:
        real: types.ModuleType | None = self.__dict__.get("_real_module")
        if real is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            real = importlib.import_module(self.__name__)
            self.__dict__["_real_module"] = real
        return real

    def _bind_calls(self, names: tuple[str, ...]) -> None:
        self.__dict__["_calls"] = names
        for name in names:

            def call(*args: Any, _name: str = name, **kwargs: Any) -> Any:
                return getattr(self._real(), _name)(*args, **kwargs)

            setattr(self, name, call)


def defer(*names: str) -> None:
    """Bind each module not yet imported to a stand-in (an absent one is left absent)."""
    for name in names:
        if name in sys.modules:
            continue
        parent, _, _ = name.rpartition(".")
        if parent and parent in sys.modules:  # its package ran: it has imported it, or won't
            continue
        # a submodule's spec would import its package: the stand-in needs only the package
        spec = importlib.util.find_spec(parent or name)
        if spec is None:
            continue
        stand_in = _StandIn(name)
        stand_in.__spec__ = None if parent else spec
        if name in CALLABLES:
            stand_in._bind_calls(CALLABLES[name])
        sys.modules[name] = stand_in
