"""Poly (Polycom) phones: the REST API and ``.cfg`` provisioning XML."""

from __future__ import annotations

from typing import Any

from fleetaudit.facts import Device, Phone, PhoneAccount, PhoneRegistration
from fleetaudit.normalise import Output, source
from fleetaudit.platforms.phones.parsers.common import (
    Params,
    codec_name,
    field_refs,
    json_body,
    key_ref,
    line_of,
    line_ref,
    normal_mac,
    nth_line,
    param,
    params_from_mapping,
    params_from_xml_attributes,
    to_int,
)

POLY_TRANSPORTS = {
    "udponly": "udp",
    "tcponly": "tcp",
    "tls": "tls",
    "tcppreferred": "tcp+udp",
    "dnsnaptr": "dns-naptr",
}
POLY_CODECS = ("G711_Mu", "G711_A", "G729_AB", "G722", "Opus")


def _poly_data(output: Output) -> Any | None:
    body = json_body(output)
    if not isinstance(body, dict) or str(body.get("Status")) != "2000":
        return None
    return body.get("data")


def poly_params(output: Output) -> Params | None:
    """The REST ``config/get`` answer, or a Poly ``.cfg`` provisioning XML."""
    if output.text.lstrip().startswith("<"):
        return params_from_xml_attributes(output)
    data = _poly_data(output)
    return params_from_mapping(output, data) if isinstance(data, dict) else None


def poly_accounts(output: Output, params: Params) -> list[PhoneAccount]:
    accounts = []
    for n in range(1, 35):
        prefix = f"reg.{n}."
        if not any(k.startswith(prefix) for k in params):
            continue
        address = param(params, f"{prefix}address") or ""
        if not address:
            continue  # a line without an address is not in use
        server = param(params, f"{prefix}server.1.address") or None
        port = param(params, f"{prefix}server.1.port") or ""
        expires = to_int(param(params, f"{prefix}server.1.expires", "3600"))
        overlap = to_int(param(params, f"{prefix}server.1.expires.overlap", "60")) or 60
        refresh = None
        if expires:
            refresh = expires - overlap if expires > overlap else max(expires // 2, 1)
        keepalive = to_int(param(params, "nat.keepalive.interval", "0")) or None
        proxy = (
            param(params, f"{prefix}outboundProxy.address")
            or param(params, "voIpProt.SIP.outboundProxy.address")
            or None
        )
        codecs = sorted(
            (p, codec_name(c))
            for c in POLY_CODECS
            if (p := to_int(param(params, f"voice.codecPref.{c}"))) and p > 0
        )
        if param(params, "tone.dtmf.rfc2833Control") == "1":
            dtmf: str | None = "rfc2833"
        elif param(params, "voIpProt.SIP.dtmfViaSignaling.rfc2976") == "1":
            dtmf = "sip_info"
        elif param(params, "tone.dtmf.viaRtp") == "1":
            dtmf = "inband"
        else:
            dtmf = None
        transport = param(params, f"{prefix}server.1.transport")
        stun_server = param(params, "tcpIpApp.ice.stun.server")
        accounts.append(
            PhoneAccount(
                index=n,
                enabled=param(params, f"{prefix}server.1.register", "1") != "0",
                user=address,
                registrar=f"{server}:{port}" if server and port else server,
                transport=POLY_TRANSPORTS.get((transport or "").lower()) if transport else None,
                register_expires_s=expires,
                register_refresh_s=refresh,
                keepalive_s=keepalive,
                stun=bool(stun_server) if stun_server is not None else None,
                nat_traversal=bool(param(params, "nat.ip")) if "nat.ip" in params else None,
                outbound_proxy=proxy,
                codecs=[name for _, name in codecs] if codecs else None,
                dtmf=dtmf,
                refs=field_refs(
                    output,
                    params,
                    {
                        "registrar": f"{prefix}server.1.address",
                        "transport": f"{prefix}server.1.transport",
                        "register_expires_s": f"{prefix}server.1.expires",
                        "keepalive_s": "nat.keepalive.interval",
                        "stun": "tcpIpApp.ice.stun.server",
                        "nat_traversal": "nat.ip",
                        "outbound_proxy": f"{prefix}outboundProxy.address"
                        if param(params, f"{prefix}outboundProxy.address")
                        else "voIpProt.SIP.outboundProxy.address",
                        "codecs": min(
                            (f"voice.codecPref.{c}" for c in POLY_CODECS),
                            key=lambda k: line_of(output, k) or 10**9,
                        ),
                        "dtmf": "tone.dtmf.rfc2833Control",
                    },
                ),
            )
        )
    return accounts


@source("poly_phone", "GET /api/v1/mgmt/device/info", facts=("device", "phone"))
def poly_device_info(_: Any, output: Output) -> dict[str, Any]:
    data = _poly_data(output)
    if not isinstance(data, dict) or not data.get("ModelNumber"):
        return {"device": None, "phone": None}
    firmware = str(data.get("FirmwareRelease") or "") or None
    mac = normal_mac(data.get("MACAddress") or data.get("MacAddress"))
    return {
        "device": Device(
            hostname=None,
            vendor=str(data.get("DeviceVendor") or "Poly"),
            model=str(data["ModelNumber"]),
            os_version=firmware,
            serial=None,
            ref=key_ref(output, "FirmwareRelease", firmware),
        ),
        "phone": Phone(
            mac=mac,
            ip=str(data.get("IPV4Address") or "") or None,
            ref=key_ref(output, "MACAddress", mac),
        ),
    }


@source("poly_phone", "GET /api/v1/mgmt/network/info", facts=("phone",))
def poly_network_info(_: Any, output: Output) -> dict[str, Any]:
    data = _poly_data(output)
    if not isinstance(data, dict):
        return {"phone": None}
    return {"phone": Phone(vlan=to_int(data.get("VLANID")), ip=data.get("IPV4Address") or None)}


@source("poly_phone", "GET /api/v2/mgmt/lineInfo", facts=("phone_registrations",))
def poly_line_info(_: Any, output: Output) -> dict[str, Any]:
    data = _poly_data(output)
    if not isinstance(data, list):
        return {"phone_registrations": None}
    found: list[PhoneRegistration] = []
    for line in data:
        if not isinstance(line, dict) or to_int(line.get("LineNumber")) is None:
            continue
        state = str(line.get("RegistrationStatus") or "")
        number = to_int(line.get("LineNumber")) or 0
        found.append(
            PhoneRegistration(
                account=number,
                registered=state.lower() == "registered",
                state=state,
                registrar=line.get("ProxyAddress") or None,
                ref=line_ref(
                    output,
                    nth_line(output, "RegistrationStatus", len(found)),
                    f"line {number}: {state}",
                ),
            )
        )
    return {"phone_registrations": found}


@source("poly_phone", "POST /api/v1/mgmt/config/get", facts=("phone_accounts",))
def poly_config(_: Any, output: Output) -> dict[str, Any]:
    params = poly_params(output)
    if params is None:
        return {"phone_accounts": None}
    return {"phone_accounts": poly_accounts(output, params)}
