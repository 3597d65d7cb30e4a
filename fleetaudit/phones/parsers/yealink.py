"""Yealink phones: the status JSON and ``.cfg`` exports (new ``key = value`` style and
old INI style)."""

from __future__ import annotations

import re
from typing import Any

from netutils.interface import canonical_interface_name

from fleetaudit.facts import Device
from fleetaudit.normalise import Output, source
from fleetaudit.phones.facts import Phone, PhoneAccount, PhoneNeighbor, PhoneRegistration
from fleetaudit.phones.parsers.common import (
    _KEY_VALUE,
    Params,
    _int,
    _key_ref,
    _nth_line,
    _ref,
    _refs,
    _value,
    codec_name,
    json_body,
    normal_mac,
    params_from_key_values,
)

YEALINK_TRANSPORTS = {"0": "udp", "1": "tcp", "2": "tls", "3": "dns-naptr"}
YEALINK_DTMF = {"0": "inband", "1": "rfc2833", "2": "sip_info", "3": "auto"}
_SECTION = re.compile(r"^\s*\[\s*([\w-]+)\s*\]\s*$")
_ACCOUNT_PATH = re.compile(r"sipAccount(\d+)\.cfg", re.IGNORECASE)


def yealink_ini_params(output: Output) -> Params | None:
    """Old Yealink INI files (``[ account ]`` sections, each with ``path =
    /config/voip/sipAccountN.cfg``), as new-style keys: ``account.<N+1>.<section>.<key>``
    (keys lower-cased)."""
    sections: list[tuple[str, Params]] = []
    for number, line in enumerate(output.lines, start=1):
        if (match := _SECTION.match(line)) is not None:
            sections.append((match.group(1).lower(), {}))
        elif sections and (kv := _KEY_VALUE.match(line)) and not line.lstrip().startswith("#"):
            sections[-1][1][kv.group(1).lower()] = (kv.group(2), number)
    if not sections:
        return None
    found: Params = {}
    for name, values in sections:
        path = values.get("path", ("", None))[0]
        account = _ACCOUNT_PATH.search(path)
        if account is None:
            continue
        index = int(account.group(1)) + 1
        for key, value in values.items():
            found[f"ini.{index}.{name}.{key}"] = value
    return found


def _yealink_new(output: Output, params: Params) -> list[PhoneAccount]:
    accounts = []
    indexes = sorted({int(m.group(1)) for k in params if (m := re.match(r"account\.(\d+)\.", k))})
    for n in indexes:
        p = f"account.{n}."
        if _value(params, f"{p}enable") is None:
            continue
        server = _value(params, f"{p}sip_server.1.address") or _value(params, f"{p}sip_server_host")
        port = _value(params, f"{p}sip_server.1.port") or ""
        expires = _int(_value(params, f"{p}sip_server.1.expires", "3600"))
        keep = _value(params, f"{p}nat.udp_update_enable", "1") != "0"
        proxy_on = _value(params, f"{p}outbound_proxy_enable", "0") == "1"
        proxy = _value(params, f"{p}outbound_proxy.1.address") or _value(
            params, f"{p}outbound_host"
        )
        codecs = []
        names = sorted(
            {m.group(1) for k in params if (m := re.match(re.escape(p) + r"codec\.([\w-]+)\.", k))}
        )
        for name in names:
            enabled = _value(params, f"{p}codec.{name}.enable")
            priority = _int(_value(params, f"{p}codec.{name}.priority"))
            if enabled != "0" and priority and (enabled == "1" or enabled is None):
                codecs.append((priority, codec_name(name)))
        transport = _value(params, f"{p}sip_server.1.transport_type") or _value(
            params, f"{p}transport"
        )
        first_codec = min(
            (k for k in params if k.startswith(f"{p}codec.")),
            key=lambda k: params[k][1] or 10**9,
            default="",
        )
        accounts.append(
            PhoneAccount(
                index=n,
                enabled=_value(params, f"{p}enable") == "1",
                user=_value(params, f"{p}user_name") or None,
                registrar=f"{server}:{port}" if server and port else (server or None),
                transport=YEALINK_TRANSPORTS.get(transport or "0"),
                register_expires_s=expires,
                register_refresh_s=expires,
                keepalive_s=_int(_value(params, f"{p}nat.udp_update_time", "30")) if keep else None,
                stun=_value(params, f"{p}nat.nat_traversal", "0") == "1",
                nat_traversal=_value(params, f"{p}nat.rport", "0") != "0",
                outbound_proxy=proxy if proxy_on and proxy else None,
                codecs=[c for _, c in sorted(codecs)] or None,
                dtmf=YEALINK_DTMF.get(_value(params, f"{p}dtmf.type", "1") or "1"),
                refs=_refs(
                    output,
                    params,
                    {
                        "registrar": f"{p}sip_server.1.address",
                        "transport": f"{p}sip_server.1.transport_type",
                        "register_expires_s": f"{p}sip_server.1.expires",
                        "keepalive_s": f"{p}nat.udp_update_time",
                        "stun": f"{p}nat.nat_traversal",
                        "nat_traversal": f"{p}nat.rport",
                        "outbound_proxy": f"{p}outbound_proxy_enable",
                        "codecs": first_codec,
                        "dtmf": f"{p}dtmf.type",
                    },
                ),
            )
        )
    return accounts


def _yealink_ini(output: Output, params: Params) -> list[PhoneAccount]:
    accounts = []
    indexes = sorted({int(k.split(".")[1]) for k in params})
    for n in indexes:
        p = f"ini.{n}."
        if _value(params, f"{p}account.enable") is None:
            continue
        server = _value(params, f"{p}account.sipserverhost")
        port = _value(params, f"{p}account.sipserverport") or ""
        expires = _int(_value(params, f"{p}account.expire", "3600"))
        keep = _value(params, f"{p}nat.enableudpupdate", "1") != "0"
        proxy_on = _value(params, f"{p}account.useoutboundproxy", "0") == "1"
        codecs = []
        for key in params:
            audio = re.match(re.escape(p) + r"(audio\d+)\.payloadtype$", key)
            if audio is None:
                continue
            section = f"{p}{audio.group(1)}."
            priority = _int(_value(params, f"{section}priority"))
            if _value(params, f"{section}enable") == "1" and priority:
                codecs.append((priority, codec_name(params[key][0])))
        first_audio = min(
            (k for k in params if re.match(re.escape(p) + r"audio\d+\.", k)),
            key=lambda k: params[k][1] or 10**9,
            default="",
        )
        accounts.append(
            PhoneAccount(
                index=n,
                enabled=_value(params, f"{p}account.enable") == "1",
                user=_value(params, f"{p}account.username") or None,
                registrar=f"{server}:{port}" if server and port else (server or None),
                transport=YEALINK_TRANSPORTS.get(
                    _value(params, f"{p}account.transport", "0") or "0"
                ),
                register_expires_s=expires,
                register_refresh_s=expires,
                keepalive_s=_int(_value(params, f"{p}nat.udpupdatetime", "30")) if keep else None,
                stun=_value(params, f"{p}nat.nattraversal", "0") == "1",
                nat_traversal=_value(params, f"{p}nat.rport", "0") != "0",
                outbound_proxy=(_value(params, f"{p}account.outboundhost") or None)
                if proxy_on
                else None,
                codecs=[c for _, c in sorted(codecs)] or None,
                dtmf=YEALINK_DTMF.get(_value(params, f"{p}dtmf.dtmfinbandtransfer", "1") or "1"),
                refs=_refs(
                    output,
                    params,
                    {
                        "registrar": f"{p}account.sipserverhost",
                        "transport": f"{p}account.transport",
                        "register_expires_s": f"{p}account.expire",
                        "keepalive_s": f"{p}nat.udpupdatetime",
                        "stun": f"{p}nat.nattraversal",
                        "nat_traversal": f"{p}nat.rport",
                        "outbound_proxy": f"{p}account.useoutboundproxy",
                        "codecs": first_audio,
                        "dtmf": f"{p}dtmf.dtmfinbandtransfer",
                    },
                ),
            )
        )
    return accounts


def yealink_accounts(output: Output) -> list[PhoneAccount] | None:
    ini = yealink_ini_params(output)
    if ini:
        return _yealink_ini(output, ini)
    params = params_from_key_values(output)
    if not any(k.startswith("account.") for k in params):
        return None
    return _yealink_new(output, params)


@source(
    "yealink_phone",
    "GET /servlet?m=mod_data&p=status&q=load",
    facts=("device", "phone", "phone_registrations"),
)
def yealink_status(_: Any, output: Output) -> dict[str, Any]:
    body = json_body(output)
    if not isinstance(body, dict) or not body.get("ModelName"):
        return {"device": None, "phone": None, "phone_registrations": None}
    firmware = str(body.get("FirmwareVersion") or "") or None
    lldp = body.get("LLDP") if isinstance(body.get("LLDP"), dict) else {}
    neighbor = None
    if lldp and (lldp.get("NeighborDevice") or lldp.get("NeighborPort")):
        port = lldp.get("NeighborPort")
        neighbor = PhoneNeighbor(
            protocol="lldp",
            device=lldp.get("NeighborDevice") or None,
            port=canonical_interface_name(port) if port else None,
            ref=_key_ref(output, "NeighborPort", port),
        )
    registrations = []
    for i, account in enumerate(body.get("Accounts") or []):
        if not isinstance(account, dict):
            continue
        state = str(account.get("Status") or "")
        registrations.append(
            PhoneRegistration(
                account=_int(account.get("Index")) or i + 1,
                registered=state.lower() == "registered",
                state=state,
                registrar=account.get("Server") or None,
                ref=_ref(output, _nth_line(output, '"Status"', i), f"account {i + 1}: {state}"),
            )
        )
    mac = normal_mac(body.get("MacAddress"))
    return {
        "device": Device(
            vendor="Yealink",
            model=str(body["ModelName"]),
            os_version=firmware,
            ref=_key_ref(output, "FirmwareVersion", firmware),
        ),
        "phone": Phone(
            mac=mac,
            ip=body.get("IPv4Address") or None,
            vlan=_int(body.get("VlanId")),
            neighbor=neighbor,
            ref=_key_ref(output, "MacAddress", mac),
        ),
        "phone_registrations": registrations,
    }


@source(
    "yealink_phone",
    "GET /servlet?m=mod_data&p=settings-config&q=exportcfg",
    facts=("phone_accounts",),
)
def yealink_config(_: Any, output: Output) -> dict[str, Any]:
    return {"phone_accounts": yealink_accounts(output)}
