"""SIP error responses and retransmissions in the gateway's statistics.

## What it checks
`show sip-ua statistics`: every client-error (4xx), server-error (5xx) and
global-failure (6xx) counter above zero, in either direction, and every retry counter
above zero. Answers that are a normal part of signalling (401/407 challenges while
requests do succeed, 486 busy, 487 cancelled, 600/603) are not flagged.
Inbound = answers the gateway received (from the provider); outbound = answers it sent.

## Why it breaks calls
Each counter is a symptom with a usual cause: 403 wrong credentials or account; 408 and
Register/Invite retries a firewall or NAT dropping signalling, or the provider
unreachable; 488 a codec mismatch; 481 NAT bindings lost mid-call or an ALG rewriting
dialogs; 503 a provider outage or no route. The finding names the code, its meaning and
the likely cause.

## How to fix
Fix the cause the counter points at (see the message), then clear the counters
(`clear sip-ua statistics`) and watch whether they climb again.
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed
from fleetaudit.facts import SIP_UA_STATISTICS, SipCounter, SipUaStatistics
from fleetaudit.model import Severity
from fleetaudit.policy import VoipPolicy
from fleetaudit.sipcodes import explain_counter

ERROR_SECTIONS = ("Client Error", "Server Error", "Global Failure")
SEVERE = {403, 408, 503}
FIX = {
    "cisco_ios": "clear sip-ua statistics\n! after fixing the cause, watch: show sip-ua statistics"
}
SUCCESS_FOR_CHALLENGE = ("OkRegister", "OkInvite")


def _direction(counter: SipCounter) -> str:
    parts = []
    if counter.inbound:
        parts.append(f"{counter.inbound} received")
    if counter.outbound:
        parts.append(f"{counter.outbound} sent")
    return " and ".join(parts)


def _challenges_succeed(stats: SipUaStatistics) -> bool:
    ok = [stats.get("Success", name) for name in SUCCESS_FOR_CHALLENGE]
    return any(c is not None and (c.inbound or c.outbound) for c in ok)


def _error_result(counter: SipCounter, stats: SipUaStatistics) -> Result | None:
    if not (counter.inbound or (counter.outbound or 0)):
        return None
    code = explain_counter(counter.section, counter.name)
    challenge = code is not None and code.code in (401, 407)
    if code is not None and code.expected and (not challenge or _challenges_succeed(stats)):
        return None
    subject = f"statistics {counter.name}"
    if code is None:
        return fail(
            subject,
            f"{counter.name}: {_direction(counter)}",
            [counter.ref],
            FIX["cisco_ios"],
            "low",
        )
    severity: Severity = "high" if code.code in SEVERE else "medium"
    return fail(
        subject,
        f"{code.code} {code.reason}: {_direction(counter)} — {code.meaning}; likely cause: "
        f"{code.likely_cause}",
        [counter.ref],
        FIX["cisco_ios"],
        severity,
    )


def _retry_result(counter: SipCounter) -> Result | None:
    if not counter.inbound:
        return None
    severity: Severity = "high" if counter.name.lower() in ("register", "invite") else "medium"
    return fail(
        f"retries {counter.name}",
        f"{counter.inbound} {counter.name} retransmission(s): requests went unanswered — "
        "signalling dropped by a firewall/NAT, or the far end unreachable",
        [counter.ref],
        FIX["cisco_ios"],
        severity,
    )


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    stats: SipUaStatistics = host["sip_ua_statistics"]
    found = False
    for counter in stats.counters:
        if counter.section in ERROR_SECTIONS:
            result = _error_result(counter, stats)
        elif counter.section == "Retry Statistics":
            result = _retry_result(counter)
        else:
            continue
        if result is not None:
            found = True
            yield result
    if not found:
        cleared = f" (since {stats.cleared})" if stats.cleared else ""
        yield passed("statistics", f"no SIP error responses or retries{cleared}")


CHECK = Check(
    id="SIP003",
    slug="sip-error-responses",
    title="SIP error responses or retries on the gateway",
    severity="medium",
    facts=(SIP_UA_STATISTICS,),
    platforms=("cisco_ios",),
    roles=("gateway",),
    run=run,
    why="Error responses and retransmissions are calls or registrations that failed; the code "
    "says why.",
    fix=FIX,
    tags=("sip", "gateway"),
    references=("shared/seeds: `show sip-ua statistics` samples; SIP response code tables",),
)
