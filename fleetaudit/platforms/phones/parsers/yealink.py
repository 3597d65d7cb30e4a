"""Yealink phones: the status page and ``.cfg`` exports (new ``key = value`` style and
old INI style)."""

from __future__ import annotations

import json
import re
from typing import Any

from fleetaudit.facts import Device, Phone, PhoneAccount, PhoneRegistration
from fleetaudit.normalise import Output, source
from fleetaudit.platforms.phones.parsers.common import (
    KEY_VALUE,
    Params,
    codec_name,
    field_refs,
    key_ref,
    line_ref,
    normal_mac,
    nth_line,
    param,
    params_from_key_values,
    to_int,
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
        elif sections and (kv := KEY_VALUE.match(line)) and not line.lstrip().startswith("#"):
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
        if param(params, f"{p}enable") is None:
            continue
        server = param(params, f"{p}sip_server.1.address") or param(params, f"{p}sip_server_host")
        port = param(params, f"{p}sip_server.1.port") or ""
        expires = to_int(param(params, f"{p}sip_server.1.expires", "3600"))
        keep = param(params, f"{p}nat.udp_update_enable", "1") != "0"
        proxy_on = param(params, f"{p}outbound_proxy_enable", "0") == "1"
        proxy = param(params, f"{p}outbound_proxy.1.address") or param(params, f"{p}outbound_host")
        codecs = []
        names = sorted(
            {m.group(1) for k in params if (m := re.match(re.escape(p) + r"codec\.([\w-]+)\.", k))}
        )
        for name in names:
            enabled = param(params, f"{p}codec.{name}.enable")
            priority = to_int(param(params, f"{p}codec.{name}.priority"))
            if enabled != "0" and priority and (enabled == "1" or enabled is None):
                codecs.append((priority, codec_name(name)))
        transport = param(params, f"{p}sip_server.1.transport_type") or param(
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
                enabled=param(params, f"{p}enable") == "1",
                user=param(params, f"{p}user_name") or None,
                registrar=f"{server}:{port}" if server and port else (server or None),
                transport=YEALINK_TRANSPORTS.get(transport or "0"),
                register_expires_s=expires,
                register_refresh_s=expires,
                keepalive_s=to_int(param(params, f"{p}nat.udp_update_time", "30"))
                if keep
                else None,
                stun=param(params, f"{p}nat.nat_traversal", "0") == "1",
                nat_traversal=param(params, f"{p}nat.rport", "0") != "0",
                outbound_proxy=proxy if proxy_on and proxy else None,
                codecs=[c for _, c in sorted(codecs)] or None,
                dtmf=YEALINK_DTMF.get(param(params, f"{p}dtmf.type", "1") or "1"),
                refs=field_refs(
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
        if param(params, f"{p}account.enable") is None:
            continue
        server = param(params, f"{p}account.sipserverhost")
        port = param(params, f"{p}account.sipserverport") or ""
        expires = to_int(param(params, f"{p}account.expire", "3600"))
        keep = param(params, f"{p}nat.enableudpupdate", "1") != "0"
        proxy_on = param(params, f"{p}account.useoutboundproxy", "0") == "1"
        codecs = []
        for key in params:
            audio = re.match(re.escape(p) + r"(audio\d+)\.payloadtype$", key)
            if audio is None:
                continue
            section = f"{p}{audio.group(1)}."
            priority = to_int(param(params, f"{section}priority"))
            if param(params, f"{section}enable") == "1" and priority:
                codecs.append((priority, codec_name(params[key][0])))
        first_audio = min(
            (k for k in params if re.match(re.escape(p) + r"audio\d+\.", k)),
            key=lambda k: params[k][1] or 10**9,
            default="",
        )
        accounts.append(
            PhoneAccount(
                index=n,
                enabled=param(params, f"{p}account.enable") == "1",
                user=param(params, f"{p}account.username") or None,
                registrar=f"{server}:{port}" if server and port else (server or None),
                transport=YEALINK_TRANSPORTS.get(
                    param(params, f"{p}account.transport", "0") or "0"
                ),
                register_expires_s=expires,
                register_refresh_s=expires,
                keepalive_s=to_int(param(params, f"{p}nat.udpupdatetime", "30")) if keep else None,
                stun=param(params, f"{p}nat.nattraversal", "0") == "1",
                nat_traversal=param(params, f"{p}nat.rport", "0") != "0",
                outbound_proxy=(param(params, f"{p}account.outboundhost") or None)
                if proxy_on
                else None,
                codecs=[c for _, c in sorted(codecs)] or None,
                dtmf=YEALINK_DTMF.get(param(params, f"{p}dtmf.dtmfinbandtransfer", "1") or "1"),
                refs=field_refs(
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


# The status page (``/servlet?m=mod_data&p=status&q=load``) is HTML. Verified against
# published clients of it and a captured page: the model and firmware in JavaScript
# variables ``g_phonetype`` / ``g_strFirmware``; the accounts' state in
# ``var g_dataAccStatus = g_json.ParseJSON("{\"Account1\":\"<user>@<server>:<code>\"}")``
# where code 2 is registered (1 registering, 0 not registered; 3 failed is reported by one
# client only); the network facts in rows ``<tr ...>...T("<label>")...<label id=".."
# dvalue="<value>">`` -- ``tdWANIP`` is the IPv4 address; "MAC Address" and "VLAN ID" rows
# are matched by their label, their ids are not known. The page carries no LLDP
# neighbour. Assumed: ``g_phonetype`` holds the model as the phone names it ("SIP-T46U").
_JS_VAR = re.compile(r'var\s+(g_\w+)\s*=\s*"([^"]*)"')
_ACC_STATUS = re.compile(r'g_dataAccStatus\s*=\s*g_json\.ParseJSON\("((?:[^"\\]|\\.)*)"\)')
_ROW = re.compile(
    r'<tr[^>]*>.*?T\("([^"]+)"\).*?<label([^>]*)>(.*?)</label>.*?</tr>',
    re.IGNORECASE | re.DOTALL,
)
_ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')
YEALINK_ACCOUNT_STATES = {"0": "not registered", "1": "registering", "2": "registered"}
YEALINK_ACCOUNT_STATES |= {"3": "registration failed"}


def yealink_status_page(text: str) -> dict[str, str]:
    """The status page's facts: ``g_*`` variables, rows by label and by label id.

    >>> page = 'var g_strFirmware = "1.2";<tr level="item"><td>T("VLAN ID")</td>'
    >>> page += '<td><label id="tdV" dvalue="20">20</label></td></tr>'
    >>> sorted(yealink_status_page(page).items())
    [('VLAN ID', '20'), ('g_strFirmware', '1.2'), ('id:tdV', '20')]
    """
    found = dict(_JS_VAR.findall(text))
    for label, attrs, shown in _ROW.findall(text):
        values = dict(_ATTR.findall(attrs))
        value = re.sub(r"<[^>]+>", "", shown).strip() or values.get("dvalue", "").strip()
        found.setdefault(label.strip(), value)
        if values.get("id"):
            found.setdefault(f"id:{values['id']}", value)
    return found


def yealink_account_states(text: str) -> dict[int, tuple[str, str]]:
    """``{account: (user@server, code)}`` from ``g_dataAccStatus``; empty entries left out."""
    match = _ACC_STATUS.search(text)
    if match is None:
        return {}
    try:
        data = json.loads(match.group(1).replace('\\"', '"'))
    except ValueError:
        return {}
    found = {}
    for key, value in data.items() if isinstance(data, dict) else ():
        number = re.fullmatch(r"Account(\d+)", str(key))
        if number and isinstance(value, str) and value.strip():
            address, _, code = value.strip().rpartition(":")
            found[int(number.group(1))] = (address or value.strip(), code)
    return found


@source(
    "yealink_phone",
    "GET /servlet?m=mod_data&p=status&q=load",
    facts=("device", "phone", "phone_registrations"),
)
def yealink_status(_: Any, output: Output) -> dict[str, Any]:
    page = yealink_status_page(output.text)
    model = page.get("g_phonetype") or page.get("Product Name") or page.get("Model")
    if not model:
        return {"device": None, "phone": None, "phone_registrations": None}
    firmware = page.get("g_strFirmware") or page.get("Firmware Version") or None
    registrations = []
    for n, (address, code) in sorted(yealink_account_states(output.text).items()):
        state = YEALINK_ACCOUNT_STATES.get(code, code or "unknown")
        registrations.append(
            PhoneRegistration(
                account=n,
                registered=code == "2",
                state=state,
                registrar=address.partition("@")[2] or None,
                ref=key_ref(output, "g_dataAccStatus", f"Account{n} {address}:{code}"),
            )
        )
    mac = normal_mac(page.get("MAC Address"))
    return {
        "device": Device(
            vendor="Yealink",
            model=model,
            os_version=firmware,
            ref=key_ref(output, "g_strFirmware", firmware),
        ),
        "phone": Phone(
            mac=mac,
            ip=page.get("id:tdWANIP") or None,
            vlan=to_int(page.get("VLAN ID")) or None,
            ref=line_ref(output, nth_line(output, 'T("MAC Address")', 0), f"MAC Address {mac}"),
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
