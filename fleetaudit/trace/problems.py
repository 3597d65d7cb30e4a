"""What is wrong with one finished call: pure functions from a :class:`Call` (and what
the site's latest audit knows) to :class:`Problem` s, one kind per ``TRC`` check."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from fleetaudit.facts import Ref
from fleetaudit.model import Severity
from fleetaudit.sipcodes import BY_COUNTER, GLOBAL_NOT_ACCEPTABLE, SipCode
from fleetaudit.trace.calls import Call, Row, Transaction
from fleetaudit.trace.site import SiteLinks

CHALLENGES = (401, 407)
SEVERE_CODES = {403, 404, 408, 480, 488, 500, 502, 503, 504, 604}
TIMER_B_S = 32.0  # RFC 3261: a client gives up on an unanswered request after 64*T1
BY_CODE: dict[int, SipCode] = {c.code: c for c in BY_COUNTER.values()} | {
    606: GLOBAL_NOT_ACCEPTABLE
}


@dataclass(frozen=True)
class Problem:
    check: str
    subject: str
    message: str
    rows: tuple[Row, ...]
    severity: Severity | None = None
    remediation: str = ""

    @property
    def file(self) -> str:
        return self.rows[0].file if self.rows else ""

    def refs(self) -> list[Ref]:
        return [ref_of(row) for row in self.rows]


def ref_of(row: Row) -> Ref:
    clock = time.strftime("%H:%M:%S", time.gmtime(row.ts)) + f".{int(row.ts % 1 * 1000):03d}"
    again = " (retransmission)" if row.retransmission else ""
    return Ref(
        row.file, row.number, f"#{row.number} {clock} {row.src} -> {row.dst} {row.label}{again}"
    )


@dataclass
class Context:
    end_ts: float  # the capture's last packet
    site: SiteLinks | None = None
    registrations: int = field(default=0)  # calls with a REGISTER, healthy ones included


def explain_code(code: int) -> str:
    known = BY_CODE.get(code)
    if known is None:
        return "no entry in the SIP code table"
    return f"{known.meaning}; likely cause: {known.likely_cause}"


def _subject(call: Call) -> str:
    return f"Call-ID {call.call_id}"


def auth_loops(call: Call, ctx: Context) -> Iterable[Problem]:
    """TRC001: a challenge followed by 403, or challenges that never end in success."""
    if not any(r.status in CHALLENGES for t in call.transactions.values() for r in t.responses):
        return
    ordered = sorted(
        call.transactions.values(), key=lambda t: t.requests[0].number if t.requests else 0
    )
    challenges = [(t, r) for t in ordered for r in t.responses if r.status in CHALLENGES]
    if not challenges:
        return
    forbidden = [
        (t, r)
        for t in ordered
        for r in t.responses
        if r.status == 403 and r.row.number > challenges[0][1].row.number
    ]
    success = any(t.final is not None and 200 <= t.final.status < 300 for t in ordered)
    method = challenges[0][0].method
    user = challenges[0][0].user
    who = f"{method} from user {user!r}" if user else method
    if forbidden:
        t, r = forbidden[0]
        rows = (challenges[0][0].requests[0], challenges[0][1].row, *t.requests[-1:], r.row)
        link = ctx.site.explain("SIP002", t.requests[0].src) if ctx.site else ""
        yield Problem(
            "TRC001",
            _subject(call),
            f"{who}: challenged ({challenges[0][1].status}) then refused with 403 Forbidden "
            f"after sending credentials: the user is unknown to the server or the password "
            f"(or realm) is wrong{link}",
            rows,
            "high",
            f"check the auth username/password of {user or 'the account'} on both sides",
        )
    elif len(challenges) >= 3 and not success:
        rows = tuple(r.row for _t, r in challenges[:6])
        yield Problem(
            "TRC001",
            _subject(call),
            f"{who}: challenged {len(challenges)} times and never accepted: the credentials "
            "sent do not match (wrong password, or an unknown user the server still "
            "challenges)",
            rows,
            "high",
            f"check the auth username/password of {user or 'the account'} on both sides",
        )


def _after_challenge(call: Call, transaction: Transaction) -> bool:
    first = transaction.requests[0].number if transaction.requests else 0
    return any(
        r.status in CHALLENGES and r.row.number < first
        for t in call.transactions.values()
        for r in t.responses
    )


def error_responses(call: Call, ctx: Context) -> Iterable[Problem]:
    """TRC002: 4xx/5xx/6xx final answers, with the table's meaning and the far end's
    own Reason / X-Asterisk-HangupCause(Code)."""
    for transaction in call.transactions.values():
        final = transaction.final
        if final is None or final.status < 400 or final.status in CHALLENGES:
            continue
        known = BY_CODE.get(final.status)
        if known is not None and known.expected:
            continue
        if final.status == 403 and _after_challenge(call, transaction):
            continue  # TRC001 tells this story
        told = "; ".join(f"{name.title()}: {value}" for name, value in final.explanation.items())
        told = f" — the far end says {told}" if told else ""
        link = ""
        if ctx.site is not None and final.status in (403, 408, 503):
            link = ctx.site.explain(
                "SIP002", transaction.requests[0].src if transaction.requests else ""
            )
        provisional = [r.row for r in transaction.responses if r.status < 200][:2]
        yield Problem(
            "TRC002",
            _subject(call),
            f"{transaction.method} answered {final.status} {final.reason}: "
            f"{explain_code(final.status)}{told}{link}",
            (*transaction.requests[:1], *provisional, final.row),
            "high" if final.status in SEVERE_CODES else "medium",
        )


def unanswered(call: Call, ctx: Context) -> Iterable[Problem]:
    """TRC003: requests sent (and re-sent) with no answer, or an INVITE left at a
    provisional answer."""
    for transaction in call.transactions.values():
        if transaction.method == "ACK" or not transaction.requests:
            continue
        first = transaction.requests[0]
        waited = ctx.end_ts - first.ts
        sends = len(transaction.requests)
        span = transaction.requests[-1].ts - first.ts
        if not transaction.responses:
            if transaction.retransmissions == 0 and waited < TIMER_B_S:
                continue  # the capture simply stopped
            link = ctx.site.explain_any(("FW002", "FW001")) if ctx.site else ""
            yield Problem(
                "TRC003",
                _subject(call),
                f"{transaction.method} to {first.dst} sent {sends} time(s) over {span:.1f} s "
                f"and never answered: a firewall (iptables) or fail2ban on the far side "
                f"dropping it, or the peer is down{link}",
                tuple(transaction.requests[:8]),
                "high",
                f"from the far side: check that {first.src.rsplit(':', 1)[0]} is not banned "
                "(fail2ban-client status), that the firewall lets SIP in, that the service runs",
            )
        elif transaction.final is None and transaction.method == "INVITE" and waited >= TIMER_B_S:
            last = transaction.responses[-1]
            yield Problem(
                "TRC003",
                _subject(call),
                f"INVITE to {first.dst} got {last.row.label} and then nothing for "
                f"{ctx.end_ts - last.row.ts:.0f} s: the far side stopped processing it",
                (first, last.row),
                "medium",
            )


def nat_traces(call: Call, ctx: Context) -> Iterable[Problem]:
    """TRC004: private addresses from a public source, received/rport, rewritten SDP."""
    if not call.nat:
        return
    seen: set[tuple[str, str]] = set()
    for trace in call.nat:
        key = (trace.kind, trace.detail)
        if key in seen:
            continue
        seen.add(key)
        link = ctx.site.explain("ALG001", trace.address) if ctx.site else ""
        rows = (trace.other, trace.row) if trace.other else (trace.row,)
        yield Problem(
            "TRC004",
            f"{_subject(call)} {trace.kind}",
            trace.detail + link,
            rows,
            "high" if link else "medium",
        )


def registration_intervals(call: Call, ctx: Context) -> Iterable[Problem]:
    """TRC005: a registration that outlives the site's NAT/UDP timeout."""
    if ctx.site is None or ctx.site.nat_timeout is None or not call.registrations:
        return
    granted = [r for r in call.registrations if r.granted]
    chosen = max(granted or call.registrations, key=lambda r: r.expires_s)
    timeout, device = ctx.site.nat_timeout
    if chosen.expires_s <= timeout:
        return
    how = "granted by the registrar" if chosen.granted else "asked for (Expires)"
    yield Problem(
        "TRC005",
        _subject(call),
        f"registration of {chosen.contact or 'the contact'} every {chosen.expires_s} s "
        f"({how}) but the NAT/UDP timeout on {device} is {timeout} s: the binding closes "
        f"before the next REGISTER, incoming calls stop reaching the phone (NAT001 on {device})",
        (chosen.row,),
        "high",
        f"register at most every {max(timeout // 2, 30)} s (or send keep-alives), or raise "
        f"the UDP timeout on {device}",
    )


def one_way_media(call: Call, ctx: Context) -> Iterable[Problem]:
    """TRC006: an answered call whose RTP flows one way only."""
    if not call.answered or len(call.media) < 2:
        return
    flowing = [m for m in call.media if m.packets]
    silent = [m for m in call.media if not m.packets]
    if not flowing or not silent:
        return
    link = ctx.site.explain_any(("ALG001", "FW001"), silent[0].address) if ctx.site else ""
    heard, deaf = flowing[0], silent[0]
    rows = tuple(r for r in (deaf.row, heard.row, heard.first) if r is not None)
    yield Problem(
        "TRC006",
        _subject(call),
        f"one-way audio: {heard.packets} RTP packet(s) reached the {heard.side} at "
        f"{heard.address}:{heard.port}, none reached the {deaf.side} at "
        f"{deaf.address}:{deaf.port} (announced in {deaf.row.label} #{deaf.row.number}): "
        f"its media address is unreachable (NAT, an ALG's rewrite, a firewall on the RTP "
        f"range){link}",
        rows,
        "high",
    )


DETECTORS = (
    auth_loops,
    error_responses,
    unanswered,
    nat_traces,
    registration_intervals,
    one_way_media,
)


def judge(call: Call, ctx: Context) -> list[Problem]:
    return [p for detector in DETECTORS for p in detector(call, ctx)]
