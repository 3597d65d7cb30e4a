"""A finding's extent: what it covers, so a change can be told to make it worse.

Items are either spans, ``KEY:LOW-HIGH`` (``RTP udp:20001-65535``: ports closed for that
key), compared as sets of numbers per key, or plain items (an affected subject), compared
as a set. A finding grew when any number or item is in the later extent and not in the
earlier one: a newly closed port range, one more affected port or phone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from fleetaudit.rules.intervals import IntervalSet, ports_text

SPAN = re.compile(r"^(?P<key>.+):(?P<low>\d+)-(?P<high>\d+)$")


def span(key: str, ports: IntervalSet) -> list[str]:
    """The extent items of an interval set: one ``KEY:LOW-HIGH`` per span."""
    return [f"{key}:{low}-{high}" for low, high in ports]


def _split(items: Iterable[str]) -> tuple[dict[str, IntervalSet], set[str]]:
    spans: dict[str, IntervalSet] = {}
    plain: set[str] = set()
    for item in items:
        m = SPAN.match(item)
        if m:
            piece = IntervalSet.of(int(m["low"]), int(m["high"]))
            spans[m["key"]] = spans.get(m["key"], IntervalSet()) | piece
        else:
            plain.add(item)
    return spans, plain


def growth(before: Iterable[str], after: Iterable[str]) -> list[str]:
    """What ``after`` covers that ``before`` did not, in words (empty: it did not grow)."""
    old_spans, old_plain = _split(before)
    new_spans, new_plain = _split(after)
    grew = []
    for key, ports in new_spans.items():
        added = ports - old_spans.get(key, IntervalSet())
        if added:
            grew.append(f"{key} {ports_text(added)}")
    grew += sorted(new_plain - old_plain)
    return grew
