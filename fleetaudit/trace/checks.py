"""The glue between a trace check module (checks/trace/) and the problems found in a
capture: each module documents one kind and yields that kind's problems as results."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from fleetaudit.checkkit import Host, Result, fail, unknown
from fleetaudit.facts import declare
from fleetaudit.trace.problems import Problem

PLATFORM = "capture"


@dataclass
class CaptureFacts:
    """What the checks see of one capture file."""

    problems: list[Problem] = field(default_factory=list)
    registrations: int = 0  # REGISTER dialogs in the whole trace
    nat_timeout_known: bool = False  # --site gave a NAT/UDP timeout


FACT = declare("sip_trace", CaptureFacts, "the SIP problems found in one capture file")


def results(host: Host, check: str, remediation: str = "") -> Iterator[Result]:
    facts: CaptureFacts = host[FACT]
    for problem in facts.problems:
        if problem.check == check:
            yield fail(
                problem.subject,
                problem.message,
                problem.refs(),
                problem.remediation or remediation,
                problem.severity,
            )


def registration_results(host: Host, remediation: str) -> Iterator[Result]:
    facts: CaptureFacts = host[FACT]
    if facts.registrations and not facts.nat_timeout_known:
        yield unknown(
            "registrations",
            f"{facts.registrations} registration dialog(s) seen; no NAT/UDP timeout to "
            "compare them with: pass --site S (a site with a stored audit)",
        )
        return
    yield from results(host, "TRC005", remediation)
