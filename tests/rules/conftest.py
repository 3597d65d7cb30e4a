"""Helpers for the ruleset tests: a device's facts from its config text, through the real
templates and normalisers, and a target behind it."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

import pytest

from fleetaudit.facts import Device
from fleetaudit.parse import parse_output
from fleetaudit.rules.plan import Target
from fleetaudit.templates import load_templates

COMMANDS = {
    "cisco_asa": "show_running-config",
    "cisco_ios": "show_running-config",
    "mikrotik_routeros": "export_verbose",
}

FactsOf = Callable[..., dict[str, Any]]


def facts_of(platform: str, config: str, version: str | None = None) -> dict[str, Any]:
    template = load_templates()[platform][COMMANDS[platform]]
    facts = parse_output(template, config)
    if version is not None:
        facts["device"] = Device(os_version=version)
    return facts


def target_of(text: str, facts: dict[str, Any]) -> Target:
    """``self``: the device's own NAT-outside address (a gateway); else an address/prefix."""
    if text == "self":
        for interface in facts["interfaces"]:
            if interface.nat == "outside" and interface.ipv4:
                address = ipaddress.IPv4Interface(interface.ipv4[0]).ip
                return Target(ipaddress.IPv4Network(address), f"itself {address}", own=True)
        raise AssertionError("no NAT outside interface with an address")
    prefix = ipaddress.IPv4Network(text)
    return Target(prefix, f"target {text}")


@pytest.fixture(scope="session")
def parse_facts() -> FactsOf:
    return facts_of
