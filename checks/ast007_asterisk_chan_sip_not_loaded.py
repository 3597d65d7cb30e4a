"""chan_sip peers or registrations configured on an Asterisk that has no chan_sip.

## What it checks
sip.conf (with its `#include`s: FreePBX's `sip_custom.conf`, `sip_general_custom.conf`,
`sip_nat.conf`) defines peers, friends or `register =>` lines, while the running Asterisk
has no chan_sip: `sip show peers` answers "No such command" (chan_sip not loaded, or
removed: Asterisk 21 and later), or `core show version` is 21 or later.

## Why it breaks calls
Nothing reads those peers: calls routed to a chan_sip trunk or extension fail
("Unable to create channel of type 'SIP'"), its registrations are never sent, so the
provider sends no inbound calls to it, and phones configured as chan_sip peers cannot
register. The configuration looks right to whoever reads sip.conf.

## How to fix
Recreate each peer as a res_pjsip endpoint: FreePBX: Connectivity → Trunks (or
Applications → Extensions) → the chan_sip trunk/extension → recreate it as PJSIP (the
GUI), then remove the chan_sip one; plain Asterisk: move the peer to pjsip.conf
(Asterisk ships `contrib/scripts/sip_to_pjsip/sip_to_pjsip.py`). On Asterisk 20 or
earlier chan_sip can still be loaded instead: FreePBX: Settings → Advanced Settings →
SIP Channel Driver = Both; plain Asterisk: `load => chan_sip.so` in modules.conf.
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed, unknown
from fleetaudit.facts import Ref
from fleetaudit.platforms.asterisk import config
from fleetaudit.platforms.asterisk.facts import AsteriskVersion, Refused, SipPeers
from fleetaudit.policy import VoipPolicy

FIX = {
    "asterisk": "; FreePBX: Connectivity > Trunks (or Applications > Extensions) > {name}: "
    "recreate it as a PJSIP trunk/extension, then delete the chan_sip one\n"
    "; plain Asterisk: move [{name}] from sip.conf to pjsip.conf "
    "(contrib/scripts/sip_to_pjsip/sip_to_pjsip.py converts it)\n"
    "; Asterisk 20 or earlier only: load chan_sip instead (FreePBX: Settings > Advanced "
    "Settings > SIP Channel Driver = Both), modules.conf:\nload => chan_sip.so",
}

SIP_PEERS = 'asterisk -rx "sip show peers"'
VERSION = 'asterisk -rx "core show version"'


def _absent(host: Host) -> tuple[str, Ref] | None:
    """Why the running Asterisk has no chan_sip, with the evidence; None when it has (or
    when nothing says)."""
    peers = host.facts.get("sip_peers")
    version = host.facts.get("asterisk_version")
    if isinstance(peers, Refused) and peers.kind == "no_such_command":
        return peers.reason, Ref(source=SIP_PEERS, line=1, text=peers.line)
    if isinstance(version, AsteriskVersion) and version.has_chan_sip is False:
        return f"Asterisk {version.text} has no chan_sip (removed in 21)", version.ref
    return None


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    configured = config.sip_configured(host.facts)
    if configured is None:
        yield unknown("chan_sip", "not assessed: sip.conf was not read")
        return
    sip = config.sip(host.facts) if configured else None
    if sip is None or not (sip.peers or sip.registrations):
        yield passed("chan_sip", "no chan_sip peer or registration configured")
        return
    absent = _absent(host)
    if absent is None:
        if isinstance(host.facts.get("sip_peers"), SipPeers):
            yield passed("chan_sip", "chan_sip is loaded: `sip show peers` answers")
        else:
            yield unknown(
                "chan_sip",
                "not assessed: neither `sip show peers` nor the version says whether chan_sip "
                "is loaded",
            )
        return
    why, ref = absent
    for peer in sip.peers:
        yield fail(
            f"peer {peer.name}",
            f"sip.conf defines {peer.type or 'peer'} {peer.name}, but {why}: "
            "calls to and from it fail",
            [peer.section.ref(), ref],
            FIX["asterisk"].format(name=peer.name),
        )
    for line in sip.registrations:
        yield fail(
            f"register {line.user}@{line.host}",
            f"sip.conf registers {line.user}@{line.host}, but {why}: the registration is "
            "never sent, so no inbound calls arrive",
            [line.ref, ref],
            FIX["asterisk"].format(name=line.host),
        )


CHECK = Check(
    id="AST007",
    slug="asterisk-chan-sip-not-loaded",
    title="chan_sip peers configured on an Asterisk without chan_sip",
    severity="high",
    facts=(),
    platforms=("asterisk",),
    roles=("pbx",),
    run=run,
    why="Peers in sip.conf do nothing when chan_sip is not loaded (or gone, Asterisk 21+).",
    fix=FIX,
    tags=("asterisk", "chan_sip"),
    references=(
        "Asterisk 21 release notes: chan_sip removed",
        "Asterisk main/cli.c: \"No such command '%s' (type 'core show help %s' ...)\"",
    ),
)
