"""Exec-channel collection (issue 12) over the real SSH lab: Asterisk and RouterOS hosts give
the evidence the interactive netmiko path gives, byte for byte, one exec request per
command and nothing else; a command outside the grammar never opens a channel; every
fault mode is the host status it is on the netmiko path."""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import asyncssh
import pytest
import yaml

from fleetaudit import platforms
from fleetaudit.channel_guard import NotReadOnly
from fleetaudit.collect import collect
from fleetaudit.evidence import HostCollection
from fleetaudit.exec_session import open_read_only_channel
from fleetaudit.hostkeys import HostKeySettings
from fleetaudit.inventory import load_nornir, select
from fleetaudit.lab import Lab
from fleetaudit.paths import builtin_dir

EXEC_PLATFORMS = ("asterisk", "mikrotik_routeros")
OFF = HostKeySettings(policy="off")


def collected(inventory: Path, site: str, names: set[str]) -> dict[str, HostCollection]:
    nornir = select(load_nornir(inventory, 10), site)
    nornir = nornir.filter(filter_func=lambda host: host.name in names)
    hosts = nornir.inventory.hosts
    return {c.name: c for c in collect(nornir, host_keys=dict.fromkeys(hosts, OFF))}


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Lab, Path]]:
    folder = tmp_path_factory.mktemp("exec-lab")
    with Lab(builtin_dir("inventory"), ephemeral_ports=True) as running:
        yield running, running.write_inventory(folder / "inventory")


def test_the_platforms_declare_exec_channels() -> None:
    assert platforms.get("asterisk").exec_channels is not None
    assert platforms.get("mikrotik_routeros").exec_channels is not None
    assert platforms.get("asterisk").exec_channels.at_once < 10  # OpenSSH MaxSessions
    for name in ("cisco_ios", "cisco_asa"):  # interactive sessions stay with netmiko
        assert platforms.get(name).exec_channels is None


@pytest.mark.parametrize(
    ("site", "names"),
    [
        ("office1", {"office1-pbx", "office1-rtr1"}),
        ("office2", {"office2-pbx", "office2-rtr1"}),
        ("lab-faults", {"faults-pbx-down", "faults-drop"}),
    ],
)
def test_exec_evidence_is_the_interactive_evidence(
    lab: tuple[Lab, Path], monkeypatch: pytest.MonkeyPatch, site: str, names: set[str]
) -> None:
    running, inventory = lab
    before = len(running.received)
    over_exec = collected(inventory, site, names)
    received = [e for e in running.received[before:] if e["device"] in names]
    with monkeypatch.context() as patched:
        for name in EXEC_PLATFORMS:
            declared = platforms.registry()[name]
            patched.setitem(platforms.registry(), name, replace(declared, exec_channels=None))
        interactive = collected(inventory, site, names)
    for name in names:
        got, want = over_exec[name], interactive[name]
        assert (got.status, got.error) == (want.status, want.error), name
        assert list(got.evidence) == list(want.evidence), name
        for command, evidence in want.evidence.items():
            mine = got.evidence[command]
            assert (mine.status, mine.error) == (evidence.status, evidence.error), command
            assert mine.output == evidence.output, (name, command)
        # one exec request per command run, and nothing typed in a shell
        mine_received = [e for e in received if e["device"] == name]
        assert {e["via"] for e in mine_received} == {"exec"}, name
        assert sorted(e["line"] for e in mine_received) == sorted(got.evidence), name


def test_a_command_outside_the_grammar_never_opens_a_channel(lab: tuple[Lab, Path]) -> None:
    running, _ = lab
    bad = {
        "office1-pbx": ['asterisk -rx "core restart now"', "cat /etc/shadow", "reboot"],
        "office1-rtr1": ["/system reboot", "/export file=x", "/ip address print; /quit"],
    }

    async def attempt(name: str, commands: list[str]) -> list[str]:
        platform = platforms.get("asterisk" if name.endswith("pbx") else "mikrotik_routeros")
        refused = []
        async with asyncssh.connect(
            "127.0.0.1",
            running.port(name),
            username="admin",
            password="lab-admin",
            known_hosts=None,
            client_keys=None,
            agent_path=None,
            config=[],
        ) as conn:
            for command in commands:
                with pytest.raises(NotReadOnly) as caught:
                    await open_read_only_channel(conn, platform, command)
                refused.append(caught.value.line)
        return refused

    before = len(running.received)
    for name, commands in bad.items():
        assert asyncio.run(attempt(name, commands)) == commands
    assert [e for e in running.received[before:] if e["device"] in bad] == []


FAULT_HOSTS = {
    # name: (platform, fixtures, data.lab)
    "x-pbx-badpass": ("asterisk", "office1-pbx", {"fault": "wrong_password"}),
    "x-pbx-nobanner": ("asterisk", "office1-pbx", {"fault": "no_banner"}),
    "x-pbx-hang": (
        "asterisk",
        "office1-pbx",
        {"fault": "hang", "command": 'asterisk -rx "pjsip show endpoints"'},
    ),
    "x-pbx-drop": (
        "asterisk",
        "office1-pbx",
        {"fault": "drop", "command": "cat /etc/asterisk/pjsip.conf"},
    ),
    "x-pbx-closed": ("asterisk", "office1-pbx", {"fault": "closed"}),
    "x-rtr-hang": (
        "mikrotik_routeros",
        "office1-rtr1",
        {"fault": "hang", "command": "/export verbose"},
    ),
    "x-rtr-badpass": ("mikrotik_routeros", "office1-rtr1", {"fault": "wrong_password"}),
}


@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Exec platforms playing each fault, on ephemeral ports, with short timeouts."""
    folder = tmp_path_factory.mktemp("exec-faults")
    source = folder / "source"
    source.mkdir()
    for name in ("groups.yaml", "defaults.yaml"):
        shutil.copy(builtin_dir("inventory") / name, source / name)
    (source / "lab").symlink_to(builtin_dir("inventory") / "lab")
    hosts = {
        name: {
            "hostname": "127.0.0.1",
            "port": 30000,
            "platform": platform,
            "groups": ["site_lab-faults"],
            "data": {
                "role": "pbx" if platform == "asterisk" else "router",
                "lab": {"fixtures": fixtures, **lab},
                "timeouts": {"connect": 2, "command": 2},
            },
        }
        for name, (platform, fixtures, lab) in FAULT_HOSTS.items()
    }
    (source / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    with Lab(source, ephemeral_ports=True) as running:
        yield running.write_inventory(folder / "inventory")


def test_fault_modes_are_host_statuses(faults: Path) -> None:
    found = collected(faults, "lab-faults", set(FAULT_HOSTS))
    status = {name: (c.status, c.error or "") for name, c in found.items()}

    for name in ("x-pbx-badpass", "x-rtr-badpass"):
        assert status[name][0] == "auth_failed"
        assert status[name][1].endswith(": authentication failed: check the username/password")
    assert status["x-pbx-nobanner"][0] == "timeout"
    assert status["x-pbx-nobanner"][1].endswith("no SSH answer in time: the SSH banner never came")
    assert status["x-pbx-closed"][0] == "unreachable"
    assert "connection refused or no route" in status["x-pbx-closed"][1]

    # a hung command times out; the channels already open on the connection keep their
    # answers, none is opened after it
    hang = found["x-pbx-hang"]
    assert hang.status == "partial"
    endpoints = hang.evidence['asterisk -rx "pjsip show endpoints"']
    assert endpoints.status == "timeout" and endpoints.output == ""
    assert 'asterisk -rx "pjsip show endpoints": timeout (no end of output after 2 s)' in (
        hang.error or ""
    )
    kept = [e for e in hang.evidence.values() if e.status == "ok"]
    assert len(kept) >= 1 and all(e.output for e in kept if "custom" not in e.command)

    # a dropped connection: the command cut off is an error, the host partial, nothing
    # of the cut output kept as if whole
    drop = found["x-pbx-drop"]
    assert drop.status == "partial"
    cut = drop.evidence["cat /etc/asterisk/pjsip.conf"]
    assert (cut.status, cut.output) == ("error", "")
    assert cut.error == "session lost: the device closed the connection mid-output"

    # RouterOS runs one channel at a time: after the hang, nothing else is run
    router = found["x-rtr-hang"]
    assert router.status == "partial"
    assert (router.error or "").startswith(
        "/export verbose: timeout (no end of output after 2 s); /system resource print: not run;"
    )


def test_asyncssh_still_logs_what_its_logger_is_set_to_log(
    lab: tuple[Lab, Path], caplog: pytest.LogCaptureFixture
) -> None:
    # the collector asks asyncssh's level before asyncssh formats a line: a user who sets
    # the asyncssh logger to DEBUG gets its debug lines as before, and its INFO ones
    _, inventory = lab
    with caplog.at_level(logging.DEBUG, logger="asyncssh"):
        found = collected(inventory, "office1", {"office1-rtr1"})
    assert found["office1-rtr1"].status == "ok"
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("asyncssh")]
    assert any("Set write buffer limits" in line for line in logged)  # debug1
    assert any("Auth for user" in line for line in logged)  # info
