"""The UDP NAT / connection-tracking timeout expires before the phones' next keep-alive.

## What it checks
The idle timeout after which the device forgets a UDP binding: ASA `timeout udp`
(0:02:00 when the config omits it), RouterOS `/ip firewall connection tracking`
`udp-timeout` (10 s on v6, 30 s on v7 when omitted) and `udp-stream-timeout` (3 min),
IOS `ip nat translation udp-timeout` (300 s when omitted; only where NAT translates),
and on a RouterOS without NAT only where a stateful filter (`connection-state`) tracks
UDP — there the filter's connection state, not a binding, expires,
against how often the phones behind it send something on their SIP binding: the
keep-alive / re-register interval (the site policy's `voip.keepalive_s` until phones
report their own). It fires when the timeout is not longer than the interval — or than
5 minutes, for phones that refresh less often: those are fixed on the phone (PHN002), so
NAT001's own fix clears it. Findings share a `cause` naming the device to change.

## Why it breaks calls
A phone behind NAT is reachable only through the binding its REGISTER opened. When the
binding expires before the next keep-alive or re-REGISTER, the provider's INVITE for an
incoming call hits a closed port: the phone still shows "registered" but never rings,
until its next REGISTER opens a new binding. RouterOS keeps a UDP connection
`udp-timeout` after its last packet until traffic was seen both ways, then
`udp-stream-timeout`: keep-alives the far end does not answer, and the first moments of
a binding, live only `udp-timeout`.

## How to fix
Make the UDP timeout comfortably longer than the interval (at least twice it, and at
least 5 minutes), or shorten the phones' keep-alive / registration interval below it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fleetaudit.checkkit import Check, Host, Result, fail, passed, unknown
from fleetaudit.facts import NAT, Device, Firewall, Nat, Ref
from fleetaudit.platforms.phones.family import phone_keepalives, unseen_phones
from fleetaudit.policy import VoipPolicy

FIX = {
    "cisco_asa": "timeout udp {hms}",
    "mikrotik_routeros": "/ip firewall connection tracking set {settings}",
    "cisco_ios": "ip nat translation udp-timeout {seconds}",
}
NAMES = {
    "cisco_asa": "`timeout udp`",
    "mikrotik_routeros": "udp-timeout",
    "cisco_ios": "`ip nat translation udp-timeout`",
}


def keepalive_for(host: Host, policy: VoipPolicy) -> tuple[int, str, tuple[Ref, ...]]:
    """How often the phones behind ``host`` refresh their binding: seconds, where that
    figure comes from, and the lines that prove it. The slowest audited phone of the site
    when phones were audited; the site policy otherwise."""
    phones = phone_keepalives(host.peers)
    if phones:
        name, seconds, ref = max(phones, key=lambda phone: phone[1])
        return seconds, f"phone {name}, the slowest of {len(phones)} audited", (ref,) if ref else ()
    source = "site policy voip.keepalive_s" if not policy.is_default else "default, no profile"
    return policy.keepalive_s, source, ()


SENSIBLE_KEEPALIVE_S = 300  # beyond this the phones must refresh faster (PHN002), not NAT wait


def safe_seconds(keepalive_s: int) -> int:
    """A timeout that outlives two keep-alive intervals, at least 5 minutes; a phone that
    refreshes only hourly is fixed on the phone, so the timeout is not stretched for it.

    >>> safe_seconds(120), safe_seconds(300), safe_seconds(3600)
    (300, 600, 600)
    """
    return max(300, 2 * min(keepalive_s, SENSIBLE_KEEPALIVE_S))


def _too_slow(keepalive: int) -> str:
    if keepalive <= SENSIBLE_KEEPALIVE_S:
        return ""
    return (
        f"; the phones must also refresh faster (PHN002): no NAT timeout should have to "
        f"outlive {keepalive} s"
    )


def hms(seconds: int) -> str:
    """ASA ``H:MM:SS``.

    >>> hms(300)
    '0:05:00'
    """
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _shown(seconds: int, ref: Ref | None, key: str) -> str:
    """``10 s (line 132)``; a default says so (and where the version is named)."""
    if ref is not None and ref.line and key in ref.text:
        return f"{seconds} s (line {ref.line})"
    if ref is not None and ref.line:
        return f"{seconds} s (the default of the version on line {ref.line}: not set)"
    return f"{seconds} s (the platform default: the config does not set it)"


def _fallback(host: Host) -> Ref | None:
    """Evidence for a default: the line naming the version whose default applies, else
    the NAT rule that makes a binding at all."""
    device, nat = host.facts.get("device"), host.facts.get("nat")
    found = [device.ref if isinstance(device, Device) else None]
    found += [rule.ref for rule in nat.rules] if isinstance(nat, Nat) else []
    candidates = [ref for ref in found if ref is not None]
    return next((ref for ref in candidates if ref.line), candidates[0] if candidates else None)


def cause_of(host: Host) -> str:
    """The cause key NAT001 and PHN002 share: the device whose UDP timeout is too short."""
    return f"{host.name}: UDP NAT timeout too short"


def _stateful_rule(host: Host) -> dict[str, Any] | None:
    """The first active RouterOS filter rule that matches on connection state."""
    firewall = host.facts.get("firewall")
    if not isinstance(firewall, Firewall):
        return None
    return next(
        (
            dict(rule)
            for rule in firewall.filter
            if not rule.get("disabled")
            and ("connection-state" in rule or "connection-nat-state" in rule)
        ),
        None,
    )


def _routeros(
    host: Host, nat: Nat, keepalive: int, why: str, proof: tuple[Ref, ...]
) -> Iterator[Result]:
    timeout, stream = nat.udp_timeout_s, nat.udp_stream_timeout_s
    stateful = None if nat.enabled else _stateful_rule(host)
    if not nat.enabled and stateful is None:
        yield passed(
            "udp-timeout",
            "no NAT and no stateful filter rule (connection-state): no UDP binding or "
            "connection state here for a keep-alive to outlive",
            [nat.udp_timeout_ref],
        )
        return
    if timeout is None:
        yield unknown("udp-timeout", "udp-timeout is not set and the RouterOS version is unknown")
        return
    values = {"udp-timeout": (timeout, nat.udp_timeout_ref)}
    if stream is not None:  # unknown without a version header: judged on udp-timeout
        values["udp-stream-timeout"] = (stream, nat.udp_stream_timeout_ref)
    judged = min(keepalive, SENSIBLE_KEEPALIVE_S)  # slower phones are fixed on the phone
    short = [key for key, (value, _) in values.items() if value <= judged]
    state = "; ".join(f"{key} {_shown(*values[key], key)}" for key in values)
    if not short:
        yield passed(
            "udp-timeout",
            f"{state} > keep-alive {judged} s ({why}){_too_slow(keepalive)}",
            [nat.udp_timeout_ref],
        )
        return
    if len(short) == 2:
        effect = "every UDP binding, answered or not, is forgotten between keep-alives"
    elif short == ["udp-timeout"]:
        effect = (
            f"a binding lives {timeout} s after its last packet until the far end has answered "
            f"({stream} s after): unanswered keep-alives and new bindings expire between keep-alives"
        )
    else:
        effect = f"an answered binding lives only {stream} s after its last packet"
    effect = effect.replace("(None s after)", "(udp-stream-timeout unknown)")
    if stateful is not None:  # no NAT: the filter's connection state, not a binding
        effect = (
            f"no NAT here, but the stateful filter (rule {stateful.get('index')}, line "
            f"{stateful.get('config_line')}: connection-state) forgets an idle UDP flow "
            f"after {' / '.join(f'{k} {values[k][0]} s' for k in short)}; a packet from "
            "outside after that (an INVITE to the phone) is a new connection again, "
            "which the rules for new connections decide"
        )
    safe = safe_seconds(keepalive)
    yield fail(
        "udp-timeout",
        f"{' and '.join(short)} ≤ keep-alive {keepalive} s ({why}): {effect} ({state})"
        f"{_too_slow(keepalive)}",
        [values[key][1] for key in short] + [_fallback(host), *proof],
        FIX["mikrotik_routeros"].format(settings=" ".join(f"{key}={safe // 60}m" for key in short)),
        severity="high" if "udp-stream-timeout" in short else "medium",
        cause=cause_of(host),
    )


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    unseen = unseen_phones(host.peers)
    for result in _run(host, policy):
        if result.status == "pass" and unseen and host.facts["nat"].enabled:
            # a phone whose refresh is unknown may be slower than the ones that were read
            yield unknown(
                result.subject,
                f"{result.message}, but the accounts of {', '.join(unseen)} are unknown",
            )
        else:
            yield result


def _run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    nat: Nat = host["nat"]
    keepalive, why, proof = keepalive_for(host, policy)
    if host.platform == "cisco_ios" and not nat.enabled:
        yield passed("udp-timeout", "no NAT translates here: no binding to expire")
        return
    if host.platform == "mikrotik_routeros":
        yield from _routeros(host, nat, keepalive, why, proof)
        return
    timeout = nat.udp_timeout_s
    if timeout is None:
        yield unknown("udp-timeout", "the UDP timeout and its platform default are unknown")
        return
    state = f"{NAMES[host.platform]} {_shown(timeout, nat.udp_timeout_ref, 'udp')}"
    if timeout > min(keepalive, SENSIBLE_KEEPALIVE_S):  # slower phones: PHN002
        proof = nat.udp_timeout_ref or _fallback(host)
        yield passed(
            "udp-timeout",
            f"{state} > keep-alive {min(keepalive, SENSIBLE_KEEPALIVE_S)} s ({why})"
            f"{_too_slow(keepalive)}",
            [proof],
        )
        return
    safe = safe_seconds(keepalive)
    yield fail(
        "udp-timeout",
        f"the UDP binding expires no later than the phones' next keep-alive: {state} ≤ "
        f"keep-alive {keepalive} s ({why}); incoming INVITEs then find no binding"
        f"{_too_slow(keepalive)}",
        [nat.udp_timeout_ref or _fallback(host), *proof],
        FIX[host.platform].format(hms=hms(safe), seconds=safe),
        cause=cause_of(host),
    )


CHECK = Check(
    id="NAT001",
    slug="nat-udp-timeout-below-reregister",
    title="UDP NAT timeout expires before the phones' keep-alive",
    severity="high",
    facts=(NAT,),
    reads=("device", "firewall"),
    peer_facts=("phone_accounts",),
    platforms=("cisco_asa", "mikrotik_routeros", "cisco_ios"),
    roles=("firewall", "router", "gateway"),
    run=run,
    why="When the NAT binding expires between keep-alives, incoming INVITEs hit a closed port: "
    "the phone shows registered but never rings.",
    fix=FIX,
    tags=("nat", "registration"),
    references=(
        "shared/seeds 000: phones registering for 3600 s behind NAT, fixed with 60 s "
        "registration; MikroTik udp-timeout",
        "shared/seeds 001: Cisco phones keep-alive 120 s",
    ),
)
