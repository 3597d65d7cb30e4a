"""Nornir's inventory built from the three mappings already read (as SimpleInventory builds
it), so every reader of an inventory folder parses its YAML one way: fleetaudit.yamlfile's."""

from __future__ import annotations

from typing import Any, cast

from nornir.core.inventory import Group, Groups, Host, Hosts, Inventory, ParentGroups
from nornir.plugins.inventory import simple


def built_inventory(files: dict[str, dict[str, Any]]) -> Inventory:
    """``files``: ``{"hosts.yaml": ..., "groups.yaml": ..., "defaults.yaml": ...}``."""
    defaults = simple._get_defaults(files["defaults.yaml"])
    hosts, groups = Hosts(), Groups()
    for name, settings in files["hosts.yaml"].items():
        hosts[name] = simple._get_inventory_element(Host, settings or {}, name, defaults)
    for name, settings in files["groups.yaml"].items():
        groups[name] = simple._get_inventory_element(Group, settings or {}, name, defaults)
    for item in (*groups.values(), *hosts.values()):
        names = cast(list[str], item.groups or [])  # still names until linked here
        item.groups = ParentGroups([groups[name] for name in names])
    return Inventory(hosts=hosts, groups=groups, defaults=defaults)
