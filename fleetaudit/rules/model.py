"""The platform-neutral ruleset model and the first-match range evaluator.

A platform module compiles a device's facts into a :class:`Pipeline`: the stages a
packet from the provider passes on its way to a voice target (ASA: the ingress
interface's access-list plus the global one, then the egress ``out`` list; RouterOS:
``dstnat``, then ``forward``; IOS: the WAN ``in`` list, then an inside ``out`` list).
Each stage is a set of chains of :class:`Rule` evaluated first-match from an entry chain,
with ``jump`` / ``return`` and a default action when nothing matches.

:func:`evaluate` answers, for a :class:`Flow` (source prefix, destination address or
prefix, protocol, destination *port range*), which ports get through and, for every
closed sub-range, which rule closed it. It splits the addresses into the few pieces
within which every rule behaves the same, and walks the rules once per piece with the
whole port set at hand: interval arithmetic, never a loop over ports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from fleetaudit.facts import Ref
from fleetaudit.rules.intervals import EMPTY, IntervalSet

Action = Literal["permit", "deny", "jump", "return", "continue", "nat"]
MAX_JUMP_DEPTH = 32


class Unsupported(Exception):
    """The ruleset uses something the evaluator cannot decide (the check says unknown)."""


@dataclass(frozen=True)
class RuleRef:
    """Where a rule (or a default) lives, for messages, evidence and fixes."""

    label: str  # "access-list OUTSIDE_IN line 6", "filter rule 9 (chain wan-in)"
    ref: Ref | None = None  # the config line
    table: str = ""  # the ACL / chain a fix goes into
    position: int | None = None  # ASA line, RouterOS rule number, IOS sequence
    comment: str | None = None  # RouterOS comment (a stable handle for place-before)
    implicit: bool = False  # a default (implicit deny, default accept), not a written rule


@dataclass(frozen=True)
class Match:
    """What a rule matches. ``None`` is "any". Conditions the evaluator cannot decide
    for the flow (a time-range, a source port) go in ``condition``: such a rule is
    assumed not to match, and every answer it could change carries it as a caveat."""

    src: IntervalSet | None = None
    dst: IntervalSet | None = None
    protocols: frozenset[str] | None = None
    ports: IntervalSet | None = None  # destination ports
    dstnat: bool | None = None  # RouterOS connection-nat-state: True dstnat, False !dstnat
    condition: str | None = None


@dataclass(frozen=True)
class Rule:
    match: Match
    action: Action
    source: RuleRef
    jump: str | None = None  # target chain of a jump
    nat_to: IntervalSet | None = None  # new destination of a dst-nat rule


@dataclass(frozen=True)
class Stage:
    """One table a packet passes. ``kind`` "filter" permits or denies; "dnat" sorts
    ports into translated to the target / elsewhere / untranslated."""

    name: str
    chains: Mapping[str, tuple[Rule, ...]]
    entry: str
    default: Literal["permit", "deny"]
    default_source: RuleRef
    kind: Literal["filter", "dnat"] = "filter"
    untranslated_closes: bool = False  # dnat: a port no rule translates never arrives
    dst: int | None = None  # the destination this stage sees, when NAT changed it


@dataclass(frozen=True)
class Pipeline:
    stages: tuple[Stage, ...]


@dataclass(frozen=True)
class Flow:
    protocol: str  # "tcp", "udp"
    src: IntervalSet
    dst: IntervalSet
    ports: IntervalSet


@dataclass(frozen=True)
class Piece:
    """A sub-range of the flow's ports with one outcome."""

    ports: IntervalSet
    permitted: bool
    deciders: tuple[RuleRef, ...]  # one per stage passed; for a closed piece, the last closed it

    @property
    def decider(self) -> RuleRef:
        return self.deciders[-1]


@dataclass(frozen=True)
class Caveat:
    ports: IntervalSet
    rule: RuleRef
    condition: str


@dataclass(frozen=True)
class Outcome:
    """The answer for a block of source (and destination) addresses."""

    src: IntervalSet
    dst: IntervalSet
    pieces: tuple[Piece, ...]
    caveats: tuple[Caveat, ...] = ()

    @property
    def closed(self) -> IntervalSet:
        return _union(p.ports for p in self.pieces if not p.permitted)

    @property
    def permitted(self) -> IntervalSet:
        return _union(p.ports for p in self.pieces if p.permitted)


@dataclass(frozen=True)
class Verdict:
    flow: Flow
    outcomes: tuple[Outcome, ...]

    @property
    def closed(self) -> IntervalSet:
        return _union(o.closed for o in self.outcomes)

    @property
    def is_open(self) -> bool:
        return not self.closed

    def closing_rules(self) -> list[RuleRef]:
        """The rules (or defaults) that close some port, first-seen order."""
        seen: dict[RuleRef, None] = {}
        for outcome in self.outcomes:
            for piece in outcome.pieces:
                if not piece.permitted:
                    seen.setdefault(piece.decider)
        return list(seen)


def _union(sets: Iterable[IntervalSet]) -> IntervalSet:
    result = EMPTY
    for item in sets:
        result = result | item
    return result


# ------------------------------------------------------------------------ evaluation


@dataclass
class _Walk:
    """One walk of a stage's chains for one address block."""

    stage: Stage
    src: int
    dst: int
    protocol: str
    marked: IntervalSet  # ports dst-nat'ed to the target (connection-nat-state=dstnat)
    decided: list[tuple[IntervalSet, Rule]] = field(default_factory=list)
    caveats: list[Caveat] = field(default_factory=list)

    def hits(self, rule: Rule, remaining: IntervalSet) -> IntervalSet:
        match = rule.match
        if match.src is not None and self.src not in match.src:
            return EMPTY
        if match.dst is not None and self.dst not in match.dst:
            return EMPTY
        if match.protocols is not None and self.protocol not in match.protocols:
            return EMPTY
        hit = remaining if match.ports is None else remaining & match.ports
        if match.dstnat is True:
            hit = hit & self.marked
        elif match.dstnat is False:
            hit = hit - self.marked
        if hit and match.condition is not None:
            self.caveats.append(Caveat(hit, rule.source, match.condition))
            return EMPTY
        return hit

    def run(self, chain: str, remaining: IntervalSet, depth: int = 0) -> IntervalSet:
        """Walk ``chain`` with ``remaining`` ports; returns the ports that fall off its
        end or hit ``return`` (they continue in the calling chain)."""
        if depth > MAX_JUMP_DEPTH:
            raise Unsupported(
                f"{self.stage.name}: jumps nest deeper than {MAX_JUMP_DEPTH} (a loop?)"
            )
        returned = EMPTY
        for rule in self.stage.chains.get(chain, ()):
            if not remaining:
                break
            hit = self.hits(rule, remaining)
            if not hit:
                continue
            if rule.action == "continue":
                continue
            remaining = remaining - hit
            if rule.action == "jump":  # a chain without rules returns at once
                remaining = remaining | self.run(rule.jump or "", hit, depth + 1)
            elif rule.action == "return":
                returned = returned | hit
            else:
                self.decided.append((hit, rule))
        return returned | remaining


def _walk(
    stage: Stage, src: int, dst: int, flow: Flow, ports: IntervalSet, marked: IntervalSet
) -> _Walk:
    walk = _Walk(stage, src, dst, flow.protocol, marked)
    rest = walk.run(stage.entry, ports)
    if rest:
        default = Rule(Match(), stage.default, stage.default_source)
        walk.decided.append((rest, default))
    return walk


def _relevant(rule: Rule, flow: Flow) -> bool:
    match = rule.match
    if match.protocols is not None and flow.protocol not in match.protocols:
        return False
    if match.src is not None and not match.src.overlaps(flow.src):
        return False
    if match.dst is not None and not match.dst.overlaps(flow.dst):
        return False
    return rule.action == "jump" or match.ports is None or match.ports.overlaps(flow.ports)


def _narrow(pipeline: Pipeline, flow: Flow) -> Pipeline:
    """The pipeline with only the rules that can touch the flow (same answers, faster)."""
    stages = []
    for stage in pipeline.stages:
        seen = flow if stage.dst is None else replace(flow, dst=IntervalSet.of(stage.dst))
        chains = {
            name: tuple(r for r in rules if _relevant(r, seen))
            for name, rules in stage.chains.items()
        }
        stages.append(replace(stage, chains=chains))
    return Pipeline(tuple(stages))


def _cuts(sets: Iterable[IntervalSet | None], bounds: IntervalSet) -> list[tuple[int, int]]:
    """Split ``bounds`` into the blocks inside which every given set is all-in or all-out."""
    points: set[int] = set()
    for items in sets:
        if items is None:
            continue
        for low, high in items & bounds:
            points.add(low)
            points.add(high + 1)
    blocks: list[tuple[int, int]] = []
    for low, high in bounds:
        inner = sorted(p for p in points if low < p <= high)
        start = low
        for point in inner:
            blocks.append((start, point - 1))
            start = point
        blocks.append((start, high))
    return blocks


def _rules(pipeline: Pipeline, fixed_dst: bool | None = None) -> Iterable[Rule]:
    for stage in pipeline.stages:
        if fixed_dst is not None and (stage.dst is not None) != fixed_dst:
            continue
        for rules in stage.chains.values():
            yield from rules


def evaluate(pipeline: Pipeline, flow: Flow) -> Verdict:
    """Which of the flow's ports get through the pipeline, and which rule decides each."""
    narrowed = _narrow(pipeline, flow)
    rules = list(_rules(narrowed))
    moving = list(_rules(narrowed, fixed_dst=False))  # stages that see the flow's destination
    src_blocks = _cuts((r.match.src for r in rules), flow.src)
    dst_blocks = _cuts([*(r.match.dst for r in moving), *(r.nat_to for r in rules)], flow.dst)
    results: dict[
        tuple[tuple[Piece, ...], tuple[Caveat, ...]], list[tuple[int, int, int, int]]
    ] = {}
    for dst_low, dst_high in dst_blocks:
        for src_low, src_high in src_blocks:
            key = _block(narrowed, flow, src_low, dst_low)
            results.setdefault(key, []).append((src_low, src_high, dst_low, dst_high))
    outcomes = []
    for (pieces, caveats), blocks in results.items():
        for src, dst in _group(blocks):
            outcomes.append(Outcome(src, dst, pieces, caveats))
    outcomes.sort(key=lambda o: (o.dst.spans, o.src.spans))
    return Verdict(flow, tuple(outcomes))


def _group(blocks: list[tuple[int, int, int, int]]) -> list[tuple[IntervalSet, IntervalSet]]:
    """Address blocks with the same answer as (sources, destinations) pairs."""
    by_dst: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for src_low, src_high, dst_low, dst_high in blocks:
        by_dst.setdefault((dst_low, dst_high), []).append((src_low, src_high))
    by_src: dict[IntervalSet, list[tuple[int, int]]] = {}
    for dst, srcs in by_dst.items():
        by_src.setdefault(IntervalSet(srcs), []).append(dst)
    return [(src, IntervalSet(dsts)) for src, dsts in by_src.items()]


def _block(
    pipeline: Pipeline, flow: Flow, src: int, dst: int
) -> tuple[tuple[Piece, ...], tuple[Caveat, ...]]:
    """The answer for one address block, represented by its first source and destination."""
    open_ports = flow.ports
    passed: list[tuple[IntervalSet, tuple[RuleRef, ...]]] = [(flow.ports, ())]
    closed: list[Piece] = []
    caveats: list[Caveat] = []
    marked = EMPTY
    for stage in pipeline.stages:
        if not open_ports:
            break
        seen = dst if stage.dst is None else stage.dst
        walk = _walk(stage, src, seen, flow, open_ports, marked)
        caveats += walk.caveats
        for ports, rule in walk.decided:
            through = _verdict(stage, rule, dst)
            if through == "marked":
                marked = marked | ports
            if through == "closed":
                open_ports = open_ports - ports
                closed += [
                    Piece(p & ports, False, (*d, rule.source)) for p, d in passed if p & ports
                ]
            elif stage.kind == "filter" or through == "marked":
                passed = _split(passed, ports, rule.source)
    pieces = [Piece(p & open_ports, True, d) for p, d in passed if p & open_ports] + closed
    return _merge(pieces), tuple(caveats)


def _merge(pieces: list[Piece]) -> tuple[Piece, ...]:
    """One piece per outcome (the same rule may decide ports on several paths)."""
    merged: dict[tuple[bool, tuple[RuleRef, ...]], IntervalSet] = {}
    for piece in pieces:
        key = (piece.permitted, piece.deciders)
        merged[key] = merged.get(key, EMPTY) | piece.ports
    result = [Piece(ports, permitted, deciders) for (permitted, deciders), ports in merged.items()]
    return tuple(sorted(result, key=lambda p: p.ports.spans))


def _verdict(stage: Stage, rule: Rule, dst: int) -> Literal["open", "closed", "marked"]:
    if stage.kind == "filter":
        return "open" if rule.action == "permit" else "closed"
    if rule.action == "nat" and rule.nat_to is not None:
        return "marked" if dst in rule.nat_to else "closed"
    return "closed" if stage.untranslated_closes else "open"


def _split(
    passed: list[tuple[IntervalSet, tuple[RuleRef, ...]]], ports: IntervalSet, source: RuleRef
) -> list[tuple[IntervalSet, tuple[RuleRef, ...]]]:
    """Record that ``source`` permitted ``ports`` in this stage."""
    result = []
    for have, deciders in passed:
        inside, outside = have & ports, have - ports
        if inside:
            result.append((inside, (*deciders, source)))
        if outside:
            result.append((outside, deciders))
    return result
