"""Interval sets behave as the sets of integers they stand for."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fleetaudit.rules.intervals import IntervalSet, addresses_text, network

spans = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 60)).map(lambda t: (min(t), max(t))), max_size=6
)


def members(value: IntervalSet) -> set[int]:
    return {n for low, high in value for n in range(low, high + 1)}


@given(spans, spans)
def test_set_algebra_matches_python_sets(
    a: list[tuple[int, int]], b: list[tuple[int, int]]
) -> None:
    x, y = IntervalSet(a), IntervalSet(b)
    assert members(x & y) == members(x) & members(y)
    assert members(x | y) == members(x) | members(y)
    assert members(x - y) == members(x) - members(y)
    assert members(x.complement((0, 60))) == set(range(61)) - members(x)
    assert all(n in x for n in members(x)) and x.size == len(members(x))
    assert (x & y) == (y & x) and (x - y).spans == tuple(sorted((x - y).spans))


@given(spans)
def test_spans_are_disjoint_and_not_adjacent(a: list[tuple[int, int]]) -> None:
    found = IntervalSet(a).spans
    assert all(found[i][1] + 1 < found[i + 1][0] for i in range(len(found) - 1))


def test_addresses_read_like_a_person_writes_them() -> None:
    rest = network("193.201.230.128/26") - network("193.201.230.129/32")
    assert addresses_text(rest) == "193.201.230.128, 193.201.230.130-193.201.230.191"
    assert addresses_text(network("10.0.0.0/8")) == "10.0.0.0/8"
