"""The firewall as rule dicts: filter, nat and mangle rules, queues, address lists,
interface lists and connection tracking settings (version defaults filled in)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from fleetaudit.facts import Firewall, FirewallRule
from fleetaudit.platforms.mikrotik_routeros.parse.defaults import CONNTRACK_DEFAULTS
from fleetaudit.platforms.mikrotik_routeros.parse.export import Command, Export

# --------------------------------------------------------------------------- firewall


def _rule(command: Command, index: int) -> dict[str, Any]:
    rule: dict[str, Any] = {key: value for key, value in command.args.items()}
    rule["disabled"] = command.disabled
    rule["index"] = index
    rule["config_line"] = command.line or None
    return rule


def _rules(commands: Iterable[Command]) -> list[dict[str, Any]]:
    added = [c for c in commands if c.verb == "add"]
    return [_rule(command, index) for index, command in enumerate(added, start=1)]


def read_firewall(export: Export) -> Firewall:
    address_lists: dict[str, list[str]] = {}
    for entry in export.section("ip firewall address-list"):
        if entry.verb == "add" and not entry.disabled and "list" in entry.args:
            address_lists.setdefault(entry.args["list"], []).append(entry.args.get("address", ""))
    queues = [
        {**rule, "kind": kind}
        for kind in ("tree", "simple")
        for rule in _rules(export.section(f"queue {kind}"))
    ]
    tracking = dict(CONNTRACK_DEFAULTS.get(export.major or 0, {}))
    for command in export.section("ip firewall connection tracking"):
        tracking.update(command.args)
    return Firewall(
        filter=cast("list[FirewallRule]", _rules(export.section("ip firewall filter"))),
        nat=cast("list[FirewallRule]", _rules(export.section("ip firewall nat"))),
        mangle=cast("list[FirewallRule]", _rules(export.section("ip firewall mangle"))),
        address_lists=address_lists,
        queues=cast("list[FirewallRule]", queues),
        connection_tracking=tracking,
        interface_lists={name: list(members) for name, members in export.lists.items()},
    )
