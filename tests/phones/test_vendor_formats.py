"""Vendor answer shapes the lab's phones do not all show: Grandstream accounts 2 and 3,
the answer a Grandstream gives a dead session, Yealink account states, Cisco transports."""

from __future__ import annotations

import json

import pytest

from fleetaudit.normalise import Output
from fleetaudit.platforms.phones.parsers.cisco import CISCO_TRANSPORTS
from fleetaudit.platforms.phones.parsers.grandstream import (
    grandstream_accounts,
    grandstream_config,
    grandstream_params,
    grandstream_registrations,
)
from fleetaudit.platforms.phones.parsers.yealink import yealink_status
from fleetaudit.platforms.phones.vendors import GRANDSTREAM_PARAMS, VENDORS

GS_CONFIG = VENDORS["grandstream_phone"].config.command


def test_grandstream_accounts_two_and_three_use_their_own_p_values() -> None:
    text = "\n".join(
        [
            "P47 = sip.example.net",  # account 1: every other value at its default
            "P401 = 1",
            "P402 = pbx.example.net:5070",
            "P404 = 201",
            "P412 = 5",
            "P448 = 1",
            "P414 = 2",
            "P447 = 0",
            "P84 = 25",
            "P451 = 8",
            "P452 = 0",
            "P2401 = 1",
            "P2402 = 0",
            "P501 = 0",
            "P502 = backup.example.net",
            "P514 = 1",
            "P2503 = 1",
            "P2502 = 0",
        ]
    )
    output = Output("cfg000b82000001.txt", text)
    params = grandstream_params(output)
    assert params is not None
    one, two, three = grandstream_accounts(output, params)
    assert (one.index, one.transport, one.register_expires_s, one.dtmf) == (
        1,
        "udp",
        3600,
        "rfc2833",
    )
    assert one.nat_traversal  # rport is on unless switched off
    assert (two.index, two.registrar, two.user, two.transport) == (
        2,
        "pbx.example.net:5070",
        "201",
        "tcp",
    )
    assert (two.register_expires_s, two.keepalive_s, two.stun, two.nat_traversal) == (
        300,
        25,
        False,
        False,
    )
    assert (two.codecs, two.dtmf) == (["PCMA", "PCMU"], "inband")
    assert two.refs["transport"].line == text.splitlines().index("P448 = 1") + 1
    assert (three.index, three.enabled, three.stun, three.dtmf) == (3, False, True, "sip_info")


def test_a_grandstream_answer_with_every_value_empty_is_unknown() -> None:
    """What the phone answers to a dead session: success, every value empty."""
    body = {"response": "success", "body": dict.fromkeys(GRANDSTREAM_PARAMS, "")}
    assert grandstream_config(None, Output(GS_CONFIG, json.dumps(body))) == {"phone_accounts": None}


def test_grandstream_registrations_skip_accounts_not_set_up() -> None:
    body = {
        "response": "success",
        "body": [
            {"id": 1, "sip_server": "", "sip_id": "", "name": "", "auto_cfg": "", "reg": 0},
            {"id": 2, "sip_server": "pbx", "sip_id": "201", "name": "", "auto_cfg": "", "reg": 0},
        ],
    }
    output = Output("GET /cgi-bin/api-get_accounts", json.dumps(body, indent=2))
    (found,) = grandstream_registrations(None, output)["phone_registrations"]
    assert (found.account, found.registered, found.registrar) == (2, False, "pbx")


@pytest.mark.parametrize(
    ("code", "registered", "state"),
    [("2", True, "registered"), ("1", False, "registering"), ("0", False, "not registered")],
)
def test_yealink_account_state_codes(code: str, registered: bool, state: str) -> None:
    page = (
        '<html><script>var g_phonetype = "SIP-T46U";\n'
        f'var g_dataAccStatus = g_json.ParseJSON("{{\\"Account1\\":\\"7@pbx:{code}\\"}}");'
        "</script></html>"
    )
    facts = yealink_status(None, Output("GET /servlet?m=mod_data&p=status&q=load", page))
    (found,) = facts["phone_registrations"]
    assert (found.registered, found.state, found.registrar) == (registered, state, "pbx")


def test_a_yealink_page_without_the_phone_type_is_unknown() -> None:
    facts = yealink_status(None, Output("GET /servlet?m=mod_data&p=status&q=load", "<html/>"))
    assert facts == {"device": None, "phone": None, "phone_registrations": None}


def test_cisco_transport_codes() -> None:
    assert [CISCO_TRANSPORTS[c] for c in "1234"] == ["tcp", "udp", "tls", "tcp"]
