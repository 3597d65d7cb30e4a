"""The typed fact model: every fact the parsers produce is declared, serialises to the
same JSON as before, and reads back from that JSON as the same typed value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fleetaudit import facts as fact_names
from fleetaudit.audit import evidence_from_path
from fleetaudit.checkkit import load_checks
from fleetaudit.errors import UsageError
from fleetaudit.facts import registry
from fleetaudit.parse import parse_host, parse_output, to_data
from fleetaudit.paths import builtin_dir
from fleetaudit.templates import load_templates

CASES = sorted(Path(__file__).parent.glob("templates/*/*/*.txt"))
PHONES = {
    "office1-phone1": "cisco_phone",
    "office1-phone2": "yealink_phone",
    "office1-phone3": "poly_phone",
    "office1-phone4": "grandstream_phone",
}


def _golden_facts(case: Path) -> dict[str, Any]:
    template = load_templates()[case.parent.parent.name][case.parent.name]
    return parse_output(template, case.read_text())


def _round_trip(facts: dict[str, Any]) -> None:
    assert registry.require(*facts)  # every fact a parser yields is declared
    data = registry.dump_facts(facts)
    assert data == to_data(facts)  # the JSON form did not change shape
    loaded, unreadable = registry.load_facts(data)
    assert unreadable == {}
    assert loaded == facts  # back as the same types, refs included


@pytest.mark.parametrize("case", CASES, ids=lambda p: "/".join(p.parts[-3:]))
def test_golden_facts_round_trip_through_their_types(case: Path) -> None:
    _round_trip(_golden_facts(case))


@pytest.mark.parametrize("phone", sorted(PHONES))
def test_phone_facts_round_trip_through_their_types(phone: str) -> None:
    platform = PHONES[phone]
    path = builtin_dir("inventory") / "lab" / phone
    parsed = parse_host(platform, "phone", evidence_from_path(path, platform, "phone", ()).evidence)
    _round_trip(parsed.facts)


def test_stored_facts_of_another_shape_are_unknown_with_the_reason() -> None:
    facts, unreadable = registry.load_facts({"nat": {"inside": "not a list"}}, version=0)
    assert facts == {"nat": None}
    assert "facts version 0" in unreadable["nat"] and "enabled" in unreadable["nat"]


def test_a_typo_in_a_fact_name_fails_with_the_declared_names() -> None:
    with pytest.raises(registry.UnknownFact, match="'interfacse'.*interfaces"):
        registry.require("interfacse")
    assert registry.require("ttp:show_clock") == ("ttp:show_clock",)


def test_every_check_declares_registered_facts() -> None:
    for check in load_checks():
        assert registry.require(*check.facts) == check.facts
    assert fact_names.INTERFACES == "interfaces"


def test_each_fact_has_a_json_schema() -> None:
    schema = registry.schema()
    assert schema["acl"]["$defs"]["AclEntry"]["properties"]["dst_port"]
    assert "udp_timeout_s" in schema["nat"]["properties"]


def test_a_check_naming_an_undeclared_fact_fails_at_import(tmp_path: Path) -> None:
    (tmp_path / "typo001_check.py").write_text(
        "from fleetaudit.checkkit import Check\n"
        "CHECK = Check(id='TYP001', slug='typo-check', title='t', severity='low',\n"
        "    facts=('interfacse',), platforms=('cisco_ios',), run=lambda h, p: [],\n"
        "    why='w', fix={})\n"
    )
    with pytest.raises(UsageError, match=r"typo001_check.py: fails to import .*'interfacse'"):
        load_checks((tmp_path,))


def test_a_template_naming_an_undeclared_fact_is_refused(tmp_path: Path) -> None:
    (tmp_path / "cisco_ios").mkdir()
    (tmp_path / "cisco_ios" / "show_clock.ttp").write_text(
        '<input load="python">\ncommands = ["show clock"]\nfacts = ["clok"]\n</input>\n'
        "<group name='clock'>\n{{ time }}\n</group>\n"
    )
    with pytest.raises(UsageError, match=r"show_clock.ttp: .*'clok'.*ttp:<name>"):
        load_templates((tmp_path,))


def test_runs_stored_before_facts_were_versioned_read_as_version_1() -> None:
    from fleetaudit.facts import Nat
    from fleetaudit.store import read_stored_facts

    nat = {"enabled": True, "inside": ["Gi0/1"], "outside": ["Gi0/0"], "udp_timeout_s": 300}
    bare, _ = read_stored_facts({"nat": nat})
    tagged, _ = read_stored_facts({"facts_version": 1, "facts": {"nat": nat}})
    assert bare == tagged == {"nat": Nat(True, ["Gi0/1"], ["Gi0/0"], udp_timeout_s=300)}


@pytest.mark.parametrize("pbx", ["office1-pbx", "office2-pbx", "faults-pbx-down"])
def test_asterisk_facts_round_trip_through_their_types(pbx: str) -> None:
    path = builtin_dir("inventory") / "lab" / pbx
    evidence = evidence_from_path(path, "asterisk", "pbx", ()).evidence
    _round_trip(parse_host("asterisk", "pbx", evidence).facts)
