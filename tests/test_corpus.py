"""Public real device outputs (tests/corpus, ntc-templates' fixtures) through scan's own
parse path, compared with the values the public source expects on the fields both have
(mapping and normalisation: tests/corpus_fields.py). Adding a case needs no code.

Then one regression test per parser defect of issue 10, built from the issue's example.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from corpus_fields import CORPUS, MAPPINGS, Score, cases, score_case

from fleetaudit.parse import parse_output, to_data
from fleetaudit.templates import load_templates, template_dirs

FLOOR = 98.0  # percent of shared fields right, per command


def _id(case: Path) -> str:
    return "/".join(case.parts[-3:])


def test_corpus_found() -> None:
    assert len(cases()) >= 40, "the public corpus went missing"


@pytest.mark.parametrize("case", cases(), ids=_id)
def test_case_matches_public_values(case: Path) -> None:
    result = score_case(case)
    assert result.expected > 0, f"{_id(case)}: no shared field to compare"
    assert not result.misses, "\n".join(result.misses)


def test_every_command_reaches_the_floor() -> None:
    totals: dict[str, Score] = defaultdict(Score)
    for case in cases():
        totals[case.parent.name].add(score_case(case))
    for command, total in totals.items():
        assert 100 * total.matched / total.expected >= FLOOR, (command, total.misses)


@pytest.mark.parametrize("folder", sorted({c.parent for c in cases()}), ids=lambda p: p.name)
def test_every_case_has_expected_values_and_provenance(folder: Path) -> None:
    platform, slug = folder.parent.name, folder.name
    assert (platform, slug) in MAPPINGS, f"no ntc -> fleetaudit mapping for {platform}/{slug}"
    assert slug in load_templates()[platform], f"no template templates/{platform}/{slug}.ttp"
    provenance = yaml.safe_load((folder / "PROVENANCE.yml").read_text())
    assert provenance["repo"] and provenance["licence"]
    for raw in folder.glob("*.raw"):
        assert raw.with_suffix(".yml").exists(), f"{raw.name}: no expected values"
        source = provenance["cases"][raw.stem]
        for kind in ("raw", "yml"):
            assert re.fullmatch(r"[0-9a-f]{40}", source[kind]["commit"]), (raw.stem, kind)
            assert source[kind]["path"].startswith("tests/"), (raw.stem, kind)


# --- issue 10, "Parsers lose real data": one test per defect, from the issue's example ---


def _facts(platform: str, command_slug: str, raw: str) -> dict[str, object]:
    return to_data(parse_output(load_templates()[platform][command_slug], raw))


def _corpus(path: str) -> str:
    return (CORPUS / path).read_text(encoding="utf-8")


MAC_HEADER = (
    "          Mac Address Table\n"
    "-------------------------------------------\n\n"
    "Vlan    Mac Address       Type        Ports\n"
    "----    -----------       --------    -----\n"
)


def test_mac_rows_in_vlans_1_to_9_and_100_up_are_read() -> None:
    raw = MAC_HEADER + (
        "   5    0011.2233.4455    DYNAMIC     Gi1/0/5\n"
        " 100    0011.2233.4466    DYNAMIC     Gi1/0/6\n"
        "4094    0011.2233.4477    STATIC      Gi1/0/7\n"
    )
    table = _facts("cisco_ios", "show_mac_address-table", raw)["mac_table"]
    assert [(e["vlan"], e["mac"], e["interface"], e["static"]) for e in table] == [
        (5, "00:11:22:33:44:55", "GigabitEthernet1/0/5", False),
        (100, "00:11:22:33:44:66", "GigabitEthernet1/0/6", False),
        (4094, "00:11:22:33:44:77", "GigabitEthernet1/0/7", True),
    ]


def test_catalyst_4500_keeps_unicast_rows_and_no_broadcast_port_lists() -> None:
    """4500 layout: unicast rows with a protocols column; broadcast rows list ports."""
    raw = _corpus("cisco_ios/show_mac_address-table/cisco_ios_show_mac-address-table12.raw")
    table = _facts("cisco_ios", "show_mac_address-table", raw)["mac_table"]
    assert len(table) == 12  # 13 unicast rows, one of them the switch's own (port Switch)
    assert table[0]["interface"] == "Port-channel15" and table[0]["vlan"] == 10
    assert all("," not in e["interface"] for e in table)
    assert "ff:ff:ff:ff:ff:ff" not in {e["mac"] for e in table}


def test_catalyst_6500_rows_with_flags_learn_and_age_are_read() -> None:
    """6500 layout: `*`/`R` flags before the VLAN, learn and age columns before the port."""
    raw = _corpus("cisco_ios/show_mac_address-table/cisco_ios_show_mac-address-table9.raw")
    table = _facts("cisco_ios", "show_mac_address-table", raw)["mac_table"]
    assert len(table) == 24  # 29 rows, 5 of them the switch's own (port Router)
    assert (table[2]["vlan"], table[2]["mac"], table[2]["interface"]) == (
        3,
        "00:00:00:00:38:00",
        "TenGigabitEthernet2/5/10",
    )
    assert table[4]["vlan"] == 10  # `*       10 0000.0100.0000 ...`
    assert table[2]["ref"]["line"] == 16


def test_no_template_splits_an_alternation_inside_a_filter() -> None:
    """TTP splits ``re("A|B")`` on ``|``: the filter is silently never applied."""
    for path in sorted(template_dirs()[0].glob("*/*.ttp")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            assert not re.search(r'\bre\("[^"]*\|[^"]*"\)', line), f"{path}:{number}: {line}"


def test_running_config_access_list_kinds_are_filtered() -> None:
    """`ip access-list logging interval 10` is not an access list named `interval`."""
    template = load_templates()["cisco_ios"]["show_running-config"]
    parsed = template.parse(
        "ip access-list logging interval 10\n"
        "ip access-list extended VOICE\n"
        " permit udp any any eq 5060\n"
    )
    blocks = parsed.get("acl_blocks")
    blocks = blocks if isinstance(blocks, list) else [blocks]
    assert [(b["kind"], b["name"]) for b in blocks] == [("extended", "VOICE")]


def test_running_config_description_with_a_double_space_is_kept() -> None:
    raw = "interface GigabitEthernet0/1\n description Uplink  to  core\n no shutdown\n"
    interfaces = _facts("cisco_ios", "show_running-config", raw)["interfaces"]
    assert interfaces[0]["description"] == "Uplink  to  core"


def test_lldp_neighbours_without_local_intf_are_kept() -> None:
    raw = _corpus("cisco_ios/show_lldp_neighbors_detail/cisco_ios_show_lldp_neighbors_detail2.raw")
    found = _facts("cisco_ios", "show_lldp_neighbors_detail", raw)["lldp_neighbors"]
    assert [(n["local_interface"], n["name"], n["port"]) for n in found] == [
        ("", "USSC-CAMPUS-CORE-GW2", "Eth1/6"),
        ("", "USSC-CAMPUS-CORE-GW1.acme123.com", "Eth1/6"),
        ("", "DMZ-SW1", "Gi2/0/24"),
        ("", None, "g2"),
    ]


def test_lldp_system_description_identifies_the_phone() -> None:
    raw = _corpus("cisco_ios/show_lldp_neighbors_detail/cisco_ios_show_lldp_neighbors_detail3.raw")
    (phone,) = _facts("cisco_ios", "show_lldp_neighbors_detail", raw)["lldp_neighbors"]
    assert phone["local_interface"] == "GigabitEthernet0/1/7"
    assert phone["platform"] == "Cisco IP Phone 7962G,V12, SCCP42.9-3-1ES27S"


def test_asa_multi_context_version_line_keeps_the_device() -> None:
    """`Version 9.8(3)21 <context>` and `Hardware:   FPR4K-SM-12` (no comma)."""
    raw = _corpus("cisco_asa/show_version/cisco_asa_show_version2.raw")
    device = _facts("cisco_asa", "show_version", raw)["device"]
    assert device is not None
    assert (device["hostname"], device["os_version"], device["model"]) == (
        "fw002",
        "9.8(3)21",
        "FPR4K-SM-12",
    )
    assert device["ref"]["line"] == 2


def test_ios_serial_before_hardware_revision() -> None:
    raw = _corpus("cisco_ios/show_version/cisco_ios_show_version_01.raw")
    assert _facts("cisco_ios", "show_version", raw)["device"]["serial"] == "FHK102KKKKK"


def test_ios_xe_special_build_version_is_the_release() -> None:
    raw = _corpus("cisco_ios/show_version/cisco_ios_show_version_special_build.raw")
    device = _facts("cisco_ios", "show_version", raw)["device"]
    assert device["os_version"] == "16.9.5"
    assert device["ref"]["text"].startswith("Cisco IOS Software [Fuji]")
