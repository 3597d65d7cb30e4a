"""What fleetaudit asks each phone vendor's web interface, and how it logs in.

A :class:`Call` is one read-only request; its ``command`` (``"<METHOD> <path>"``) is the
evidence key, the normaliser's key and the lab's fixture slug. The collector and the lab
both read these tables, so a phone asked something the lab cannot answer is a test
failure, not a surprise in the field.

Sources: Poly UC Software REST API (``/api/v1/mgmt/...``, Basic auth); Cisco enterprise
phones' XML pages (``/DeviceInformationX`` ...; no login) and the ``SEP<MAC>.cnf.xml`` the
phone loads from its TFTP/HTTP config server (port 6970); Yealink's web servlet
(``/servlet?m=mod_data&p=...``; Basic or Digest, as the phone's 401 asks): the status page is HTML whose facts sit in JavaScript
variables and labelled rows, the config export is the ``.cfg`` the phone would be
provisioned with; Grandstream's CGI API (``/cgi-bin/dologin`` session; P-values from
``api.values.get``, POSTed as ``request=P1:P2:...&sid=...`` the way the phone's own web UI
asks; registration state from ``api-get_accounts``). Each parser module notes what of its
vendor's format is verified against published examples and what is assumed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

# "challenge": Basic or Digest, whichever the phone's 401 names (Yealink firmware differs:
# published clients send Basic to /servlet, other firmware challenges with Digest)
Auth = Literal["none", "basic", "digest", "challenge", "session"]
Body = Literal["json", "xml", "text", "html"]

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


@dataclass(frozen=True)
class GrandstreamAccount:
    """The P-values of one Grandstream account (GXP firmware configuration template)."""

    active: str  # Account Active: 0 no, 1 yes
    name: str  # Account Name
    server: str  # SIP Server
    proxy: str  # Outbound Proxy
    user: str  # SIP User ID
    register: str  # SIP Registration: 0 no, 1 yes
    expires: str  # Register Expiration, minutes
    transport: str  # SIP Transport: 0 UDP, 1 TCP, 2 TLS/TCP
    nat: str  # NAT Traversal: 0 no, 1 STUN, 2 keep-alive, 3 UPnP, 4 auto, 5 VPN
    rport: str  # Support Rport (RFC 3581): 0 no, 1 yes
    vocoders: tuple[str, ...]  # Preferred Vocoder choices 1..8
    dtmf: tuple[str, str, str]  # Send DTMF in-audio / via RTP (RFC 2833) / via SIP INFO: 0, 1

    @property
    def params(self) -> tuple[str, ...]:
        return (
            self.active,
            self.name,
            self.server,
            self.proxy,
            self.user,
            self.register,
            self.expires,
            self.transport,
            self.nat,
            self.rport,
            *self.vocoders,
            *self.dtmf,
        )


def _gs_account(base: int, name: str, dtmf: int) -> GrandstreamAccount:
    """Accounts 2 and 3 follow one layout: P<base>+1 active, +2 server, ... (base 400, 500)."""
    p = [f"P{base + n}" for n in range(100)]
    return GrandstreamAccount(
        active=p[1],
        name=name,
        server=p[2],
        proxy=p[3],
        user=p[4],
        register=p[10],
        expires=p[12],
        transport=p[48],
        nat=p[14],
        rport=p[47],
        vocoders=tuple(p[51:59]),
        dtmf=(f"P{dtmf + 1}", f"P{dtmf + 2}", f"P{dtmf + 3}"),
    )


GRANDSTREAM_ACCOUNTS: dict[int, GrandstreamAccount] = {
    1: GrandstreamAccount(
        active="P271",
        name="P270",
        server="P47",
        proxy="P48",
        user="P35",
        register="P31",
        expires="P32",
        transport="P130",
        nat="P52",
        rport="P131",
        vocoders=("P57", "P58", "P59", "P60", "P61", "P62", "P46", "P98"),
        dtmf=("P2301", "P2302", "P2303"),
    ),
    2: _gs_account(400, "P417", 2400),
    3: _gs_account(500, "P517", 2500),
}
GRANDSTREAM_GLOBALS = ("P76", "P84")  # STUN server; NAT keep-alive interval, seconds
GRANDSTREAM_PARAMS = (
    *(p for a in GRANDSTREAM_ACCOUNTS.values() for p in a.params),
    *GRANDSTREAM_GLOBALS,
)
GRANDSTREAM_STATUS = ("phone_model", "prog_version", "mac", "ipv4_address", "P51")


@dataclass(frozen=True)
class Call:
    command: str  # "<METHOD> <path>": the evidence key
    body: Body  # what a good answer is; anything else is an error page
    payload: str | None = None  # request body (POST)
    form: bool = False  # the payload is a form (``application/x-www-form-urlencoded``)
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
    "POST /cgi-bin/api.values.get",
    "json",
    payload=urlencode({"request": ":".join(GRANDSTREAM_PARAMS)}, safe=":"),
    form=True,
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
            "challenge",
            (Call("GET /servlet?m=mod_data&p=status&q=load", "html"), YEALINK_CONFIG),
            YEALINK_CONFIG,
        ),
        Vendor(
            "grandstream_phone",
            "Grandstream",
            "session",
            (
                Call(f"GET /cgi-bin/api.values.get?request={':'.join(GRANDSTREAM_STATUS)}", "json"),
                Call("GET /cgi-bin/api-get_accounts", "json"),
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
