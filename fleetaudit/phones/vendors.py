"""What fleetaudit asks each phone vendor's web interface, and how it logs in.

A :class:`Call` is one read-only request; its ``command`` (``"<METHOD> <path>"``) is the
evidence key, the normaliser's key and the lab's fixture slug. The collector and the lab
both read these tables, so a phone asked something the lab cannot answer is a test
failure, not a surprise in the field.

Sources: Poly UC Software REST API (``/api/v1/mgmt/...``, Basic auth); Cisco enterprise
phones' XML pages (``/DeviceInformationX`` ...; no login) and the ``SEP<MAC>.cnf.xml`` the
phone loads from its TFTP/HTTP config server (port 6970); Yealink's web servlet
(``/servlet?m=mod_data&p=...``; Digest auth) whose config export is the ``.cfg`` the phone
would be provisioned with; Grandstream's CGI API (``/cgi-bin/dologin`` session, then
``api.values.get`` of P-values and ``api-get_line_status``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Auth = Literal["none", "basic", "digest", "session"]
Body = Literal["json", "xml", "text"]

POLY_LINES = 4  # lines asked for; a Poly phone answers empty values for unused ones
POLY_LINE_PARAMS = (
    "address",
    "server.1.address",
    "server.1.port",
    "server.1.transport",
    "server.1.expires",
    "server.1.expires.overlap",
    "server.1.register",
    "outboundProxy.address",
)
POLY_PARAMS = (
    *(f"reg.{n}.{p}" for n in range(1, POLY_LINES + 1) for p in POLY_LINE_PARAMS),
    "voIpProt.SIP.outboundProxy.address",
    "nat.ip",
    "nat.keepalive.interval",
    "tcpIpApp.ice.mode",
    "tcpIpApp.ice.stun.server",
    "voice.codecPref.G711_Mu",
    "voice.codecPref.G711_A",
    "voice.codecPref.G729_AB",
    "voice.codecPref.G722",
    "voice.codecPref.Opus",
    "tone.dtmf.viaRtp",
    "tone.dtmf.rfc2833Control",
    "voIpProt.SIP.dtmfViaSignaling.rfc2976",
)
GRANDSTREAM_PARAMS = (
    "P271",  # account 1 active
    "P270",  # account name
    "P47",  # SIP server
    "P48",  # outbound proxy
    "P35",  # SIP user ID
    "P31",  # SIP registration (1: register)
    "P32",  # register expiration, minutes
    "P130",  # SIP transport: 0 UDP, 1 TCP, 2 TLS
    "P52",  # NAT traversal: 0 no, 1 STUN, 2 keep-alive, 3 UPnP, 4 auto, 5 VPN
    "P76",  # STUN server
    "P84",  # keep-alive interval, seconds
    "P57",  # vocoder choices 1..8
    "P58",
    "P59",
    "P60",
    "P61",
    "P62",
    "P46",
    "P98",
    "P73",  # send DTMF: 0 in audio, 1 RFC2833, 2 SIP INFO
)
GRANDSTREAM_STATUS = ("phone_model", "prog_version", "mac", "ipv4_address", "P51")


@dataclass(frozen=True)
class Call:
    command: str  # "<METHOD> <path>": the evidence key
    body: Body  # what a good answer is; anything else is an error page
    payload: str | None = None  # request body (POST)
    pattern: str | None = None  # the lab: a regex on the path for templated paths

    @property
    def method(self) -> str:
        return self.command.split(" ", 1)[0]

    @property
    def path(self) -> str:
        return self.command.split(" ", 1)[1]

    def matches(self, method: str, target: str) -> bool:
        if method != self.method:
            return False
        if self.pattern:
            return re.fullmatch(self.pattern, target) is not None
        return target == self.path


@dataclass(frozen=True)
class Vendor:
    platform: str
    vendor: str
    auth: Auth
    calls: tuple[Call, ...]
    config: Call  # the call whose answer is the phone's configuration (what `scan` reads)


def _poly_payload() -> str:
    import json

    return json.dumps({"data": list(POLY_PARAMS)})


POLY_CONFIG = Call("POST /api/v1/mgmt/config/get", "json", payload=_poly_payload())
CISCO_CONFIG = Call("GET /SEP<MAC>.cnf.xml", "xml", pattern=r"/SEP[0-9A-Fa-f]{12}\.cnf\.xml")
YEALINK_CONFIG = Call("GET /servlet?m=mod_data&p=settings-config&q=exportcfg", "text")
GRANDSTREAM_CONFIG = Call(
    f"GET /cgi-bin/api.values.get?request={':'.join(GRANDSTREAM_PARAMS)}", "json"
)

VENDORS: dict[str, Vendor] = {
    v.platform: v
    for v in (
        Vendor(
            "poly_phone",
            "Poly",
            "basic",
            (
                Call("GET /api/v1/mgmt/device/info", "json"),
                Call("GET /api/v1/mgmt/network/info", "json"),
                Call("GET /api/v2/mgmt/lineInfo", "json"),
                POLY_CONFIG,
            ),
            POLY_CONFIG,
        ),
        Vendor(
            "cisco_phone",
            "Cisco",
            "none",
            (
                Call("GET /DeviceInformationX", "xml"),
                Call("GET /NetworkConfigurationX", "xml"),
                Call("GET /PortInformationX?1", "xml"),
                CISCO_CONFIG,
            ),
            CISCO_CONFIG,
        ),
        Vendor(
            "yealink_phone",
            "Yealink",
            "digest",
            (Call("GET /servlet?m=mod_data&p=status&q=load", "json"), YEALINK_CONFIG),
            YEALINK_CONFIG,
        ),
        Vendor(
            "grandstream_phone",
            "Grandstream",
            "session",
            (
                Call(f"GET /cgi-bin/api.values.get?request={':'.join(GRANDSTREAM_STATUS)}", "json"),
                Call("GET /cgi-bin/api-get_line_status", "json"),
                GRANDSTREAM_CONFIG,
            ),
            GRANDSTREAM_CONFIG,
        ),
    )
}
PHONE_PLATFORMS = tuple(VENDORS)
GRANDSTREAM_LOGIN = "/cgi-bin/dologin"


def find_call(platform: str, method: str, target: str) -> Call | None:
    """The call a request stands for (the lab's routing); ``None``: not one we know."""
    vendor = VENDORS.get(platform)
    if vendor is None:
        return None
    return next((c for c in vendor.calls if c.matches(method, target)), None)
