"""Public real outputs (tests/corpus) compared with fleetaudit's facts, field by field.

Each case is ``tests/corpus/<platform>/<command_slug>/<case>.raw`` (a device's output) and
``<case>.yml`` (the values networktocode/ntc-templates expects from it, unchanged). The
ntc field names are mapped to fleetaudit fact fields once, here (``MAPPINGS``); only the
fields both sides have are compared, and only where the public source gives a value.

Normalisation, the same on both sides: interface names are made canonical, MAC addresses
``aa:bb:cc:dd:ee:ff``, dotted version numbers lose leading zeros (``16.09.03`` is
``16.9.3``), other text is compared exactly after stripping the ends.

Rows outside a fact by its definition are not counted (``outside_fact``): the MAC table
fact holds addresses learned on one switch port, so the switch's own addresses (port
``CPU``, ``Router``, ``Switch``, VLAN ``All``/``N/A``) and rows flooded to a port list
(broadcast/multicast) are left out on both sides.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from netutils.interface import canonical_interface_name

from fleetaudit.parse import parse_output, to_data
from fleetaudit.platforms.phones.parsers import normal_mac
from fleetaudit.templates import load_templates

CORPUS = Path(__file__).parent / "corpus"

Record = dict[str, Any]


def cases() -> list[Path]:
    """Every corpus case (its .raw file), found by glob."""
    return sorted(CORPUS.glob("*/*/*.raw"))


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) else value


def _pick(*names: str) -> Callable[[Record], Any]:
    """The first of ``names`` the ntc record has (ntc renamed fields over the years)."""

    def get(record: Record) -> Any:
        for name in names:
            if record.get(name) not in (None, "", []):
                return _first(record[name])
        return None

    return get


def _asa_model(record: Record) -> Any:
    """ntc keeps ASA ``Hardware:`` whole (``ASA5516, 8192 MB RAM, ...``); the model is its
    first item, as fleetaudit's fact holds it."""
    hardware = record.get("hardware")
    return str(hardware).split(",")[0].strip() if hardware else None


def _lldp_mac(record: Record) -> Any:
    """The neighbour's MAC: the chassis ID when it is one, else the peer source MAC."""
    for name in ("chassis_id", "mac_address"):
        value = str(record.get(name) or "")
        if normal_mac(value):
            return value
    return None


def _mac_static(record: Record) -> Any:
    kind = str(record.get("type") or "").lower()
    return kind == "static" if kind else None


@dataclasses.dataclass(frozen=True)
class Mapping:
    fact: str  # fleetaudit fact the command's normaliser produces
    fields: dict[str, Callable[[Record], Any]]  # fleetaudit field <- value from ntc record
    many: bool  # the fact is a list of records (else one record)


MAPPINGS: dict[tuple[str, str], Mapping] = {
    ("cisco_ios", "show_version"): Mapping(
        "device",
        {
            "hostname": _pick("hostname"),
            "os_version": _pick("version"),
            "model": _pick("hardware"),
            "serial": _pick("serial"),
        },
        many=False,
    ),
    ("cisco_asa", "show_version"): Mapping(
        "device",
        {
            "hostname": _pick("hostname"),
            "os_version": _pick("version"),
            "model": _asa_model,
            "serial": _pick("serial"),
        },
        many=False,
    ),
    ("mikrotik_routeros", "system_resource_print"): Mapping(
        "device",
        {"os_version": _pick("version"), "model": _pick("board_name")},
        many=False,
    ),
    ("cisco_ios", "show_cdp_neighbors_detail"): Mapping(
        "cdp_neighbors",
        {
            "local_interface": _pick("local_interface", "local_port"),
            "name": _pick("neighbor_name", "destination_host"),
            "port": _pick("neighbor_interface", "remote_port"),
            "ip": _pick("mgmt_address", "management_ip"),
            "platform": _pick("platform"),
        },
        many=True,
    ),
    ("cisco_ios", "show_lldp_neighbors_detail"): Mapping(
        "lldp_neighbors",
        {
            "local_interface": _pick("local_interface"),
            "name": _pick("neighbor_name", "neighbor"),
            "port": _pick("neighbor_port_id"),
            "mac": _lldp_mac,
            "ip": _pick("mgmt_address", "management_ip"),
            "platform": _pick("neighbor_description", "system_description"),
        },
        many=True,
    ),
    ("cisco_ios", "show_mac_address-table"): Mapping(
        "mac_table",
        {
            "mac": _pick("destination_address"),
            "vlan": _pick("vlan_id", "vlan"),
            "interface": _pick("destination_port"),
            "static": _mac_static,
        },
        many=True,
    ),
}

_OWN_PORTS = {"cpu", "router", "switch", "stby-switch", ""}


def outside_fact(platform: str, slug: str, record: Record) -> bool:
    """A public row the fact leaves out by its definition (see the module doc)."""
    if slug != "show_mac_address-table":
        return False
    ports = record.get("destination_port")
    ports = ports if isinstance(ports, list) else [ports or ""]
    vlan = str(record.get("vlan_id") or record.get("vlan") or "")
    own = len(ports) != 1 or str(ports[0]).lower() in _OWN_PORTS or not vlan.isdigit()
    return own


def _version(text: str) -> str:
    return re.sub(r"(?<![\w])0+(\d)", r"\1", text)


def normal(field: str, value: Any) -> Any:
    """One field's value in the form both sides are compared in."""
    if value is None or value == "":
        return None
    if field in ("local_interface", "interface"):
        return canonical_interface_name(str(value).strip())
    if field == "mac":
        return normal_mac(str(value)) or str(value).strip().lower()
    if field == "vlan":
        return int(value) if str(value).strip().isdigit() else None
    if field == "os_version":
        return _version(str(value).strip())
    if isinstance(value, bool):
        return value
    return str(value).strip()


def expected_records(case: Path) -> list[Record]:
    """The case's public expected values, in fleetaudit field names (empty ones dropped)."""
    data = yaml.safe_load(case.with_suffix(".yml").read_text(encoding="utf-8"))
    rows = data.get("parsed_sample") or []
    return mapped(case.parent.parent.name, case.parent.name, rows)


def mapped(platform: str, slug: str, rows: list[Record] | Record) -> list[Record]:
    """ntc-templates records as fleetaudit records, through ``MAPPINGS``."""
    mapping = MAPPINGS[(platform, slug)]
    found = []
    for row in rows if isinstance(rows, list) else [rows]:
        if outside_fact(platform, slug, row):
            continue
        record = {name: normal(name, get(row)) for name, get in mapping.fields.items()}
        found.append({k: v for k, v in record.items() if v is not None})
    return found if mapping.many else found[:1]


def fleetaudit_records(case: Path) -> list[Record] | None:
    """What ``scan`` makes of the case's output: the fact through the command's template
    and normaliser, as plain records (None: the fact is unknown)."""
    platform, slug = case.parent.parent.name, case.parent.name
    template = load_templates()[platform][slug]
    fact = to_data(parse_output(template, case.read_text(encoding="utf-8")))
    return as_records(platform, slug, fact.get(MAPPINGS[(platform, slug)].fact))


def as_records(platform: str, slug: str, value: Any) -> list[Record] | None:
    """A fact value (plain data) as normalised records of the mapped fields."""
    if value is None:
        return None
    mapping = MAPPINGS[(platform, slug)]
    rows = value if isinstance(value, list) else [value]
    return [{name: normal(name, row.get(name)) for name in mapping.fields} for row in rows]


@dataclasses.dataclass
class Score:
    expected: int = 0  # shared fields the public source gives a value for
    matched: int = 0
    misses: list[str] = dataclasses.field(default_factory=list)

    def add(self, other: Score) -> None:
        self.expected += other.expected
        self.matched += other.matched
        self.misses += other.misses


def score(expected: list[Record], got: list[Record] | None) -> Score:
    """Fields matched: each expected record is paired with the unused parsed record that
    agrees with it on most fields; a record with no partner matches nothing."""
    result = Score()
    pool = list(got or [])
    for want in expected:
        best = max(pool, key=lambda row: _agree(want, row), default=None)
        if best is not None and _agree(want, best) > 0:
            pool.remove(best)
        else:
            best = {}
        for field, value in want.items():
            result.expected += 1
            if best.get(field) == value:
                result.matched += 1
            else:
                result.misses.append(f"{field}: want {value!r}, got {best.get(field)!r}")
    return result


def _agree(want: Record, row: Record) -> int:
    return sum(row.get(field) == value for field, value in want.items())


def score_case(case: Path, parser: Callable[[Path], list[Record] | None] | None = None) -> Score:
    return score(expected_records(case), (parser or fleetaudit_records)(case))
