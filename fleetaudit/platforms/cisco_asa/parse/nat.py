"""NAT from the ASA running config: object NAT, twice NAT, pre-8.3 ``static``, and the
UDP idle timeout (``timeout ... udp``, 2 minutes when absent)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fleetaudit.facts import Nat, NatRule, Ref
from fleetaudit.platforms.cisco_asa.parse.common import ConfigLines, clean_text, ttp_records

ASA_DEFAULT_UDP_TIMEOUT_S = 120  # `timeout conn ... udp 0:02:00` is the factory default


def _hms_seconds(value: str) -> int | None:
    """ASA ``H:MM:SS`` timeouts in seconds.

    >>> _hms_seconds("0:02:00")
    120
    >>> _hms_seconds("1:00:00")
    3600
    """
    parts = value.split(":")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    hours, minutes, seconds = (int(part) for part in parts)
    return hours * 3600 + minutes * 60 + seconds


def _nat_split(nat: str) -> tuple[str, str]:
    """``(inside,outside) dynamic interface`` -> ("inside", "outside")."""
    head = nat.split(")", 1)[0].lstrip("(")
    real, _, mapped = head.partition(",")
    return real.strip(), mapped.strip()


def read_nat(parsed: Any, lines: ConfigLines) -> Nat:
    rules: list[NatRule] = []
    pairs: list[tuple[str, str]] = []
    cursor = 0
    for record in ttp_records(parsed, "objects"):
        name, kind = clean_text(record.get("name")), clean_text(record.get("type"))
        opened = lines.find(f"object {kind} {name}", cursor, indented=False)
        cursor = opened or cursor
        nat = clean_text(record.get("nat"))
        if nat:
            ref = lines.line_ref(f"nat {nat}", cursor, indented=True)
            rules.append(NatRule(text=f"object {kind} {name}: nat {nat}", kind="object", ref=ref))
            pairs.append(_nat_split(nat))
    for record in ttp_records(parsed, "twice_nat"):
        real, mapped = (
            clean_text(record.get("real_if")) or "",
            clean_text(record.get("mapped_if")) or "",
        )
        text = f"nat ({real},{mapped}) {clean_text(record.get('rest')) or ''}".strip()
        rules.append(NatRule(text=text, kind="twice", ref=lines.line_ref(text, indented=False)))
        pairs.append((real, mapped))
    for record in ttp_records(parsed, "legacy_static"):  # pre-8.3: static (real,mapped) MAPPED REAL
        real, mapped = (
            clean_text(record.get("real_if")) or "",
            clean_text(record.get("mapped_if")) or "",
        )
        text = f"static ({real},{mapped}) {clean_text(record.get('rest')) or ''}".strip()
        rules.append(NatRule(text=text, kind="static", ref=lines.line_ref(text, indented=False)))
        pairs.append((real, mapped))
    legacy_rules, legacy_pairs = _legacy_dynamic(parsed, lines)
    rules.extend(legacy_rules)
    pairs.extend(legacy_pairs)
    timeout_s, timeout_ref = _udp_timeout(parsed, lines)
    return Nat(
        enabled=bool(rules),
        inside=_unique(real for real, _ in pairs),
        outside=_unique(mapped for _, mapped in pairs),
        rules=rules,
        udp_timeout_s=timeout_s,
        udp_timeout_ref=timeout_ref,
    )


def _legacy_dynamic(parsed: Any, lines: ConfigLines) -> tuple[list[NatRule], list[tuple[str, str]]]:
    """Pre-8.3 dynamic NAT/PAT: ``nat (inside) 1 ...`` is translated by every
    ``global (outside) 1 ...`` of the same ID (ID 0 is NAT exemption: no translation)."""
    globals_by_id: dict[str, list[str]] = {}
    for record in ttp_records(parsed, "legacy_global"):
        nat_id, mapped = (
            clean_text(record.get("nat_id")) or "",
            clean_text(record.get("mapped_if")) or "",
        )
        globals_by_id.setdefault(nat_id, []).append(mapped)
    rules: list[NatRule] = []
    pairs: list[tuple[str, str]] = []
    for record in ttp_records(parsed, "legacy_nat"):
        nat_id, real = (
            clean_text(record.get("nat_id")) or "",
            clean_text(record.get("real_if")) or "",
        )
        mapped_ifs = globals_by_id.get(nat_id, [])
        if nat_id == "0" or not mapped_ifs:
            continue
        text = f"nat ({real}) {nat_id} {clean_text(record.get('rest')) or ''}".strip()
        ref = lines.line_ref(text, indented=False)
        for mapped in mapped_ifs:
            rules.append(
                NatRule(text=f"{text} -> global ({mapped}) {nat_id}", kind="dynamic", ref=ref)
            )
            pairs.append((real, mapped))
    return rules, pairs


def _unique(names: Iterator[str] | Any) -> list[str]:
    seen: list[str] = []
    for name in names:
        if name and name != "any" and name not in seen:
            seen.append(name)
    return seen


def _udp_timeout(parsed: Any, lines: ConfigLines) -> tuple[int, Ref | None]:
    """`timeout conn 1:00:00 half-closed 0:10:00 udp 0:02:00 ...`; 2 min when absent."""
    for record in ttp_records(parsed, "timeouts"):
        words = (clean_text(record.get("rest")) or "").split()
        for position, word in enumerate(words[:-1]):
            seconds = _hms_seconds(words[position + 1]) if word == "udp" else None
            if seconds is not None:
                text = "timeout " + " ".join(words)
                return seconds, lines.line_ref(text, indented=False)
    return ASA_DEFAULT_UDP_TIMEOUT_S, None
