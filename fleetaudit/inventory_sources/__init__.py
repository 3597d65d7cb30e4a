"""Inventories served by a source of truth: ``--inventory nautobot://HOST[:PORT]`` (through
nornir-nautobot) or ``--inventory netbox://HOST[:PORT]`` (through nornir_netbox's
``NetBoxInventory2``).

The source of truth says which devices exist, where (site = Nautobot location / NetBox
site), what they are (role, platform) and, in config contexts, the provider profile and
site policy. It never says how fleetaudit reads its fields: platforms and roles are mapped
by value in ``sot.yaml`` (see :mod:`fleetaudit.inventory_sources.config`), and credentials
still come from the local ``groups.yaml`` / ``defaults.yaml`` (``env:`` / ``keyring:``).
"""

from fleetaudit.inventory_sources.config import SotConfig, config_folder, load_config
from fleetaudit.inventory_sources.hosts import host_entries
from fleetaudit.inventory_sources.source import Source, fetch, source_of

__all__ = [
    "Source",
    "SotConfig",
    "config_folder",
    "fetch",
    "host_entries",
    "load_config",
    "source_of",
]
