"""Grandstream phones: the JSON API and P-value provisioning (text or XML)."""

from __future__ import annotations

import re
from typing import Any

from fleetaudit.facts import Device
from fleetaudit.normalise import Output, source
from fleetaudit.phones.facts import Phone, PhoneAccount, PhoneRegistration
from fleetaudit.phones.parsers.common import (
    Params,
    _int,
    _key_ref,
    _nth_line,
    _params_from_mapping,
    _ref,
    _refs,
    _value,
    json_body,
    normal_mac,
    params_from_key_values,
    params_from_xml_elements,
)
from fleetaudit.phones.vendors import VENDORS

GRANDSTREAM_CODECS = {"0": "PCMU", "8": "PCMA", "18": "G729", "9": "G722", "4": "G723"}
GRANDSTREAM_CODECS |= {"2": "G726", "98": "ILBC", "123": "OPUS"}
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
            ref=_key_ref(output, "prog_version", version),
        ),
        "phone": Phone(
            mac=mac,
            ip=data.get("ipv4_address") or None,
            vlan=_int(data.get("P51")) or None,
            ref=_key_ref(output, "mac", mac),
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
