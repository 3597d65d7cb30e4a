"""What SIP transport the trunk uses: the SIP dial-peers' ``session transport`` (else the
global ``voice service voip`` / ``sip`` / ``session transport``, else UDP, the IOS
default) and the ``sip-ua`` registrar's transport. That, not what the provider accepts,
is what a disabled SIP user agent transport breaks."""

from __future__ import annotations

import re

from fleetaudit.facts import SipTrunkTransport
from fleetaudit.normalise import Output

_PEER = re.compile(r"^dial-peer voice (\d+) voip\b")
_TRANSPORT = re.compile(r"^session transport (udp|tcp(?: tls)?|tls)\b")
_REGISTRAR = re.compile(r"^registrar (?:\d+ )?(?:ipv4:|dns:)\S+(?: .*?)?\b(tcp(?: tls)?|udp)\b")


def _norm(word: str) -> str:
    return "tls" if "tls" in word else word


def _blocks(out: Output) -> list[tuple[int, str, list[tuple[int, str]]]]:
    """Top-level blocks: (line number, header, [(line number, stripped child)])."""
    blocks: list[tuple[int, str, list[tuple[int, str]]]] = []
    for number, line in enumerate(out.lines, 1):
        if not line.strip() or line.strip() == "!":
            continue
        if not line.startswith((" ", "\t")):
            blocks.append((number, line.strip(), []))
        elif blocks:
            blocks[-1][2].append((number, line.strip()))
    return blocks


def trunk_transports(out: Output) -> list[SipTrunkTransport] | None:
    """None when the config does not reach its `end`: a cut config cannot say which
    dial-peers there are."""
    if not any(line.strip() == "end" for line in out.lines[-5:]):
        return None
    if "dial-peer voice" not in out.text and "sip-ua" not in out.text:
        return []  # a switch, a router without voice: no block to read
    blocks = _blocks(out)
    default = "udp"
    default_ref = None
    for _, header, children in blocks:
        if header == "voice service voip":
            for number, child in children:
                m = _TRANSPORT.match(child)
                if m:  # under `sip`, a level deeper; the text is the same
                    default, default_ref = _norm(m[1]), out.ref_line(number)
    found: list[SipTrunkTransport] = []
    for number, header, children in blocks:
        peer = _PEER.match(header)
        if peer:
            texts = [c for _, c in children]
            if "session protocol sipv2" not in texts:
                continue
            chosen = next(((n, c) for n, c in children if _TRANSPORT.match(c)), None)
            if chosen is not None:
                m = _TRANSPORT.match(chosen[1])
                assert m is not None
                ref = out.ref_line(chosen[0])
                found.append(SipTrunkTransport(_norm(m[1]), f"dial-peer voice {peer[1]}", ref))
            else:
                ref = default_ref or out.ref_line(number)
                found.append(SipTrunkTransport(default, f"dial-peer voice {peer[1]}", ref))
        elif header == "sip-ua":
            for child_number, child in children:
                if child.startswith("registrar "):
                    m = _REGISTRAR.match(child)
                    transport = _norm(m[1]) if m else default
                    found.append(
                        SipTrunkTransport(transport, "sip-ua registrar", out.ref_line(child_number))
                    )
    return found
