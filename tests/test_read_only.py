"""Read-only by construction (issue 8), proven from both sides.

The collector judges every line before it leaves (platform grammar, declared set-up lines,
its own enable dialogue: the guard on netmiko's ``write_channel``); the lab logs every line
its devices receive and judges it again with the same rules. Audits of the demo sites over
real SSH must leave a log with no violation and no ``configure`` in it.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from netmiko import ConnectHandler

from fleetaudit import platforms
from fleetaudit.channel_guard import LineGuard, NotReadOnly, connect
from fleetaudit.cli import main
from fleetaudit.lab import Lab
from fleetaudit.paths import builtin_dir
from tests.labserve import fleetaudit, lab_serve, run_json, shifted_inventory

SECRET = "lab-enable"
CREDENTIALS = {"username": "admin", "password": "lab-admin"}

# every command issue 8 saw reach a device through a user template, by platform
BAD = {
    "cisco_ios": [
        "show clock\nreload",
        "show version\nwrite erase",
        "show running-config | redirect flash:x.cfg",
        "show clock | append flash:x",
        "show tech-support | tee flash:x",
    ],
    "cisco_asa": ["show running-config | redirect disk0:x"],
    "mikrotik_routeros": [
        "/user print\n/user add name=x group=full password=x",
        "/ip address print; /system reboot",
        "/export file=x",
    ],
    # issue 12: collected over exec channels, each command judged before its channel opens
    "asterisk": [
        'asterisk -rx "core restart now"',
        'asterisk -rx "sip show peers"; reboot',
        "cat /etc/shadow",
        "cat /etc/asterisk/sip.conf\nreboot",
    ],
}
# what of them must never show up in what a device received
NEVER_RECEIVED = re.compile(
    r"reload|write|/user add|reboot|file=|redirect|append|tee|configure|restart|shadow", re.I
)

# ---------------------------------------------------------------- grammars, one by one

IOS = platforms.get("cisco_ios").read_only
ASA = platforms.get("cisco_asa").read_only
ROS = platforms.get("mikrotik_routeros").read_only


@pytest.mark.parametrize(
    "command",
    [
        "show running-config",
        "sh run",
        "show sip-ua register status",
        "show running-config | include sip",
        "sh run | i ^interface",
        "show ip nat translations | exclude tcp",
        "show running-config | section interface",
        "show logging | begin Oct",
        "show mac address-table | count Gi1",
    ],
)
def test_cisco_grammar_allows_show(command: str) -> None:
    assert IOS(command) is None
    assert ASA(command) is None


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("show clock\nreload", "more than one line"),
        ("show version\nwrite erase", "more than one line"),
        ("show clock\rreload", "more than one line"),
        ("show clock\x00", "control characters"),
        ("show clock\x1b[A", "control characters"),
        ("", "empty"),
        ("reload", "`reload` is not `show`"),
        ("write erase", "`write` is not `show`"),
        ("configure terminal", "`configure` is not `show`"),
        ("conf t", "`conf` is not `show`"),
        ("copy running-config tftp:", "`copy` is not `show`"),
        ("s run", "`s` is not `show`"),
        ("show", "without what to show"),
        ("show running-config | redirect flash:x.cfg", "output redirection (| redirect)"),
        ("show running-config | red flash:x.cfg", "output redirection (| redirect)"),
        ("show running-config |redirect flash:x", "output redirection (| redirect)"),
        ("show clock | append flash:x", "output redirection (| append)"),
        ("show clock | app flash:x", "output redirection (| append)"),
        ("show tech-support | tee flash:x", "output redirection (| tee)"),
        ("show tech-support | t flash:x", "output redirection (| tee)"),
        ("show running-config | copy flash:x", "output redirection (| copy)"),
        ("show running-config | c flash:x", "output redirection (| copy)"),
        ("show running-config | include x | redirect flash:y", "output redirection"),
        ("show running-config > flash:x", "output redirection (>)"),
        ("show running-config | format flash:spec", "output redirection (| format)"),
        ("show running-config | nonsense", "not a display filter"),
        ("show running-config |", "without a filter"),
    ],
)
def test_cisco_grammar_refuses(command: str, reason: str) -> None:
    assert reason in (IOS(command) or "")
    assert reason in (ASA(command) or "")


def test_asa_redirect_to_disk_is_refused() -> None:
    assert ASA("show running-config | redirect disk0:x") == "output redirection (| redirect)"


@pytest.mark.parametrize(
    "command",
    [
        "/export verbose",
        "/export",
        "/export compact show-sensitive",
        "/export hide-sensitive",
        "/system resource print",
        "/ip firewall filter print detail",
        "/ip/firewall/nat/print",  # v7 path syntax
        "/ip firewall export",
        '/ip address print where interface="ether1"',
        "/interface print without-paging",
    ],
)
def test_routeros_grammar_allows_print_and_export(command: str) -> None:
    assert ROS(command) is None


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("/user print\n/user add name=x group=full password=x", "more than one line"),
        ("/ip address print; /system reboot", "`;` chains a second command"),
        ("/ip address print;/system reboot", "`;` chains"),
        ("/export file=x", "`file=` writes a file"),
        ("/export file = x", "`file=` writes a file"),
        ("/ip address print file=x", "`file=` writes a file"),
        ("/system reboot", "only `/<menu> print` and `/export`"),
        ("/user add name=x group=full password=x", "only `/<menu> print` and `/export`"),
        ("/ip address pr", "only `/<menu> print` and `/export`"),
        ("/system script run print", "`run` acts"),
        ("/user add print", "`add` acts"),
        ("/ip address print where [/system reboot]", "scripting"),
        ("/ip address print where address=$x", "scripting"),
        (":execute {/system reboot}", "scripting"),
        ("/ip address print \\", "scripting"),
        ("/ip address print\r", "more than one line"),
        ("", "empty"),
        ("ip address print", "only `/<menu> print`"),
    ],
)
def test_routeros_grammar_refuses(command: str, reason: str) -> None:
    assert reason in (ROS(command) or "")


def test_phone_grammar_allows_only_declared_calls() -> None:
    from fleetaudit.platforms.phones.vendors import VENDORS

    poly = platforms.get("poly_phone").read_only
    declared = VENDORS["poly_phone"].calls[0].command
    assert poly(declared) is None
    assert "not one of the web calls" in (poly("POST /api/v1/mgmt/safeRestart") or "")
    assert poly(declared + "\nGET /x") == "more than one line"


@pytest.mark.parametrize("platform", ["cisco_ios", "cisco_asa", "mikrotik_routeros", "asterisk"])
def test_every_bad_command_of_the_issue_is_refused(platform: str) -> None:
    read_only = platforms.get(platform).read_only
    for command in BAD[platform]:
        assert read_only(command) is not None, command


# ---------------------------------------------------------------- the guard on the channel


def guard(platform: str = "cisco_ios") -> LineGuard:
    return LineGuard(platforms.get(platform), {**CREDENTIALS, "secret": SECRET})


def test_guard_passes_set_up_commands_and_the_enable_dialogue() -> None:
    line_guard = guard()
    for data in ["\n", "terminal width 511\n", "terminal length 0\n", "enable\n"]:
        line_guard.check(data)
    line_guard.check(SECRET + "\n")  # the answer to enable's Password: prompt
    line_guard.check("show running-config\n")
    line_guard.check("exit\n")


def test_guard_refuses_the_secret_outside_its_dialogue_without_quoting_it() -> None:
    with pytest.raises(NotReadOnly) as refused:
        guard().check(SECRET + "\n")
    assert SECRET not in str(refused.value)
    assert "<credential>" in str(refused.value)


@pytest.mark.parametrize(
    "data",
    [
        "configure terminal\n",
        "show clock\nreload\n",  # refused whole: not even `show clock` is written
        "show clock",  # no line end: a line is judged only whole
        "show running-config | redirect flash:x\r\n",
        "end\n",
    ],
)
def test_guard_refuses(data: str) -> None:
    with pytest.raises(NotReadOnly, match="^not read-only: "):
        guard().check(data)


def test_guard_routeros_uses_crlf_and_quit() -> None:
    line_guard = guard("mikrotik_routeros")
    line_guard.check("\r\n")
    line_guard.check("/export verbose\r\n")
    line_guard.check("quit\r\n")
    with pytest.raises(NotReadOnly, match="chains"):
        line_guard.check("/ip address print; /system reboot\r\n")


# ---------------------------------------------------------------- over the real lab


@pytest.fixture(scope="module")
def logged_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Lab, Path, Path]]:
    """The demo sites on ephemeral ports, logging what they receive to a file."""
    folder = tmp_path_factory.mktemp("read-only-lab")
    log = folder / "received.jsonl"
    with Lab(builtin_dir("inventory"), ephemeral_ports=True, log=log) as lab:
        yield lab, lab.write_inventory(folder / "inventory"), log


def audit(inventory: Path, site: str, out: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    code = main(
        [
            "run",
            "--site",
            site,
            "--inventory",
            str(inventory),
            "--format",
            "json",
            "--no-store",
            "--quiet",
            "--output",
            str(out),
            *extra,
        ]
    )
    return code, json.loads(out.read_text())


def read_only_line(entry: dict[str, Any]) -> bool:
    """Judged anew, not trusting the lab's own flag: a declared set-up line, a read-only
    command by its platform's grammar, or a password typed at a prompt."""
    platform = platforms.get(entry["platform"])
    if entry["line"] == "<password>":
        return True
    if entry["via"] == "http":
        return entry["line"] == "POST /cgi-bin/dologin" or not entry["violation"]
    return platform.refuses_line(entry["line"]) is None


def test_demo_sites_receive_only_read_only_lines(
    logged_lab: tuple[Lab, Path, Path], tmp_path: Path
) -> None:
    lab, inventory, log = logged_lab
    before = len(lab.received)
    for site in ("office1", "office2", "lab-faults"):
        audit(inventory, site, tmp_path / f"{site}.json")
    received = lab.received[before:]
    ssh = [e for e in received if e["via"] != "http"]
    devices = {e["device"] for e in ssh}
    assert {"office1-gw1", "office1-fw1", "office1-rtr1", "office1-sw1"} <= devices
    assert {"office2-gw1", "office2-fw1", "office2-rtr1", "office2-sw1"} <= devices
    assert {"faults-hang", "faults-drop"} <= devices
    assert {"office1-pbx", "office2-pbx", "faults-pbx-down"} <= devices  # issue 11
    assert {e["device"] for e in received if e["via"] == "http"} >= {"office1-phone1"}

    assert [e for e in received if e["violation"]] == []
    assert [e for e in received if not read_only_line(e)] == []
    assert [e["line"] for e in received if "configure" in e["line"].lower()] == []
    assert [e["line"] for e in ssh if re.match(r"\s*conf", e["line"], re.I)] == []
    asa = [e["line"] for e in ssh if e["platform"] == "cisco_asa"]
    assert "terminal pager 0" in asa and not [line for line in asa if "width" in line]
    assert asa.count("<password>") == asa.count("enable")  # the enable secret, masked

    on_disk = [json.loads(line) for line in log.read_text().splitlines()]
    assert on_disk == lab.received
    assert SECRET not in log.read_text() and "lab-admin" not in log.read_text()


def write_templates(folder: Path) -> Path:
    """User templates: each bad command of the issue, and a harmless ``show clock``."""
    for platform, commands in BAD.items():
        (folder / platform).mkdir(parents=True, exist_ok=True)
        for number, command in enumerate(commands):
            (folder / platform / f"bad{number}.ttp").write_text(
                "<input load=\"python\">\ncommands = ['''"
                + command.replace("\n", "\\n")
                + f"''']\nfacts = ['ttp:bad{number}']\n</input>\n"
                '<group name="x">\n{{ line | _line_ }}\n</group>\n'
            )
    (folder / "cisco_ios" / "show_clock.ttp").write_text(
        '<input load="python">\ncommands = ["show clock"]\nfacts = ["ttp:show_clock"]\n'
        '</input>\n<group name="clock">\n'
        "*{{ time }} {{ zone }} {{ weekday }} {{ month }} {{ day }} {{ year }}\n</group>\n"
    )
    return folder


CLOCK_CHECK = '''"""Clock zone, read from a user template's `show clock`."""
from fleetaudit.checkkit import Check, fail


def run(host, policy):
    yield fail("clock", f"zone {host['ttp:show_clock']['clock']['zone']}")


CHECK = Check(
    id="ZZZ002", slug="clock-zone", title="Clock zone", severity="low",
    facts=("ttp:show_clock",), platforms=("cisco_ios",), run=run,
    why="A user check.", fix={"cisco_ios": "clock timezone UTC 0"},
)
'''


def test_user_templates_cannot_make_devices_write(
    logged_lab: tuple[Lab, Path, Path], tmp_path: Path
) -> None:
    lab, inventory, _ = logged_lab
    for name in ("office1-gw1", "office1-sw1"):
        lab.set_output(name, "show clock", "*10:01:02.123 CET Sat Nov 21 2026\n")
    templates = write_templates(tmp_path / "templates")
    before = len(lab.received)
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "zzz002_clock_zone.py").write_text(CLOCK_CHECK)
    _, report = audit(
        inventory,
        "office1",
        tmp_path / "r.json",
        "--templates-dir",
        str(templates),
        "--checks-dir",
        str(tmp_path / "checks"),
    )
    received = lab.received[before:]

    hosts = {h["name"]: h for h in report["hosts"]}
    for name, host in hosts.items():
        for command in BAD.get(host["platform"], []):
            assert host["commands"][command] == "rejected", (name, command)
            assert f"{command}: rejected (not read-only: " in host["error"]
    ssh = [e["line"] for e in received if e["via"] != "http"]
    assert [line for line in ssh if NEVER_RECEIVED.search(line)] == []
    assert [e for e in received if e["violation"]] == []

    clock = [e["device"] for e in received if e["line"] == "show clock"]
    assert sorted(clock) == ["office1-gw1", "office1-sw1"]
    assert hosts["office1-gw1"]["commands"]["show clock"] == "ok"
    parsed = [(f["host"], f["message"]) for f in report["findings"] if f["check"] == "ZZZ002"]
    assert sorted(parsed) == [("office1-gw1", "zone CET"), ("office1-sw1", "zone CET")]


def test_guard_refuses_before_a_byte_reaches_the_device(logged_lab: tuple[Lab, Path, Path]) -> None:
    lab, _, _ = logged_lab
    before = len(lab.received)
    with connect(
        platforms.get("cisco_ios"),
        "cisco_ios",
        host="127.0.0.1",
        port=lab.port("office1-sw1"),
        **CREDENTIALS,
    ) as conn:
        for command in ["show clock\nreload", "configure terminal", *BAD["cisco_ios"]]:
            with pytest.raises(NotReadOnly):
                conn.send_command(command)
        with pytest.raises(NotReadOnly):
            conn.config_mode()
        assert conn.send_command("show version").startswith("Cisco IOS")
    lines = [e["line"] for e in lab.received[before:] if e["device"] == "office1-sw1"]
    assert "show version" in lines
    assert [line for line in lines if NEVER_RECEIVED.search(line)] == []


def test_napalm_writes_through_the_guard(logged_lab: tuple[Lab, Path, Path]) -> None:
    from napalm import get_network_driver

    from fleetaudit.channel_guard import guard_napalm

    lab, _, _ = logged_lab
    before = len(lab.received)
    driver = guard_napalm(
        get_network_driver("ios")(
            "127.0.0.1",
            "admin",
            "lab-admin",
            optional_args={"port": lab.port("office1-gw1"), "secret": SECRET},
        ),
        platforms.get("cisco_ios"),
    )
    driver.open()
    try:
        assert type(driver.device).__name__.startswith("ReadOnly")
        assert driver.get_facts()["hostname"] == "office1-gw1"
        with pytest.raises(NotReadOnly, match="output redirection"):
            driver.cli(["show running-config | redirect flash:x.cfg"])
    finally:
        driver.close()
    lines = [e["line"] for e in lab.received[before:] if e["device"] == "office1-gw1"]
    assert "show version" in lines and "<password>" in lines
    assert [line for line in lines if NEVER_RECEIVED.search(line)] == []


def test_asa_that_would_enter_config_mode_is_stopped_at_set_up(
    logged_lab: tuple[Lab, Path, Path],
) -> None:
    lab, _, _ = logged_lab
    before = len(lab.received)
    with pytest.raises(NotReadOnly, match="`configure` is not `show`"):
        connect(
            platforms.get("cisco_asa"),
            "cisco_asa",
            host="127.0.0.1",
            port=lab.port("office1-fw1"),
            secret=SECRET,
            allow_auto_change=True,  # netmiko's default: configure terminal, terminal width
            **CREDENTIALS,
        )
    lines = [e["line"] for e in lab.received[before:] if e["device"] == "office1-fw1"]
    assert "terminal pager 0" in lines
    assert [line for line in lines if "conf" in line or "width" in line] == []


def test_lab_answers_violations_as_a_read_only_user_is_answered(
    logged_lab: tuple[Lab, Path, Path],
) -> None:
    lab, _, _ = logged_lab
    before = len(lab.received)

    def unguarded(name: str, device_type: str, **extra: Any) -> Any:
        return ConnectHandler(
            device_type=device_type,
            host="127.0.0.1",
            port=lab.port(name),
            **CREDENTIALS,
            **extra,
        )

    with unguarded("office1-gw1", "cisco_ios") as ios:  # privilege 1
        refused = ios.send_command("configure terminal")
        assert refused.splitlines()[1] == "% Invalid input detected at '^' marker."
        assert refused.splitlines()[0] == " " * len("office1-gw1>") + "^"
        redirect = ios.send_command("show running-config | redirect flash:x.cfg")
        column = len("office1-gw1>show running-config | ")
        assert redirect.splitlines()[0] == " " * column + "^"
    with unguarded("office1-fw1", "cisco_asa", secret=SECRET) as asa:
        refused = asa.send_command("configure terminal")
        assert refused.splitlines()[1] == "ERROR: % Invalid input detected at '^' marker."
        assert "P_PRIV" in asa.send_command("show curpriv")
    with unguarded("office1-rtr1", "mikrotik_routeros") as ros:
        assert ros.send_command("/system reboot") == "not enough permissions (9)"
        assert ros.send_command("/export file=x") == "not enough permissions (9)"

    violations = [(e["device"], e["line"]) for e in lab.received[before:] if e["violation"]]
    assert violations == [
        ("office1-gw1", "configure terminal"),
        ("office1-gw1", "show running-config | redirect flash:x.cfg"),
        # unguarded netmiko's own ASA set-up (allow_auto_change=True, its default) tries
        # `configure terminal` for `terminal width 511`: issue 8's defect, seen by the lab
        ("office1-fw1", "configure terminal"),
        ("office1-fw1", "configure terminal"),
        ("office1-rtr1", "/system reboot"),
        ("office1-rtr1", "/export file=x"),
    ]
    reasons = [e["reason"] for e in lab.received[before:] if e["violation"]]
    assert reasons[1] == "output redirection (| redirect)"


# ---------------------------------------------------------------- `lab serve --log FILE`

SHIFT = 14000  # unique to this test, below the ephemeral range (32768+) where test labs listen


def test_lab_serve_log_file(tmp_path: Path) -> None:
    """The acceptance run: every demo site served with ``--log``, office1, office2 and
    lab-faults audited by the CLI, then one violation of our own to see it logged."""
    inventory = shifted_inventory(tmp_path, SHIFT)
    log = tmp_path / "received.jsonl"
    with lab_serve("--inventory", str(inventory), "--log", str(log)) as lab:
        audits = {site: run_json(inventory, site) for site in ("office1", "office2", "lab-faults")}
        with ConnectHandler(
            device_type="cisco_ios", host="127.0.0.1", port=10014 + SHIFT, **CREDENTIALS
        ) as conn:
            conn.send_command("configure terminal")
    err = lab.stderr
    assert lab.returncode == 0, err
    assert audits["office1"].returncode == 1, audits["office1"].stderr
    assert audits["office2"].returncode == 0, audits["office2"].stderr
    office2 = json.loads(audits["office2"].stdout)
    assert all(h["status"] == "ok" for h in office2["hosts"])

    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert all({"device", "platform", "line", "time", "violation"} <= set(e) for e in entries)
    devices = {e["device"] for e in entries}
    for site in ("office1", "office2"):
        assert {f"{site}-{d}" for d in ("gw1", "fw1", "rtr1", "sw1", "phone1", "phone4")} <= devices
    assert {"faults-hang", "faults-drop"} <= devices
    assert {"office1-pbx", "office2-pbx", "faults-pbx-down"} <= devices  # issue 11
    assert "faults-badpass" not in devices  # refused at login: nothing typed
    violations = [(e["device"], e["line"]) for e in entries if e["violation"]]
    assert violations == [("office2-sw1", "configure terminal")]  # ours, not the audits'
    assert [e for e in entries if not read_only_line(e) and not e["violation"]] == []
    assert [e["line"] for e in entries if "configure" in e["line"]] == ["configure terminal"]
    assert SECRET not in log.read_text()


def test_lab_serve_log_in_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run(
        fleetaudit("lab", "serve", "--site", "office2", "--log", str(tmp_path / "no" / "x")),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--log" in done.stderr and "Traceback" not in done.stderr
