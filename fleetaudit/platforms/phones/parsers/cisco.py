"""Cisco enterprise phones: the XML status pages and the ``SEP<MAC>.cnf.xml`` configuration."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from netutils.interface import canonical_interface_name

from fleetaudit.facts import Device, Phone, PhoneAccount, PhoneNeighbor, PhoneRegistration, Ref
from fleetaudit.normalise import Output, source
from fleetaudit.platforms.phones.parsers.common import (
    codec_name,
    line_ref,
    normal_mac,
    nth_line,
    to_int,
)

# ``<transportLayerProtocol>``: the phone compares it with its own connection types,
# which the code says "need to match the values in the config matrix": 1 TCP, 2 UDP, 3 TLS,
# 4 a temporary TCP (what a "TCP + UDP" device profile gives); the phone signals over TCP
# for 4, so it reads as "tcp". Verified in Cisco's SIP phone stack as published.
CISCO_TRANSPORTS = {"1": "tcp", "2": "udp", "3": "tls", "4": "tcp"}
# ``<dtmfOutofBand>``: none (out-of-band off: in-band only), avt (RFC 2833 when the far
# end offers it), avt_always (always RFC 2833); avt when the element is absent. Verified
# in the same stack's configuration table and the firmware's sample configurations.
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
    return line_ref(output, nth_line(output, f"<{tag}>", 0), f"<{tag}>{value or ''}</{tag}>")


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
    vlan = to_int(_text(root, "OperationalVLANId") or _text(root, "AdminVLANId"))
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
    expires = to_int(_text(stack, "timerRegisterExpires")) if stack is not None else None
    delta = (to_int(_text(stack, "timerRegisterDelta")) if stack is not None else None) or 5
    keepalive_expires = to_int(_text(stack, "timerKeepAliveExpires")) if stack is not None else None
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
        index = to_int(line.get("button")) or len(accounts) + 1
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
                nat_traversal=nat.lower() in ("true", "1") if nat is not None else None,
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
