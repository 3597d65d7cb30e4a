"""A refusal that answers the question (issue 11): Asterisk's "No such command" (chan_sip
gone in 21, a module not loaded) is ``rejected`` evidence, its facts say the module is not
loaded, and the host is not ``partial`` for it; the daemon being down still is."""

from __future__ import annotations

from fleetaudit import platforms
from fleetaudit.collect import _summarise
from fleetaudit.evidence import Evidence
from fleetaudit.judgement import judged
from fleetaudit.parse import parse_host
from fleetaudit.platforms.asterisk.facts import Refused
from fleetaudit.platforms.base import Platform
from fleetaudit.templates import templates_for

NO_SIP = (
    "No such command 'sip show peers' (type 'core show help sip show peers' for other "
    "possible commands)\n"
)
DOWN = "Unable to connect to remote asterisk (does /var/run/asterisk/asterisk.ctl exist?)\n"
VERSION = "Asterisk 20.5.2 built by root @ pbx1 on a x86_64 running Linux on 2023-12-11\n"


def _default(command: str) -> str:
    if command.startswith("cat "):
        return f"cat: {command.split()[1]}: No such file or directory\n"
    if "version" in command:
        return VERSION
    return f"No such command '{command.split(chr(34))[1]}'\n"


def _evidence(outputs: dict[str, str]) -> dict[str, Evidence]:
    """Every Asterisk template's command answered: ``outputs``, else the version, a missing
    file, or "No such command"."""
    found = {}
    for template in templates_for("asterisk", "pbx"):
        text = outputs.get(template.command, _default(template.command))
        status, error = judged(text, "asterisk", template.command)
        found[template.command] = Evidence(
            "pbx", "asterisk", template.command, status, text, error=error
        )
    return found


def test_no_such_command_is_rejected_but_answers() -> None:
    asterisk = platforms.get("asterisk")
    assert judged(NO_SIP, "asterisk", 'asterisk -rx "sip show peers"')[0] == "rejected"
    assert asterisk.lacks_feature(NO_SIP) and asterisk.answered("rejected", NO_SIP)
    assert judged(DOWN, "asterisk")[0] == "rejected"
    assert not asterisk.lacks_feature(DOWN) and not asterisk.answered("rejected", DOWN)
    assert not asterisk.answered("timeout", NO_SIP)


def test_a_platform_without_the_declaration_keeps_refusals_as_refusals() -> None:
    plain = Platform("x", "X", "ssh", "show run", refusals=("% Invalid",))
    assert not plain.lacks_feature("% Invalid input\n")
    assert not plain.answered("rejected", "% Invalid input\n")
    assert plain.answered("ok", "anything")


def test_missing_modules_leave_the_host_ok() -> None:
    evidence = _evidence({})  # every show command but the version: "No such command"
    shows = {
        e.status for c, e in evidence.items() if c.startswith("asterisk") and "version" not in c
    }
    assert shows == {"rejected"}
    assert _summarise(evidence, "asterisk", "pbx", ()) == ("ok", None)


def test_daemon_down_makes_the_host_partial() -> None:
    evidence = _evidence({'asterisk -rx "sip show peers"': DOWN})
    status, error = _summarise(evidence, "asterisk", "pbx", ())
    assert status == "partial" and error and "sip show peers" in error


def test_the_fact_of_a_rejected_sip_command_says_chan_sip_not_loaded() -> None:
    parsed = parse_host("asterisk", "pbx", _evidence({}))
    peers = parsed.facts["sip_peers"]
    assert isinstance(peers, Refused) and peers.kind == "no_such_command"
    assert peers.reason.startswith("chan_sip not loaded")
    endpoints = parsed.facts["pjsip_endpoints"]
    assert isinstance(endpoints, Refused) and endpoints.reason.startswith("res_pjsip not loaded")
