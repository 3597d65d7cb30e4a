"""Sets of integers as sorted, disjoint, closed intervals: ports (0-65535) and IPv4
addresses (as integers). Every operation is linear in the number of intervals, never in
the number of members, so a whole port range costs what one port costs.
"""

from __future__ import annotations

import ipaddress
from bisect import bisect_right
from collections.abc import Iterable, Iterator

Span = tuple[int, int]

PORTS = (0, 65535)
ADDRESSES = (0, 2**32 - 1)


class IntervalSet:
    """An immutable set of integers held as sorted, disjoint, non-adjacent spans.

    >>> a = IntervalSet([(10000, 20000), (5060, 5060)])
    >>> str(a), str(a - IntervalSet([(15000, 15000)]))
    ('5060,10000-20000', '5060,10000-14999,15001-20000')
    >>> str(a & IntervalSet([(5000, 12000)])), 20001 in a, a.size
    ('5060,10000-12000', False, 10002)
    """

    __slots__ = ("_lows", "spans")

    spans: tuple[Span, ...]
    _lows: tuple[int, ...]

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        merged: list[Span] = []
        for low, high in sorted(s for s in spans if s[0] <= s[1]):
            if merged and low <= merged[-1][1] + 1:
                if high > merged[-1][1]:
                    merged[-1] = (merged[-1][0], high)
            else:
                merged.append((low, high))
        self.spans = tuple(merged)
        self._lows = tuple(low for low, _ in merged)

    @classmethod
    def of(cls, low: int, high: int | None = None) -> IntervalSet:
        return cls([(low, low if high is None else high)])

    # ------------------------------------------------------------------ set algebra

    def __and__(self, other: IntervalSet) -> IntervalSet:
        result: list[Span] = []
        mine, theirs = self.spans, other.spans
        i = j = 0
        while i < len(mine) and j < len(theirs):
            low = max(mine[i][0], theirs[j][0])
            high = min(mine[i][1], theirs[j][1])
            if low <= high:
                result.append((low, high))
            if mine[i][1] < theirs[j][1]:
                i += 1
            else:
                j += 1
        return _raw(result)

    def __or__(self, other: IntervalSet) -> IntervalSet:
        if not other.spans:
            return self
        if not self.spans:
            return other
        return IntervalSet(self.spans + other.spans)

    def __sub__(self, other: IntervalSet) -> IntervalSet:
        if not other.spans or not self.spans:
            return self
        result: list[Span] = []
        theirs = other.spans
        j = 0
        for low, high in self.spans:
            while j < len(theirs) and theirs[j][1] < low:
                j += 1
            k, start = j, low
            while k < len(theirs) and theirs[k][0] <= high:
                if theirs[k][0] > start:
                    result.append((start, theirs[k][0] - 1))
                start = max(start, theirs[k][1] + 1)
                k += 1
            if start <= high:
                result.append((start, high))
        return _raw(result)

    def complement(self, universe: Span) -> IntervalSet:
        return IntervalSet([universe]) - self

    # ------------------------------------------------------------------ queries

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, int):
            return False
        at = bisect_right(self._lows, value) - 1
        return at >= 0 and self.spans[at][1] >= value

    def __bool__(self) -> bool:
        return bool(self.spans)

    def __iter__(self) -> Iterator[Span]:
        return iter(self.spans)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IntervalSet) and self.spans == other.spans

    def __hash__(self) -> int:
        return hash(self.spans)

    def __repr__(self) -> str:
        return f"IntervalSet({list(self.spans)!r})"

    def __str__(self) -> str:
        return ports_text(self)

    @property
    def size(self) -> int:
        return sum(high - low + 1 for low, high in self.spans)

    def overlaps(self, other: IntervalSet) -> bool:
        return bool(self & other)

    def covers(self, other: IntervalSet) -> bool:
        return not (other - self)


def _raw(spans: list[Span]) -> IntervalSet:
    """Spans already sorted and disjoint (they may touch: merge those)."""
    result = IntervalSet.__new__(IntervalSet)
    merged: list[Span] = []
    for low, high in spans:
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    result.spans = tuple(merged)
    result._lows = tuple(low for low, _ in merged)
    return result


EMPTY = IntervalSet()
ALL_PORTS = IntervalSet([PORTS])
ALL_ADDRESSES = IntervalSet([ADDRESSES])


def ports_text(ports: IntervalSet) -> str:
    """``5060,10000-20000``: the RouterOS / provider-sheet way of writing ports."""
    return ",".join(str(low) if low == high else f"{low}-{high}" for low, high in ports)


def network(prefix: str | ipaddress.IPv4Network) -> IntervalSet:
    """A prefix (``193.0.2.0/26``, a bare address is a /32) as an address set.

    >>> network("10.0.0.0/30").spans
    ((167772160, 167772163),)
    """
    net = ipaddress.IPv4Network(prefix, strict=False)
    return IntervalSet.of(int(net.network_address), int(net.broadcast_address))


def address_range(first: str, last: str) -> IntervalSet:
    return IntervalSet.of(int(ipaddress.IPv4Address(first)), int(ipaddress.IPv4Address(last)))


def addresses_text(addresses: IntervalSet) -> str:
    """Address sets as people write them: prefixes where they fit, else ranges.

    >>> addresses_text(network("193.201.230.128/26") - network("193.201.230.129/32"))
    '193.201.230.128, 193.201.230.130-193.201.230.191'
    >>> addresses_text(network("10.0.0.0/24"))
    '10.0.0.0/24'
    """
    parts: list[str] = []
    for low, high in addresses:
        first, last = ipaddress.IPv4Address(low), ipaddress.IPv4Address(high)
        nets = list(ipaddress.summarize_address_range(first, last))
        if low == high:
            parts.append(str(first))
        elif len(nets) == 1:
            parts.append(str(nets[0]))
        else:
            parts.append(f"{first}-{last}")
    return ", ".join(parts)
