"""napalm drivers, one at a time.

``import napalm`` imports every driver it ships (junos, nxos, eos, iosxr: its junos
views even parse YAML at import), about half a second of CPU per run for a tool that uses
only ``ios``. The ``napalm`` package is therefore registered without running its
``__init__``; ``napalm.base.get_network_driver`` then imports just the driver asked for.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from typing import Any


def get_network_driver(name: str) -> Any:
    """napalm's ``get_network_driver(name)``, without importing the other drivers."""
    if "napalm" not in sys.modules:
        spec = importlib.util.find_spec("napalm")
        if spec is not None and spec.submodule_search_locations is not None:
            package = types.ModuleType("napalm")
            package.__spec__ = spec
            package.__file__ = spec.origin
            package.__path__ = list(spec.submodule_search_locations)
            sys.modules["napalm"] = package
    from napalm.base import get_network_driver as napalm_get_network_driver

    package = sys.modules["napalm"]
    if not hasattr(package, "get_network_driver"):  # `from napalm import …` still works
        package.get_network_driver = napalm_get_network_driver  # type: ignore[attr-defined]
    return napalm_get_network_driver(name)
