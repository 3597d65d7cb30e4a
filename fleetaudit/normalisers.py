"""Every built-in normaliser, registered: the stages look normalisers up here.

Importing a normaliser module registers it with :mod:`fleetaudit.normalise`; importing
them at module level here (not inside the registry) keeps the registry free of an import
cycle with the modules that register with it.
"""

from __future__ import annotations

from fleetaudit.normalise import (  # noqa: F401  (imported to register their normalisers)
    cisco_asa,
    cisco_ios,
    cisco_ios_l2,
    get_normaliser,
    get_preprocessor,
    mikrotik_routeros,
    napalm,
    sources_for,
)
from fleetaudit.phones import parsers  # noqa: F401  (registers the phones' parsers)

__all__ = ["get_normaliser", "get_preprocessor", "sources_for"]
