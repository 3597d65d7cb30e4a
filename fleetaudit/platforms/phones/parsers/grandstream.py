"""Grandstream phones: the CGI API's JSON answers and P-value provisioning (text or XML).

Verified against published material (sources are cited in the project's notes, not here):

- ``api.values.get`` answers ``{"response": "success", "body": {"<key>": "<value>"}}`` with
  P-value keys as asked (``P47``) and every value a string; the phone's web UI POSTs the
  keys as ``request=P47:P48:...`` with the session's ``sid``; a key the phone does not know,
  or any key asked with a dead session, comes back as ``""``. ``phone_model`` is such a key.
- The P-value numbers and value codes of accounts 1-3 (GXP configuration templates):
  active, name, SIP server, outbound proxy, user ID, registration, expiration in minutes,
  transport (0 UDP, 1 TCP, 2 TLS/TCP), NAT traversal (0 no, 1 STUN, 2 keep-alive, 3 UPnP,
  4 auto, 5 VPN), rport (default 1), vocoder choices 1-8 (0 PCMU, 2 G.726-32, 4 G.723.1,
  8 PCMA, 9 G.722, 18 G.729A/B, 98 iLBC, 125 OPUS) and the three "Send DTMF" switches
  (in-audio, RFC 2833, SIP INFO; each 0/1). See ``GRANDSTREAM_ACCOUNTS``.
- ``api-get_accounts`` answers a list of ``{"id", "sip_server", "sip_id", "name",
  "auto_cfg", "reg"}`` (``id`` from 1, ``reg`` 1 when registered), captured from a
  Grandstream handset. (``api-get_line_status`` is the call state of each line key --
  idle, ringing, ... -- not the registration, so it is not used.)
- ``P84`` (keep-alive interval, seconds, default 20) and ``P76`` (STUN server) from older
  provisioning scripts.

Assumed: ``prog_version``, ``mac`` and ``ipv4_address`` as ``api.values.get`` keys, and
``P51`` (VLAN tag) there; accounts 4 and up (numbering differs by model) are not read.
"""

from __future__ import annotations

import re
from typing import Any

from fleetaudit.facts import Device, Phone, PhoneAccount, PhoneRegistration
from fleetaudit.normalise import Output, source
from fleetaudit.platforms.phones.parsers.common import (
    Params,
    field_refs,
    json_body,
    key_ref,
    line_ref,
    normal_mac,
    nth_line,
    param,
    params_from_key_values,
    params_from_mapping,
    params_from_xml_elements,
    to_int,
)
from fleetaudit.platforms.phones.vendors import GRANDSTREAM_ACCOUNTS, VENDORS, GrandstreamAccount

GRANDSTREAM_CODECS = {"0": "PCMU", "8": "PCMA", "18": "G729", "9": "G722", "4": "G723"}
GRANDSTREAM_CODECS |= {"2": "G726", "98": "ILBC", "125": "OPUS"}
GS_TRANSPORTS = {"0": "udp", "1": "tcp", "2": "tls"}


def _gs_body(output: Output) -> Any | None:
    body = json_body(output)
    if not isinstance(body, dict) or body.get("response") != "success":
        return None
    return body.get("body")


def grandstream_params(output: Output) -> Params | None:
    """``api.values.get`` JSON, a P-value text file (``P47 = ...``) or Grandstream XML.

    An answer whose every value is empty is what the phone gives a dead session: unknown.
    """
    text = output.text.lstrip()
    if text.startswith("<"):
        return params_from_xml_elements(output)
    if text.startswith("{"):
        data = _gs_body(output)
        if not isinstance(data, dict) or not any(str(v or "").strip() for v in data.values()):
            return None
        return params_from_mapping(output, data)
    params = params_from_key_values(output)
    return params if any(re.fullmatch(r"P\d+", k) for k in params) else None


def _dtmf(params: Params, keys: tuple[str, str, str]) -> str | None:
    """The firmware's defaults where a switch is not given: RFC 2833 on, the others off."""
    in_audio, rtp, info = (param(params, k) for k in keys)
    if (rtp or "1") == "1":
        return "rfc2833"
    if info == "1":
        return "sip_info"
    return "inband" if in_audio == "1" else None


def _account(
    output: Output, params: Params, index: int, p: GrandstreamAccount
) -> PhoneAccount | None:
    server = param(params, p.server) or None
    if server is None:
        return None  # no SIP server: the account is not set up
    minutes = to_int(param(params, p.expires, "60"))
    nat = param(params, p.nat, "0") or "0"
    codecs = [GRANDSTREAM_CODECS.get(v, v) for k in p.vocoders if (v := param(params, k))]
    codecs = list(dict.fromkeys(codecs))  # a vocoder repeated in later choices counts once
    return PhoneAccount(
        index=index,
        enabled=param(params, p.active, "1") == "1",
        user=param(params, p.user) or None,
        registrar=server,
        transport=GS_TRANSPORTS.get(param(params, p.transport, "0") or "0"),
        register_expires_s=minutes * 60 if minutes else None,
        register_refresh_s=minutes * 60 if minutes else None,
        keepalive_s=to_int(param(params, "P84", "20")) if nat == "2" else None,
        stun=nat == "1",
        nat_traversal=(param(params, p.rport, "1") == "1") or nat in ("3", "4", "5"),
        outbound_proxy=param(params, p.proxy) or None,
        codecs=codecs or None,
        dtmf=_dtmf(params, p.dtmf),
        refs=field_refs(
            output,
            params,
            {
                "registrar": p.server,
                "transport": p.transport,
                "register_expires_s": p.expires,
                "keepalive_s": "P84",
                "stun": p.nat,
                "nat_traversal": p.rport if p.rport in params else p.nat,
                "outbound_proxy": p.proxy,
                "codecs": p.vocoders[0],
                "dtmf": p.dtmf[1],
            },
        ),
    )


def grandstream_accounts(output: Output, params: Params) -> list[PhoneAccount]:
    """Accounts 1-3 that have a SIP server (``GRANDSTREAM_ACCOUNTS``)."""
    found = (_account(output, params, n, p) for n, p in GRANDSTREAM_ACCOUNTS.items())
    return [a for a in found if a is not None]


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
            ref=key_ref(output, "prog_version", version),
        ),
        "phone": Phone(
            mac=mac,
            ip=data.get("ipv4_address") or None,
            vlan=to_int(data.get("P51")) or None,
            ref=key_ref(output, "mac", mac),
        ),
    }


@source("grandstream_phone", "GET /cgi-bin/api-get_accounts", facts=("phone_registrations",))
def grandstream_registrations(_: Any, output: Output) -> dict[str, Any]:
    data = _gs_body(output)
    if not isinstance(data, list):
        return {"phone_registrations": None}
    found = []
    for i, account in enumerate(data):
        if not isinstance(account, dict):
            continue
        server = str(account.get("sip_server") or "").strip()
        if not server and not str(account.get("sip_id") or "").strip():
            continue  # an account that is not set up
        registered = str(account.get("reg")) == "1"
        number = to_int(account.get("id")) or i + 1
        found.append(
            PhoneRegistration(
                account=number,
                registered=registered,
                state="registered" if registered else "not registered",
                registrar=server or None,
                ref=line_ref(
                    output,
                    nth_line(output, '"reg"', i),
                    f"account {number}: reg {account.get('reg')}",
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
