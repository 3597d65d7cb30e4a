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
    not_listed: dict[str, int] = field(default_factory=dict)  # check -> problems beyond
    # the examples listed (counted only, to keep memory flat on a big capture)


FACT = declare("sip_trace", CaptureFacts, "the SIP problems found in one capture file")


def results(host: Host, check: str, remediation: str = "") -> Iterator[Result]:
    facts: CaptureFacts = host[FACT]
    listed = [problem for problem in facts.problems if problem.check == check]
    for problem in listed:
        yield fail(
            problem.subject,
            problem.message,
            problem.refs(),
            problem.remediation or remediation,
            problem.severity,
        )
    more = facts.not_listed.get(check, 0)
    if more and listed:
        yield fail(
            "more calls (counted, not listed)",
            f"{more} more call(s) in this capture with this finding, counted but not "
            f"listed: the first {len(listed)} above show the evidence",
            (),
            listed[-1].remediation or remediation,
            listed[-1].severity,
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
