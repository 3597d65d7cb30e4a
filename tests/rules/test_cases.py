"""Unit fixtures per platform: ``cases/<platform>/<name>.yml`` holds a config, a voice
target, the provider subnet, and for each flow (protocol, port range) every block of
source addresses with its sub-ranges and the rule that decides each; optionally the
fix lines, or the reason the ruleset cannot be evaluated. Adding a case needs no code.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetaudit.platforms.cisco_asa import firewall as asa
from fleetaudit.platforms.cisco_ios import firewall as ios
from fleetaudit.platforms.mikrotik_routeros import firewall as routeros
from fleetaudit.platforms.mikrotik_routeros.firewall import port_set
from fleetaudit.rules.intervals import IntervalSet, addresses_text, network, ports_text
from fleetaudit.rules.model import Flow, Unsupported, Verdict, evaluate
from fleetaudit.rules.reach import Assessed, Want, fix_requests

from .conftest import facts_of, target_of

CASES = sorted(Path(__file__).parent.glob("cases/*/*.yml"))
PLANNERS = {"cisco_asa": asa.plan, "mikrotik_routeros": routeros.plan, "cisco_ios": ios.plan}


def rendered(verdict: Verdict, subnet: IntervalSet) -> list[dict[str, Any]]:
    """A verdict in the cases' own words."""
    blocks = []
    for outcome in verdict.outcomes:
        block: dict[str, Any] = {}
        if outcome.src != subnet:
            block["from"] = addresses_text(outcome.src)
        block["pieces"] = {
            ports_text(p.ports): ("permit " if p.permitted else "deny ")
            + " + ".join(r.label for r in (p.deciders if p.permitted else (p.decider,)))
            for p in outcome.pieces
        }
        blocks.append(block)
    return blocks


def load(case: Path) -> dict[str, Any]:
    data = yaml.safe_load(case.read_text())
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_case(case: Path) -> None:
    data = load(case)
    platform = case.parent.name
    facts = facts_of(platform, data["config"], data.get("version"))
    target = target_of(str(data["target"]), facts)
    if "unknown" in data:
        with pytest.raises(Unsupported, match=data["unknown"]):
            PLANNERS[platform](facts, target)
        return
    plan = PLANNERS[platform](facts, target)
    if data.get("not_behind"):
        assert plan is None
        return
    assert plan is not None, "the target is not behind this device"
    subnet = ipaddress.IPv4Network(data["subnet"])
    closed = []
    for flow in data["flows"]:
        want = Want(flow["protocol"], port_set(str(flow["ports"])), "test")
        verdict = evaluate(
            plan.pipeline, Flow(want.protocol, network(subnet), target.addresses, want.ports)
        )
        assert rendered(verdict, network(subnet)) == flow["expect"], flow
        if "caveats" in flow:
            found = sorted({c.condition for o in verdict.outcomes for c in o.caveats})
            assert found == sorted(flow["caveats"])
        if not verdict.is_open:
            closed.append(Assessed(want, verdict))
    if "fix" in data:
        assert plan.fixer(fix_requests(closed, subnet, plan.followup, target)) == data["fix"]


def test_there_are_cases_per_platform() -> None:
    assert {case.parent.name for case in CASES} == set(PLANNERS)
