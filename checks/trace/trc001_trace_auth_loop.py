"""Authentication loop: a request is challenged, then refused (403) or challenged again
and again.

## What it checks
In one call (Call-ID) of the capture: a 401/407 challenge followed, after the client
sent credentials, by 403 Forbidden; or three or more challenges and no request of the
call ever accepted (2xx).

## Why it breaks calls
The registrar or proxy does not accept the credentials: the user does not exist there,
or the password (or realm) differs. A phone or trunk in that state is not registered
and cannot place calls; a device that keeps retrying is what fail2ban bans next.

## How to fix
Compare the auth username, password and realm on the device with the account on the
server (Asterisk: `pjsip show auth <name>`, `pjsip show endpoint <name>`); on a trunk,
the provider's portal. Then re-register and capture again.
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result
from fleetaudit.policy import VoipPolicy
from fleetaudit.trace.checks import FACT, PLATFORM, results

FIX = {PLATFORM: "check the auth username / password / realm on the device and the server"}


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    yield from results(host, "TRC001", FIX[PLATFORM])


CHECK = Check(
    id="TRC001",
    slug="trace-auth-loop",
    title="Authentication loop: challenged, then 403 or challenged again",
    severity="high",
    facts=(FACT,),
    platforms=(PLATFORM,),
    run=run,
    why="Credentials the server does not accept: the phone or trunk never registers or calls.",
    fix=FIX,
    tags=("sip", "trace", "auth"),
    references=("shared/seeds: sngrep dumps, 401 then 403 (unknown user or wrong password)",),
)
