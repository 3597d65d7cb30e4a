"""The SIP ALG on an ASA: ``inspect sip`` in a policy-map class that a service-policy
applies (globally or per interface), or why it is off."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fleetaudit.facts import Ref, SipAlg
from fleetaudit.normalise import as_list
from fleetaudit.platforms.cisco_asa.parse.common import (
    ConfigLines,
    clean_text,
    joined_lines,
    policies_applied,
    ttp_records,
)
from fleetaudit.platforms.cisco_asa.parse.contexts import Contexts, contexts_of


@dataclass
class _Inspect:
    policy: str
    cls: str
    ref: Ref
    negated: bool
    argument: str | None


def _sip_inspects(parsed: Any, lines: ConfigLines) -> Iterator[_Inspect]:
    cursor = 0
    for policy in ttp_records(parsed, "policy_maps"):
        name = clean_text(policy.get("name")) or ""
        policy_line = lines.find(f"policy-map {name}", cursor, indented=False) or cursor
        cursor = policy_line
        for cls in (c for c in as_list(policy.get("classes")) if isinstance(c, dict)):
            cls_name = clean_text(cls.get("name")) or ""
            cls_line = lines.find(f"class {cls_name}", policy_line, indented=True) or policy_line
            for negated, key in ((False, "inspect"), (True, "no_inspect")):
                for inspect in joined_lines(cls.get(key)):
                    words = inspect.split()
                    if words[0] != "sip":
                        continue
                    prefix = "no inspect" if negated else "inspect"
                    ref = lines.line_ref(f"{prefix} {inspect}", cls_line, indented=True)
                    argument = " ".join(words[1:]) or None
                    yield _Inspect(name, cls_name, ref, negated, argument)


def _sip_fixup(parsed: Any, lines: ConfigLines) -> SipAlg | None:
    """Before 7.0 (PIX 6, FWSM 2) SIP inspection is ``fixup protocol sip [udp] 5060``
    (on by default, printed when on); ``no fixup protocol sip ...`` turns one off. On
    while any SIP fixup is on (``sip udp 5060`` inspects UDP even when ``sip 5060`` is off)."""
    on: list[tuple[str, Ref, list[str]]] = []
    off: list[tuple[str, Ref]] = []
    for record in ttp_records(parsed, "fixups"):
        if clean_text(record.get("protocol")) != "sip":
            continue
        ports = clean_text(record.get("ports")) or ""
        negated = bool(record.get("negated"))
        text = f"{'no ' if negated else ''}fixup protocol sip {ports}"
        ref = lines.line_ref(text, indented=False)
        if negated:
            off.append((text, ref))
            continue
        words = ports.split()
        protocols = [words[0]] if words and words[0] in ("udp", "tcp") else ["udp", "tcp"]
        on.append((text, ref, protocols))
    if on:
        texts = ", ".join(f"`{text}`" for text, _, _ in on)
        detail = f"{texts} (SIP inspection in the pre-7.0 syntax): the firewall rewrites SIP/SDP"
        protocols = sorted({p for _, _, found in on for p in found}, reverse=True)
        return SipAlg(
            enabled=True, detail=detail, refs=[ref for _, ref, _ in on], protocols=protocols
        )
    if off:
        return SipAlg(
            enabled=False,
            detail=", ".join(f"`{text}`" for text, _ in off),
            refs=[ref for _, ref in off],
        )
    return None


def read_sip_alg(parsed: Any, lines: ConfigLines) -> SipAlg | None:
    fixup = _sip_fixup(parsed, lines)
    if fixup is not None:
        return fixup
    contexts = contexts_of(lines.out)
    if contexts.multiple:
        return _sip_alg_per_context(parsed, lines, contexts)
    applied = policies_applied(parsed, lines)
    inspects = list(_sip_inspects(parsed, lines))
    for item in (i for i in inspects if not i.negated and i.policy in applied):
        where, policy_ref = applied[item.policy]
        factory = item.policy == "global_policy" and item.cls == "inspection_default"
        scope = "globally" if where == "global" else f"on interface {where}"
        with_map = f" with inspect map {item.argument}" if item.argument else ""
        detail = (
            f"SIP inspection{with_map} in policy-map {item.policy} class {item.cls}, "
            f"applied {scope}: the ASA rewrites SIP/SDP on udp/5060 and tcp/5060"
        )
        if factory:
            detail += " (part of the factory default inspection policy)"
        return SipAlg(
            enabled=True,
            detail=detail,
            refs=[item.ref, policy_ref],
            protocols=["udp", "tcp"],
            by_default=factory,
        )
    return _sip_alg_off(inspects)


def _sip_alg_off(inspects: list[_Inspect]) -> SipAlg:
    negated = [i for i in inspects if i.negated]
    if negated:
        item = negated[0]
        detail = f"`no inspect sip` in policy-map {item.policy} class {item.cls}"
        return SipAlg(enabled=False, detail=detail, refs=[item.ref])
    if inspects:
        item = inspects[0]
        detail = (
            f"`inspect sip` is configured in policy-map {item.policy} but that policy-map "
            "is not applied by any service-policy"
        )
        return SipAlg(enabled=False, detail=detail, refs=[item.ref])
    return SipAlg(enabled=False, detail="no `inspect sip` in any policy-map")


_SERVICE_POLICY = re.compile(r"service-policy\s+(\S+)\s+(global|interface\s+\S+)\s*")


def _sip_alg_per_context(parsed: Any, lines: ConfigLines, contexts: Contexts) -> SipAlg | None:
    """Multiple context mode: each context inspects by its own policy-maps. On when any
    context applies `inspect sip`; unknown when a context shows no service-policy at all
    (its inspection is not in the file: never read as off)."""
    applied: dict[tuple[str | None, str], Ref] = {}
    for number, line in enumerate(lines.out.lines, start=1):
        match = _SERVICE_POLICY.fullmatch(line)
        if match and not line[:1].isspace():
            applied.setdefault((contexts.at(number), match[1]), lines.out.ref_line(number))
    on = []
    for item in _sip_inspects(parsed, lines):
        context = contexts.at(item.ref.line)
        policy_ref = applied.get((context, item.policy))
        if item.negated or policy_ref is None or context in (None, "system"):
            continue
        scope = policy_ref.text.split(None, 2)[2]
        on.append(
            (
                f"context {context}: SIP inspection in policy-map {item.policy} class "
                f"{item.cls}, applied by `service-policy {item.policy} {scope}`",
                [item.ref, policy_ref],
            )
        )
    if on:
        detail = "; ".join(text for text, _ in on) + ": the ASA rewrites SIP/SDP there"
        return SipAlg(
            enabled=True,
            detail=detail,
            refs=[r for _, refs in on for r in refs],
            protocols=["udp", "tcp"],
        )
    with_policy = {context for context, _ in applied}
    if any(context not in with_policy for context in contexts.user_contexts()):
        return None  # a context's inspection policy is not in the file
    return SipAlg(enabled=False, detail="no context applies `inspect sip`")
