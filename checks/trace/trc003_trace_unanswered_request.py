"""A request was sent, re-sent, and never answered.

## What it checks
Requests in the capture with no response at all, retransmitted (RFC 3261 timers) or
left unanswered longer than timer B (32 s) before the capture ends; and INVITEs that got
a provisional answer (100 Trying) and then nothing for 32 s.

## Why it breaks calls
Silence is not an answer a SIP server gives: the packets are dropped on the way or the
peer is gone. The usual causes are iptables on the far side, fail2ban having banned the
sender's address after failed registrations, or a dead peer or wrong address/port.

## How to fix
On the far side: `fail2ban-client status asterisk` (unban the address), the firewall's
rules for the SIP port, and whether the SIP service listens there (`ss -ulpn`). On the
path: the site's firewall (FW002).
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result
from fleetaudit.policy import VoipPolicy
from fleetaudit.trace.checks import FACT, PLATFORM, results

FIX = {PLATFORM: "fail2ban-client status\niptables -L -n -v\nss -ulpn | grep 5060"}


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    yield from results(host, "TRC003", FIX[PLATFORM])


CHECK = Check(
    id="TRC003",
    slug="trace-unanswered-request",
    title="Request retransmitted and never answered",
    severity="high",
    facts=(FACT,),
    platforms=(PLATFORM,),
    run=run,
    why="Requests dropped by a firewall or fail2ban, or a dead peer: calls and registrations "
    "time out.",
    fix=FIX,
    tags=("sip", "trace", "firewall"),
    references=("shared/seeds: INVITEs never answered (iptables / fail2ban on the far side)",),
)
