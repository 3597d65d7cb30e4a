"""Vendor answers and provisioning files -> platform-neutral phone facts.

Each vendor's configuration is first read into ``{parameter: (value, line)}`` (the
REST/JSON answer, an XML provisioning file, a ``key = value`` file: whichever the output
is), then one function per vendor turns parameters into :class:`PhoneAccount` facts. So
a provisioning file and the live phone serving it give the same accounts.

Registered with ``@source`` like napalm getters: ``parse_host`` runs them on evidence
keyed by the vendor call's command (``fleetaudit.phones.vendors``).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from netutils.interface import canonical_interface_name
from netutils.mac import is_valid_mac, mac_to_format

from fleetaudit.facts import Device, Ref
from fleetaudit.normalise import Output, source
from fleetaudit.phones.facts import Phone, PhoneAccount, PhoneNeighbor, PhoneRegistration
from fleetaudit.phones.vendors import VENDORS

Params = dict[str, tuple[str, int | None]]  # name -> (value, 1-based line)

CODECS = {
    "pcmu": "PCMU",
    "g711u": "PCMU",
    "g711ulaw": "PCMU",
    "g711_mu": "PCMU",
    "pcma": "PCMA",
    "g711a": "PCMA",
    "g711alaw": "PCMA",
    "g711_a": "PCMA",
    "g729": "G729",
    "g729a": "G729",
    "g729ab": "G729",
    "g729_ab": "G729",
    "g722": "G722",
    "opus": "OPUS",
    "ilbc": "ILBC",
    "g723": "G723",
    "g723_53": "G723",
    "g723_63": "G723",
    "g726-32": "G726",
    "g726": "G726",
}
GRANDSTREAM_CODECS = {"0": "PCMU", "8": "PCMA", "18": "G729", "9": "G722", "4": "G723"}
GRANDSTREAM_CODECS |= {"2": "G726", "98": "ILBC", "123": "OPUS"}


def codec_name(text: str) -> str:
    """A vendor's codec label in the provider profile's words.

    >>> codec_name("G711_Mu"), codec_name("g729a"), codec_name("PCMA")
    ('PCMU', 'G729', 'PCMA')
    """
    key = text.strip().lower().replace(".", "")
    return CODECS.get(key, text.strip().upper())


def normal_mac(text: str | None) -> str | None:
    """``0011.2233.4455`` / ``001122334455`` / ``00-11-...`` -> ``00:11:22:33:44:55``.

    >>> normal_mac("001122334455"), normal_mac("not a mac")
    ('00:11:22:33:44:55', None)
    """
    if not text or not is_valid_mac(text.strip()):
        return None
    return str(mac_to_format(text.strip(), "MAC_COLON_TWO")).lower()


def _int(text: str | None) -> int | None:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


def _line_of(output: Output, key: str) -> int | None:
    """The first line naming ``key`` as a whole parameter (not a longer one)."""
    pattern = re.compile(r"(?<![\w.])" + re.escape(key) + r"(?![\w.])")
    for number, line in enumerate(output.lines, start=1):
        if pattern.search(line):
            return number
    return None


def _ref(output: Output, line: int | None, fallback: str) -> Ref:
    if line:
        return output.ref_line(line)
    return Ref(source=output.command, line=None, text=fallback)


# --- reading parameters from any of the shapes a configuration comes in -------------------


def json_body(output: Output) -> Any | None:
    try:
        return json.loads(output.text)
    except (json.JSONDecodeError, ValueError):
        return None


def _params_from_mapping(output: Output, data: dict[str, Any]) -> Params:
    return {
        str(k): ("" if v is None else str(v), _line_of(output, str(k))) for k, v in data.items()
    }


def params_from_xml_attributes(output: Output) -> Params | None:
    """Poly/Polycom provisioning XML: every attribute of every element is a parameter."""
    try:
        root = ET.fromstring(output.text.lstrip("\ufeff").strip())
    except ET.ParseError:
        return None
    found: dict[str, Any] = {}
    for element in root.iter():
        found.update(element.attrib)
    return _params_from_mapping(output, found) if found else None


def params_from_xml_elements(output: Output) -> Params | None:
    """Grandstream XML provisioning: ``<config><P47>value</P47>...``."""
    try:
        root = ET.fromstring(output.text.strip())
    except ET.ParseError:
        return None
    found = {e.tag: (e.text or "").strip() for e in root.iter() if re.fullmatch(r"P\d+", e.tag)}
    return _params_from_mapping(output, found) if found else None


_KEY_VALUE = re.compile(r"^\s*([\w.\-]+)\s*=\s*(.*?)\s*$")


def params_from_key_values(output: Output) -> Params:
    """``key = value`` lines (Yealink ``.cfg``, Grandstream P-value text); ``#``/``;``
    comments. ``%NULL%`` (Yealink) is an empty value."""
    found: Params = {}
    for number, line in enumerate(output.lines, start=1):
        if line.lstrip().startswith(("#", ";", "!")):
            continue
        match = _KEY_VALUE.match(line)
        if match:
            value = "" if match.group(2) == "%NULL%" else match.group(2)
            found[match.group(1)] = (value, number)
    return found


def _value(params: Params, key: str, default: str | None = None) -> str | None:
    value = params.get(key)
    return value[0] if value is not None else default


def _refs(output: Output, params: Params, fields: dict[str, str]) -> dict[str, Ref]:
    """``{field: Ref}`` for the parameters that hold each field."""
    refs = {}
    for name, key in fields.items():
        if key in params:
            refs[name] = _ref(output, params[key][1], f"{key} = {params[key][0]}")
    return refs


# --- Poly -----------------------------------------------------------------------------------

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
    return _params_from_mapping(output, data) if isinstance(data, dict) else None


def poly_accounts(output: Output, params: Params) -> list[PhoneAccount]:
    accounts = []
    for n in range(1, 35):
        prefix = f"reg.{n}."
        if not any(k.startswith(prefix) for k in params):
            continue
        address = _value(params, f"{prefix}address") or ""
        if not address:
            continue  # a line without an address is not in use
        server = _value(params, f"{prefix}server.1.address") or None
        port = _value(params, f"{prefix}server.1.port") or ""
        expires = _int(_value(params, f"{prefix}server.1.expires", "3600"))
        overlap = _int(_value(params, f"{prefix}server.1.expires.overlap", "60")) or 60
        refresh = None
        if expires:
            refresh = expires - overlap if expires > overlap else max(expires // 2, 1)
        keepalive = _int(_value(params, "nat.keepalive.interval", "0")) or None
        proxy = (
            _value(params, f"{prefix}outboundProxy.address")
            or _value(params, "voIpProt.SIP.outboundProxy.address")
            or None
        )
        codecs = sorted(
            (p, codec_name(c))
            for c in POLY_CODECS
            if (p := _int(_value(params, f"voice.codecPref.{c}"))) and p > 0
        )
        if _value(params, "tone.dtmf.rfc2833Control") == "1":
            dtmf: str | None = "rfc2833"
        elif _value(params, "voIpProt.SIP.dtmfViaSignaling.rfc2976") == "1":
            dtmf = "sip_info"
        elif _value(params, "tone.dtmf.viaRtp") == "1":
            dtmf = "inband"
        else:
            dtmf = None
        transport = _value(params, f"{prefix}server.1.transport")
        stun_server = _value(params, "tcpIpApp.ice.stun.server")
        accounts.append(
            PhoneAccount(
                index=n,
                enabled=_value(params, f"{prefix}server.1.register", "1") != "0",
                user=address,
                registrar=f"{server}:{port}" if server and port else server,
                transport=POLY_TRANSPORTS.get((transport or "").lower()) if transport else None,
                register_expires_s=expires,
                register_refresh_s=refresh,
                keepalive_s=keepalive,
                stun=bool(stun_server) if stun_server is not None else None,
                nat_traversal=bool(_value(params, "nat.ip")) if "nat.ip" in params else None,
                outbound_proxy=proxy,
                codecs=[name for _, name in codecs] if codecs else None,
                dtmf=dtmf,
                refs=_refs(
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
                        if _value(params, f"{prefix}outboundProxy.address")
                        else "voIpProt.SIP.outboundProxy.address",
                        "codecs": min(
                            (f"voice.codecPref.{c}" for c in POLY_CODECS),
                            key=lambda k: _line_of(output, k) or 10**9,
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
            ref=_ref(output, _line_of(output, "FirmwareRelease"), f"FirmwareRelease {firmware}"),
        ),
        "phone": Phone(
            mac=mac,
            ip=str(data.get("IPV4Address") or "") or None,
            ref=_ref(output, _line_of(output, "MACAddress"), f"MACAddress {mac}"),
        ),
    }


@source("poly_phone", "GET /api/v1/mgmt/network/info", facts=("phone",))
def poly_network_info(_: Any, output: Output) -> dict[str, Any]:
    data = _poly_data(output)
    if not isinstance(data, dict):
        return {"phone": None}
    return {"phone": Phone(vlan=_int(data.get("VLANID")), ip=data.get("IPV4Address") or None)}


@source("poly_phone", "GET /api/v2/mgmt/lineInfo", facts=("phone_registrations",))
def poly_line_info(_: Any, output: Output) -> dict[str, Any]:
    data = _poly_data(output)
    if not isinstance(data, list):
        return {"phone_registrations": None}
    found: list[PhoneRegistration] = []
    for line in data:
        if not isinstance(line, dict) or _int(line.get("LineNumber")) is None:
            continue
        state = str(line.get("RegistrationStatus") or "")
        number = _int(line.get("LineNumber")) or 0
        found.append(
            PhoneRegistration(
                account=number,
                registered=state.lower() == "registered",
                state=state,
                registrar=line.get("ProxyAddress") or None,
                ref=_ref(
                    output,
                    _nth_line(output, "RegistrationStatus", len(found)),
                    f"line {number}: {state}",
                ),
            )
        )
    return {"phone_registrations": found}


def _nth_line(output: Output, key: str, index: int) -> int | None:
    """The line of the ``index``-th (0-based) mention of ``key``."""
    seen = [n for n, line in enumerate(output.lines, start=1) if key in line]
    return seen[index] if index < len(seen) else None


@source("poly_phone", "POST /api/v1/mgmt/config/get", facts=("phone_accounts",))
def poly_config(_: Any, output: Output) -> dict[str, Any]:
    params = poly_params(output)
    if params is None:
        return {"phone_accounts": None}
    return {"phone_accounts": poly_accounts(output, params)}


# --- Cisco enterprise phones ------------------------------------------------------------------

CISCO_TRANSPORTS = {"1": "tcp", "2": "udp", "3": "tls", "4": "tcp+udp"}
CISCO_DTMF = {"none": "inband", "avt": "rfc2833", "avt_always": "rfc2833"}


def _xml(output: Output, root_tag: str | None = None) -> ET.Element | None:
    try:
        root = ET.fromstring(output.text.strip())
    except ET.ParseError:
        return None
    if root_tag and root.tag != root_tag:
        return None
    return root


def _text(root: ET.Element, path: str) -> str | None:
    found = root.find(path)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _tag_ref(output: Output, tag: str, value: str | None) -> Ref:
    return _ref(output, _nth_line(output, f"<{tag}>", 0), f"<{tag}>{value or ''}</{tag}>")


@source("cisco_phone", "GET /DeviceInformationX", facts=("device", "phone"))
def cisco_device_information(_: Any, output: Output) -> dict[str, Any]:
    root = _xml(output, "DeviceInformation")
    if root is None or not _text(root, "modelNumber"):
        return {"device": None, "phone": None}
    mac = normal_mac(_text(root, "MACAddress"))
    version = _text(root, "versionID") or _text(root, "appLoadID")
    return {
        "device": Device(
            hostname=_text(root, "HostName"),
            vendor="Cisco",
            model=_text(root, "modelNumber"),
            os_version=version,
            serial=_text(root, "serialNumber"),
            ref=_tag_ref(output, "versionID", version),
        ),
        "phone": Phone(
            mac=mac,
            name=_text(root, "HostName"),
            ref=_tag_ref(output, "MACAddress", _text(root, "MACAddress")),
        ),
    }


@source("cisco_phone", "GET /NetworkConfigurationX", facts=("phone", "phone_registrations"))
def cisco_network_configuration(_: Any, output: Output) -> dict[str, Any]:
    root = _xml(output, "NetworkConfiguration")
    if root is None:
        return {"phone": None, "phone_registrations": None}
    vlan = _int(_text(root, "OperationalVLANId") or _text(root, "AdminVLANId"))
    managers = [
        (f"CallManager{i}", text) for i in range(1, 6) if (text := _text(root, f"CallManager{i}"))
    ]
    active = next(((t, x) for t, x in managers if x.split()[-1].lower() == "active"), None)
    tag, text = active or (managers[0] if managers else ("CallManager1", ""))
    registrations = [
        PhoneRegistration(
            account=1,
            registered=active is not None,
            state=text.split()[-1] if text else "no call manager",
            registrar=text.split()[0] if text else None,
            ref=_tag_ref(output, tag, text),
        )
    ]
    return {
        "phone": Phone(ip=_text(root, "IPAddress"), name=_text(root, "HostName"), vlan=vlan),
        "phone_registrations": registrations,
    }


@source("cisco_phone", "GET /PortInformationX?1", facts=("phone",))
def cisco_port_information(_: Any, output: Output) -> dict[str, Any]:
    root = _xml(output, "PortInformation")
    if root is None:
        return {"phone": None}
    for protocol, prefix in (("cdp", "CDPNeighbor"), ("lldp", "LLDPNeighbor")):
        device = _text(root, f"{prefix}DeviceId")
        port = _text(root, f"{prefix}Port")
        if device or port:
            return {
                "phone": Phone(
                    neighbor=PhoneNeighbor(
                        protocol=protocol,
                        device=device,
                        port=canonical_interface_name(port) if port else None,
                        ip=_text(root, f"{prefix}IP"),
                        ref=_tag_ref(output, f"{prefix}Port", port),
                    )
                )
            }
    return {"phone": Phone()}


def cisco_accounts(output: Output, root: ET.Element) -> list[PhoneAccount]:
    stack = root.find(".//sipProfile/sipStack")
    expires = _int(_text(stack, "timerRegisterExpires")) if stack is not None else None
    delta = (_int(_text(stack, "timerRegisterDelta")) if stack is not None else None) or 5
    keepalive_expires = _int(_text(stack, "timerKeepAliveExpires")) if stack is not None else None
    manager = _text(root, ".//callManagerGroup/members/member/callManager/processNodeName")
    manager_port = _text(root, ".//callManagerGroup/members/member/callManager/ports/sipPort")
    outbound = _text(root, ".//sipProfile/sipProxies/outboundProxy")
    nat = _text(root, ".//sipProfile/natEnabled")
    preferred = _text(root, ".//sipProfile/preferredCodec")
    dtmf = _text(root, ".//sipProfile/dtmfOutofBand")
    transport = _text(root, ".//transportLayerProtocol")
    accounts: list[PhoneAccount] = []
    for line in root.findall(".//sipProfile/sipLines/line"):
        if _text(line, "featureID") != "9":
            continue  # not a line appearance (speed dial, BLF...)
        index = _int(line.get("button")) or len(accounts) + 1
        proxy = _text(line, "proxy")
        via_manager = proxy is None or proxy.upper() == "USECALLMANAGER"
        if via_manager:
            registrar = f"{manager}:{manager_port}" if manager and manager_port else manager
            granted = keepalive_expires or expires  # the call manager shortens Expires
        else:
            port = _text(line, "port")
            registrar = f"{proxy}:{port}" if port else proxy
            granted = expires
        accounts.append(
            PhoneAccount(
                index=index,
                enabled=True,
                user=_text(line, "name"),
                registrar=registrar,
                transport=CISCO_TRANSPORTS.get(transport or ""),
                register_expires_s=expires,
                register_refresh_s=max(granted - delta, 1) if granted else None,
                keepalive_s=None,  # enterprise firmware: the registration is the keep-alive
                stun=False,  # enterprise firmware has no STUN client
                nat_traversal=(nat or "").lower() == "true" if nat is not None else None,
                outbound_proxy=outbound
                if outbound and outbound.upper() != "USECALLMANAGER"
                else None,
                codecs=[codec_name(preferred)] if preferred and preferred != "none" else None,
                dtmf=CISCO_DTMF.get((dtmf or "").lower()) if dtmf else "rfc2833",
                refs={
                    "registrar": _tag_ref(output, "proxy", proxy),
                    "transport": _tag_ref(output, "transportLayerProtocol", transport),
                    "register_expires_s": _tag_ref(
                        output,
                        "timerKeepAliveExpires" if via_manager else "timerRegisterExpires",
                        str(granted),
                    ),
                    "nat_traversal": _tag_ref(output, "natEnabled", nat),
                    "outbound_proxy": _tag_ref(output, "outboundProxy", outbound),
                    "codecs": _tag_ref(output, "preferredCodec", preferred),
                    "dtmf": _tag_ref(output, "dtmfOutofBand", dtmf),
                },
            )
        )
    return accounts


@source("cisco_phone", "GET /SEP<MAC>.cnf.xml", facts=("phone_accounts",))
def cisco_config(_: Any, output: Output) -> dict[str, Any]:
    root = _xml(output, "device")
    if root is None or root.find(".//sipProfile") is None:
        return {"phone_accounts": None}
    return {"phone_accounts": cisco_accounts(output, root)}


# --- Yealink --------------------------------------------------------------------------------

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
            ref=_ref(output, _line_of(output, "NeighborPort"), f"NeighborPort {port}"),
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
            ref=_ref(output, _line_of(output, "FirmwareVersion"), f"FirmwareVersion {firmware}"),
        ),
        "phone": Phone(
            mac=mac,
            ip=body.get("IPv4Address") or None,
            vlan=_int(body.get("VlanId")),
            neighbor=neighbor,
            ref=_ref(output, _line_of(output, "MacAddress"), f"MacAddress {mac}"),
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


# --- Grandstream ------------------------------------------------------------------------------

GS_TRANSPORTS = {"0": "udp", "1": "tcp", "2": "tls"}
GS_DTMF = {"0": "inband", "1": "rfc2833", "2": "sip_info"}
GS_VOCODERS = ("P57", "P58", "P59", "P60", "P61", "P62", "P46", "P98")


def _gs_body(output: Output) -> Any | None:
    body = json_body(output)
    if not isinstance(body, dict) or body.get("response") != "success":
        return None
    return body.get("body")


def grandstream_params(output: Output) -> Params | None:
    """``api.values.get`` JSON, a P-value text file (``P47 = ...``) or Grandstream XML."""
    text = output.text.lstrip()
    if text.startswith("<"):
        return params_from_xml_elements(output)
    if text.startswith("{"):
        data = _gs_body(output)
        return _params_from_mapping(output, data) if isinstance(data, dict) else None
    params = params_from_key_values(output)
    return params if any(re.fullmatch(r"P\d+", k) for k in params) else None


def grandstream_accounts(output: Output, params: Params) -> list[PhoneAccount]:
    """Account 1 (P271/P47/...): other accounts use other P-value blocks, not read yet."""
    if _value(params, "P271") is None and _value(params, "P47") is None:
        return []
    minutes = _int(_value(params, "P32", "60"))
    nat = _value(params, "P52", "0")
    codecs = [
        GRANDSTREAM_CODECS.get(v or "", v or "") for k in GS_VOCODERS if (v := _value(params, k))
    ]
    codecs = list(dict.fromkeys(codecs))  # a vocoder repeated in later choices counts once
    server = _value(params, "P47") or None
    return [
        PhoneAccount(
            index=1,
            enabled=_value(params, "P271", "1") == "1",
            user=_value(params, "P35") or None,
            registrar=server,
            transport=GS_TRANSPORTS.get(_value(params, "P130", "0") or "0"),
            register_expires_s=minutes * 60 if minutes else None,
            register_refresh_s=minutes * 60 if minutes else None,
            keepalive_s=_int(_value(params, "P84", "20")) if nat == "2" else None,
            stun=nat == "1",
            nat_traversal=nat in ("3", "4", "5"),
            outbound_proxy=_value(params, "P48") or None,
            codecs=codecs or None,
            dtmf=GS_DTMF.get(_value(params, "P73", "1") or "1"),
            refs=_refs(
                output,
                params,
                {
                    "registrar": "P47",
                    "transport": "P130",
                    "register_expires_s": "P32",
                    "keepalive_s": "P84",
                    "stun": "P52",
                    "nat_traversal": "P52",
                    "outbound_proxy": "P48",
                    "codecs": "P57",
                    "dtmf": "P73",
                },
            ),
        )
    ]


def _gs_status_command() -> str:
    return VENDORS["grandstream_phone"].calls[0].command


@source("grandstream_phone", _gs_status_command(), facts=("device", "phone"))
def grandstream_status(_: Any, output: Output) -> dict[str, Any]:
    data = _gs_body(output)
    if not isinstance(data, dict) or not data.get("phone_model"):
        return {"device": None, "phone": None}
    version = str(data.get("prog_version") or "") or None
    mac = normal_mac(data.get("mac"))
    return {
        "device": Device(
            vendor="Grandstream",
            model=str(data["phone_model"]),
            os_version=version,
            ref=_ref(output, _line_of(output, "prog_version"), f"prog_version {version}"),
        ),
        "phone": Phone(
            mac=mac,
            ip=data.get("ipv4_address") or None,
            vlan=_int(data.get("P51")) or None,
            ref=_ref(output, _line_of(output, "mac"), f"mac {mac}"),
        ),
    }


@source("grandstream_phone", "GET /cgi-bin/api-get_line_status", facts=("phone_registrations",))
def grandstream_line_status(_: Any, output: Output) -> dict[str, Any]:
    data = _gs_body(output)
    if not isinstance(data, list):
        return {"phone_registrations": None}
    found = []
    for i, line in enumerate(data):
        if not isinstance(line, dict) or str(line.get("active", "1")) != "1":
            continue
        registered = str(line.get("reg")) == "1"
        number = _int(line.get("acct")) or _int(line.get("line")) or i + 1
        found.append(
            PhoneRegistration(
                account=number,
                registered=registered,
                state="registered" if registered else "not registered",
                ref=_ref(
                    output, _nth_line(output, '"reg"', i), f"line {number}: reg {line.get('reg')}"
                ),
            )
        )
    return {"phone_registrations": found}


def _gs_config_command() -> str:
    return VENDORS["grandstream_phone"].config.command


@source("grandstream_phone", _gs_config_command(), facts=("phone_accounts",))
def grandstream_config(_: Any, output: Output) -> dict[str, Any]:
    params = grandstream_params(output)
    if params is None:
        return {"phone_accounts": None}
    return {"phone_accounts": grandstream_accounts(output, params)}


ACCOUNT_READERS: dict[str, Callable[[Output], list[PhoneAccount] | None]] = {
    "poly_phone": lambda o: poly_accounts(o, p) if (p := poly_params(o)) is not None else None,
    "yealink_phone": yealink_accounts,
    "grandstream_phone": lambda o: (
        grandstream_accounts(o, p) if (p := grandstream_params(o)) is not None else None
    ),
    "cisco_phone": lambda o: cisco_accounts(o, r) if (r := _xml(o, "device")) is not None else None,
}
