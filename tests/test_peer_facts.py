"""Cross-device checks read of their peers only what they declare (``peer_facts``), and
of their own host only ``facts`` and ``reads``: anything else fails loudly, so the
declarations the streaming runner keeps hosts by stay true."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fleetaudit.checkkit import Check, CheckRun, Host, Result, UndeclaredFact, passed, run_checks
from fleetaudit.model import HostResult
from fleetaudit.policy import VoipPolicy


def _check(run: object, **declared: tuple[str, ...]) -> Check:
    return Check(
        id="TST001",
        slug="test-check",
        title="test",
        severity="low",
        facts=declared.pop("facts", ()),
        platforms=("cisco_ios",),
        run=run,  # type: ignore[arg-type]
        why="test",
        fix={},
        **declared,  # type: ignore[arg-type]
    )


def _hosts() -> list[HostResult]:
    facts = {"nat": "nat of {}", "acl": "acl of {}", "device": "device of {}"}
    return [
        HostResult(
            n, "cisco_ios", "s1", None, "ok", facts={k: v.format(n) for k, v in facts.items()}
        )
        for n in ("a", "b", "c")
    ]


def test_a_check_reads_its_declared_peer_facts() -> None:
    def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
        seen = ",".join(f"{p.name}:{p.facts['nat']}" for p in host.peers)
        yield passed(host["acl"], seen)

    findings = run_checks(_hosts(), {}, [_check(run, facts=("acl",), peer_facts=("nat",))])
    assert [(f.subject, f.message) for f in findings] == [
        ("acl of a", "b:nat of b,c:nat of c"),
        ("acl of b", "a:nat of a,c:nat of c"),
        ("acl of c", "a:nat of a,b:nat of b"),
    ]


@pytest.mark.parametrize(
    "read",
    [
        lambda host: [p.facts["acl"] for p in host.peers],  # a peer's undeclared fact
        lambda host: [p.facts.get("acl") for p in host.peers],
        lambda host: ["acl" in p.facts for p in host.peers],
        lambda host: host.facts.get("device"),  # its own, neither in facts nor reads
    ],
)
def test_reading_an_undeclared_fact_fails_loudly(read: object) -> None:
    """Read from the first peer of `a` (`b`), or `a` itself."""

    def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
        read(host)  # type: ignore[operator]
        yield passed("x", "y")

    with pytest.raises(UndeclaredFact, match=r"TST001( on a|, of peer b): reads fact"):
        run_checks(_hosts(), {}, [_check(run, facts=("nat",), peer_facts=("nat",))])


def test_a_check_declaring_no_peer_facts_cannot_read_peers() -> None:
    def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
        yield passed("peers", str(len(host.peers)))

    with pytest.raises(UndeclaredFact, match="declares no peer_facts"):
        run_checks(_hosts(), {}, [_check(run)])


def test_findings_keep_the_order_of_checks_then_hosts() -> None:
    """Own-host checks run as each host is added, cross checks at the end; the findings
    come out check by check, host by host, as a run over all hosts at once gives them."""

    def own(host: Host, policy: VoipPolicy) -> Iterator[Result]:
        yield passed("own", host.name)

    def cross(host: Host, policy: VoipPolicy) -> Iterator[Result]:
        yield passed("cross", host.name)

    checks = [
        Check(**{**_check(cross, peer_facts=("nat",)).__dict__, "id": "TST001"}),
        Check(**{**_check(own).__dict__, "id": "TST002"}),
    ]
    run = CheckRun(checks, {})
    for host in _hosts():
        run.add(host)
    assert [(f.check, f.host) for f in run.finish()] == [
        ("TST001", "a"), ("TST001", "b"), ("TST001", "c"),
        ("TST002", "a"), ("TST002", "b"), ("TST002", "c"),
    ]  # fmt: skip


def test_reads_are_for_cross_device_checks_only() -> None:
    with pytest.raises(ValueError, match="reads"):
        _check(lambda h, p: [], reads=("nat",))
