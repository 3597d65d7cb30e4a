"""Provider reachability: the provider profile as flows, each flow evaluated through the
device's plan for every voice target behind it, the answers as findings with the
deciding rules, their config lines and the fix lines for that platform."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from fleetaudit import platforms
from fleetaudit.checkkit import Host, Result, fail, passed, unknown
from fleetaudit.facts import Interface, Ref
from fleetaudit.policy import PortRange, VoipPolicy
from fleetaudit.rules.extent import span
from fleetaudit.rules.intervals import IntervalSet, addresses_text, network, ports_text
from fleetaudit.rules.model import Flow, Pipeline, RuleRef, Unsupported, Verdict, evaluate
from fleetaudit.rules.plan import FixRequest, Plan, Target

Planner = Callable[[Mapping[str, Any], Target], Plan | None]


def planner_of(platform: str) -> Planner:
    """The platform's firewall planner (checks using it apply to platforms declaring one)."""
    reference = platforms.get(platform).firewall_planner
    if reference is None:
        raise ValueError(f"platform {platform} declares no firewall planner")
    planner: Planner = platforms.load(reference)
    return planner


def rule_fact(platform: str) -> str:
    """The fact holding the platform's rules (``""``: it declares none)."""
    found = platforms.registry().get(platform)
    return (found.firewall_fact or "") if found else ""


ANY_PORT = IntervalSet.of(1, 65535)


@dataclass(frozen=True)
class Want:
    """One thing the provider needs: ``protocol`` ``ports`` from each of its subnets."""

    protocol: str
    ports: IntervalSet
    what: str  # "RTP", "signalling", "any traffic"

    @property
    def any_traffic(self) -> bool:
        return self.what == "any traffic"


def port_set(ranges: Iterable[PortRange]) -> IntervalSet:
    return IntervalSet((r.low, r.high) for r in ranges)


def rtp_wants(policy: VoipPolicy) -> list[Want]:
    return [Want(proto, port_set(ranges), "RTP") for proto, ranges in sorted(policy.rtp.items())]


def signalling_wants(policy: VoipPolicy) -> list[Want]:
    wants = [Want(p, port_set(r), "signalling") for p, r in sorted(policy.signalling.items())]
    if policy.any_traffic:
        wants += [Want(p, ANY_PORT, "any traffic") for p in ("tcp", "udp")]
    return wants


# ------------------------------------------------------------------------ targets


def gateway_self(host: Host) -> list[Target]:
    """A voice gateway terminates the trunk itself: its WAN (NAT outside) addresses."""
    interfaces: list[Interface] = host.facts.get("interfaces") or []
    found = []
    for interface in interfaces:
        if interface.nat != "outside" or not interface.enabled:
            continue
        for cidr in interface.ipv4:
            address = ipaddress.IPv4Interface(cidr).ip
            label = f"the gateway itself ({address} on {interface.name})"
            found.append(Target(ipaddress.IPv4Network(address), label, own=True))
    return found


def targets(host: Host, policy: VoipPolicy) -> list[Target]:
    if host.role == "gateway":
        return gateway_self(host)
    return [
        Target(prefix, f"{label} {prefix.network_address if prefix.prefixlen == 32 else prefix}")
        for label, prefix in policy.targets.for_provider()
    ]


def _precheck(host: Host, policy: VoipPolicy) -> Result | None:
    """Why the check cannot run here (unknown), or None."""
    fact = rule_fact(host.platform)
    if host.facts.get(fact) is None:
        return unknown(
            fact, f"not assessed: the `{fact}` fact is unknown (its output was not parsed)"
        )
    if policy.is_default:
        return unknown("profile", "no provider profile (voip: in the inventory group data)")
    if not policy.subnets:
        return unknown("profile", "the provider profile lists no subnets (voip.subnets)")
    return None


# ------------------------------------------------------------------------ wording


def subject(subnet: ipaddress.IPv4Network, target: Target) -> str:
    shown = target.prefix.network_address if target.is_host else target.prefix
    return f"{subnet} → {shown}"


def describe(verdict: Verdict, want: Want, whole_src: IntervalSet) -> str:
    """``UDP 10000-20000 permitted by X; 20001-65535 denied by Y``, per block of source
    addresses when they differ. "Any traffic" states only what is closed (its open
    ports are the signalling and RTP ones, stated on their own)."""
    label = want.protocol.upper()
    parts = []
    for outcome in verdict.outcomes:
        pieces = []
        for piece in outcome.pieces:
            if piece.permitted and want.any_traffic:
                continue
            if piece.permitted:
                rules = " and ".join(r.label for r in piece.deciders)
                pieces.append(f"{ports_text(piece.ports)} permitted by {rules}")
            else:
                pieces.append(f"{ports_text(piece.ports)} denied by {piece.decider.label}")
        if not pieces:
            continue
        text = f"{label} " + "; ".join(pieces)
        if len(verdict.outcomes) > 1 or outcome.src != whole_src:
            text = f"from {addresses_text(outcome.src)}: {text}"
        parts.append(text)
    return "; ".join(parts)


def _caveats(verdict: Verdict, protocol: str) -> tuple[list[str], list[Ref]]:
    """Disabled / inactive rules that would have matched, and conditions assumed false."""
    notes: list[str] = []
    refs: list[Ref] = []
    seen: set[tuple[RuleRef, str]] = set()
    for outcome in verdict.outcomes:
        for caveat in outcome.caveats:
            if (caveat.rule, caveat.condition) in seen:
                continue
            seen.add((caveat.rule, caveat.condition))
            ports = f"{protocol.upper()} {ports_text(caveat.ports)}"
            if caveat.condition in ("disabled=yes", "inactive"):
                state = "disabled" if caveat.condition == "disabled=yes" else "inactive"
                notes.append(f"{caveat.rule.label} would match {ports} but is {state}")
            else:
                notes.append(
                    f"{caveat.rule.label} matches {ports} only when {caveat.condition}: assumed not"
                )
            if caveat.rule.ref is not None:
                refs.append(caveat.rule.ref)
    return notes, refs


def near_misses(verdict: Verdict, plan: Plan, subnet: ipaddress.IPv4Network) -> list[str]:
    """Permits for a network the size of the provider's that differs from it in one octet:
    most likely a typo of the provider subnet."""
    wanted = network(subnet)
    found: dict[ipaddress.IPv4Network, dict[str, None]] = {}
    for stage in plan.pipeline.stages:
        for rules in stage.chains.values():
            for rule in rules:
                src = rule.match.src
                if rule.action != "permit" or src is None:
                    continue
                for low, high in src - wanted:
                    if high - low == wanted.size - 1 and _one_octet_apart(
                        low, int(subnet.network_address)
                    ):
                        other = ipaddress.IPv4Network((low, subnet.prefixlen))
                        found.setdefault(other, {})[rule.source.label] = None
    return [
        f"{', '.join(labels)} {'permit' if len(labels) > 1 else 'permits'} {other}, "
        f"not {subnet} (a typo?)"
        for other, labels in found.items()
    ]


def _one_octet_apart(a: int, b: int) -> bool:
    return sum(1 for shift in (0, 8, 16, 24) if (a >> shift) & 0xFF != (b >> shift) & 0xFF) == 1


# ------------------------------------------------------------------------ assessment


@dataclass(frozen=True)
class Assessed:
    want: Want
    verdict: Verdict


def assess(
    plan: Plan,
    subnet: ipaddress.IPv4Network,
    wants: list[Want],
    known: Iterable[Assessed] = (),
) -> list[Assessed]:
    """Each want's verdict through ``plan`` from ``subnet``; ``known``: verdicts of this
    plan and subnet already reached, taken as they are (evaluating is the costly part)."""
    done = {item.want: item for item in known}
    results = []
    for want in wants:
        if want in done:
            results.append(done[want])
            continue
        flow = Flow(want.protocol, network(subnet), plan.target.addresses, want.ports)
        results.append(Assessed(want, evaluate(plan.pipeline, flow)))
    return results


def fix_requests(
    assessed: list[Assessed],
    subnet: ipaddress.IPv4Network,
    followup: Pipeline | None,
    target: Target,
) -> list[FixRequest]:
    """One permit per (protocol, closing rule), for the ports that rule closes; "any
    traffic" wanted and closed: one ``ip`` permit per closing rule covers everything."""
    any_closed = [a for a in assessed if a.want.any_traffic and not a.verdict.is_open]
    chosen = any_closed or [a for a in assessed if not a.verdict.is_open]
    merged: dict[tuple[str | None, RuleRef], IntervalSet | None] = {}
    for item in chosen:
        protocol = None if item.want.any_traffic else item.want.protocol
        for outcome in item.verdict.outcomes:
            for piece in outcome.pieces:
                if piece.permitted:
                    continue
                key = (protocol, piece.decider)
                old = merged.get(key, IntervalSet())
                merged[key] = None if protocol is None or old is None else old | piece.ports
    requests = [FixRequest(p, ports, subnet, before) for (p, before), ports in merged.items()]
    if followup is not None and any(r.before.table == "dstnat" for r in requests):
        requests += _after_forward(chosen, subnet, followup, target)
    return requests


def _after_forward(
    chosen: list[Assessed], subnet: ipaddress.IPv4Network, followup: Pipeline, target: Target
) -> list[FixRequest]:
    """What the filter still closes once the missing port forward exists."""
    again = [
        Assessed(
            a.want,
            evaluate(
                followup, Flow(a.want.protocol, network(subnet), target.addresses, a.want.ports)
            ),
        )
        for a in chosen
    ]
    return [r for r in fix_requests(again, subnet, None, target) if r.before.table != "dstnat"]


def evidence(assessed: list[Assessed], plan: Plan) -> list[Ref]:
    """The closing rules first (those with a line before the others), the lines that set
    the path, then the permitting rules; each once."""
    refs: list[Ref | None] = []
    closers = [rule for item in assessed for rule in item.verdict.closing_rules()]
    refs += [rule.ref for rule in closers if not rule.implicit and rule.ref and rule.ref.line]
    refs += [rule.ref for rule in closers]
    refs += list(plan.evidence)
    for item in assessed:
        for outcome in item.verdict.outcomes:
            for piece in outcome.pieces:
                refs += [r.ref for r in piece.deciders if piece.permitted]
    return list(dict.fromkeys(r for r in refs if r is not None))


def results(
    host: Host, policy: VoipPolicy, wants_of: Callable[[VoipPolicy], list[Want]], what: str
) -> Iterator[Result]:
    """The check body FW001 and FW002 share."""
    blocked = _precheck(host, policy)
    if blocked is not None:
        yield blocked
        return
    wants = wants_of(policy)
    if not wants:
        yield unknown("profile", f"the provider profile names no {what} ports")
        return
    found = targets(host, policy)
    if not found:
        yield unknown("targets", _no_targets(host))
        return
    planner = planner_of(host.platform)
    behind = 0
    for target in found:
        try:
            plan = planner(host.facts, target)
        except Unsupported as exc:
            behind += 1
            yield unknown(
                subject(policy.subnets[0], target), f"the ruleset cannot be evaluated: {exc}"
            )
            continue
        if plan is None:
            continue
        behind += 1
        for subnet in policy.subnets:
            try:
                every = [*rtp_wants(policy), *signalling_wants(policy)]
                yield _result(plan, subnet, wants, what, host.name, every)
            except Unsupported as exc:
                yield unknown(subject(subnet, target), f"the ruleset cannot be evaluated: {exc}")
    if not behind:
        names = ", ".join(t.label for t in found)
        yield passed(
            "path", f"not on the provider's path: none of the voice targets ({names}) is behind it"
        )


def _no_targets(host: Host) -> str:
    if host.role == "gateway":
        return "a voice gateway is its own target, but no interface has `ip nat outside` and an address"
    return "the provider profile names no voice targets (voip.targets: pbx, gateways or phones)"


def _summary(assessed: list[Assessed]) -> str:
    """``signalling TCP 80,443 and UDP 5060, any traffic TCP 1-65535 and UDP 1-65535``"""
    by_what: dict[str, list[str]] = {}
    for item in assessed:
        ports = item.want.ports if item.verdict.is_open else item.verdict.closed
        by_what.setdefault(item.want.what, []).append(
            f"{item.want.protocol.upper()} {ports_text(ports)}"
        )
    return ", ".join(f"{what} {' and '.join(parts)}" for what, parts in by_what.items())


_SEQUENCE = re.compile(r"^(\s*)\d+ (?=permit |deny )|(?<=^access-list )(\S+) line \d+ ")


def _unnumbered(line: str) -> str:
    """An ACL line without its place: ``19 permit ...`` -> ``permit ...``, ``access-list
    A line 3 extended ...`` -> ``access-list A extended ...``.

    >>> _unnumbered(" 19 permit udp any any"), _unnumbered("access-list A line 3 extended permit ip any any")
    (' permit udp any any', 'access-list A extended permit ip any any')
    """
    return _SEQUENCE.sub(lambda m: m[1] if m[1] is not None else f"{m[2]} ", line)


def _fix_lines(
    plan: Plan,
    subnet: ipaddress.IPv4Network,
    closed: list[Assessed],
    every: list[Want],
    opened: list[Assessed],
) -> list[str]:
    """The fix for what this check finds closed, placed as the fix for everything the
    provider needs would place it: FW001 and FW002 inserting before the same ACL entry
    then never claim the same sequence number or line, so their fixes apply together."""
    own = plan.fixer(fix_requests(closed, subnet, plan.followup, plan.target))
    assessed = [*closed, *opened]
    all_closed = [a for a in assess(plan, subnet, every, assessed) if not a.verdict.is_open]
    if len(all_closed) <= len(closed):
        return own
    together = plan.fixer(fix_requests(all_closed, subnet, plan.followup, plan.target))
    mine = {_unnumbered(line) for line in own}
    kept = [line for line in together if _unnumbered(line) in mine]
    if {_unnumbered(line) for line in kept} != mine:
        return own  # the joint fix words it differently (one `permit ip` covers all)
    return kept


def _result(
    plan: Plan,
    subnet: ipaddress.IPv4Network,
    wants: list[Want],
    what: str,
    device: str,
    every: list[Want] | None = None,
) -> Result:
    assessed = assess(plan, subnet, wants)
    whole = network(subnet)
    head = f"{subnet} → {plan.target.label} ({plan.path})"
    closed = [a for a in assessed if not a.verdict.is_open]
    if not closed:
        rules = dict.fromkeys(
            " and ".join(r.label for r in piece.deciders)
            for item in assessed
            for outcome in item.verdict.outcomes
            for piece in outcome.pieces
        )
        return passed(
            subject(subnet, plan.target),
            f"{head}: open — {_summary(assessed)} — permitted by {'; '.join(rules)}",
            evidence(assessed, plan),
        )
    notes: list[str] = list(plan.notes)
    hint_refs: list[Ref] = []
    for item in assessed:
        more, refs = _caveats(item.verdict, item.want.protocol)
        notes += more
        hint_refs += refs
    for item in closed:
        notes += near_misses(item.verdict, plan, subnet)
    texts = [f"{a.want.what}: {describe(a.verdict, a.want, whole)}" for a in assessed]
    message = f"{head}: closed for {_summary(closed)}. " + " | ".join(texts)
    if notes:
        message += ". Note: " + "; ".join(dict.fromkeys(notes))
    opened = [a for a in assessed if a.verdict.is_open]
    fixes = _fix_lines(plan, subnet, closed, every or wants, opened)
    return fail(
        subject(subnet, plan.target),
        message,
        [*evidence(closed, plan), *hint_refs],
        "\n".join(dict.fromkeys(fixes)),
        cause=f"{device}: its rules close the provider's traffic",  # FW001 and FW002 alike
        extent=[
            item
            for a in closed
            for item in span(f"{a.want.what} {a.want.protocol.upper()}", a.verdict.closed)
        ],
    )
