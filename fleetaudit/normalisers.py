"""Every platform's normalisers, registered: the stages look normalisers up here.

Importing a parser module registers its normalisers with :mod:`fleetaudit.normalise`;
the modules are the ones each :class:`~fleetaudit.platforms.Platform` lists in
``parsers``. Importing them here (not inside the registry) keeps the registry free of an
import cycle with the modules that register with it.
"""

from __future__ import annotations

import importlib

from fleetaudit import platforms
from fleetaudit.normalise import get_normaliser, get_preprocessor, sources_for

for _platform in platforms.registry().values():
    for _module in _platform.parsers:
        importlib.import_module(_module)

__all__ = ["get_normaliser", "get_preprocessor", "sources_for"]
