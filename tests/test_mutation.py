"""Nothing passes that was not seen: every fixture output of every platform, cut short,
garbled, with a line dropped or repeated, never crashes the audit, and no check that
fails on the whole input passes on the damaged one.

Damage that leaves a well-formed answer of another device state (a line dropped from
anywhere, a table without closing line cut between two rows) cannot be seen in the text:
it is recorded as a hypothesis event, not a failure. How many inputs: the hypothesis
profile (tests/conftest.py): ``ci`` by default, ``full`` (>= 20,000) with
``FLEETAUDIT_HYPOTHESIS=full``. ``python tests/mutation_harness.py N`` prints the figures.
"""

from __future__ import annotations

import pytest
from hypothesis import event, given, note
from hypothesis import strategies as st
from mutation_harness import GARBAGE, KINDS, all_cases, damage, judge, whole_verdicts

PAIRS = [(c, o) for c in all_cases() for o in c.outputs]
CASE_NAMES = sorted({c.name for c in all_cases()})


@given(
    index=st.integers(0, len(PAIRS) - 1),
    kind=st.sampled_from(KINDS),
    where=st.floats(0, 1, exclude_max=True),
    junk=st.integers(0, 2 * len(GARBAGE) - 1),
)
def test_damaged_evidence_never_passes_a_failing_check(
    index: int, kind: str, where: float, junk: int
) -> None:
    case, output = PAIRS[index]
    raw = damage(output.raw, kind, where, junk)
    note(f"{case.name} `{output.command}` {kind}: ends {raw[-120:]!r}")
    silent, well_formed = judge(case, output, kind, raw)
    event(kind)
    if silent and well_formed:
        event("passes on well-formed damage (no text can show it)")
        return
    assert not silent, f"{kind} of `{output.command}` ({case.name}) makes {silent} pass"


@pytest.mark.parametrize("name", CASE_NAMES)
def test_whole_fixtures_are_judged_whole(name: str) -> None:
    """The completeness rules accept every whole output (a fixture named unknown-* may
    hold a broken one on purpose)."""
    case = next(c for c in all_cases() if c.name == name)
    if "/unknown-" in name:
        return
    for device in case.devices:
        for command, item in device.collection.evidence.items():
            assert item.status in ("ok", "rejected"), (command, item.error)


def test_the_corpus_has_failing_checks_to_protect() -> None:
    failing = {
        check
        for case in all_cases()
        for (_, check), s in whole_verdicts(case).items()
        if s == "fail"
    }
    assert len(failing) >= 15, sorted(failing)
