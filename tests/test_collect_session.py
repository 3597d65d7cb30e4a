"""The collector's interactive SSH sessions (cisco_ios, cisco_asa) against the real lab:
how a connection failure is told, and which lines a session sends."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paramiko
import pytest

from fleetaudit import platforms
from fleetaudit.channel_guard import AEAD_CIPHERS, NO_BANNER, AeadFirstTransport, connect
from fleetaudit.cli import main
from fleetaudit.collect import _connection_failure
from fleetaudit.lab import Lab
from fleetaudit.paths import builtin_dir

CREDENTIALS = {"username": "admin", "password": "lab-admin"}
NO_BANNER_STATUS = ("timeout", "no SSH answer in time: the SSH banner never came")


@pytest.fixture(scope="module")
def faults_lab() -> Iterator[Lab]:
    with Lab(builtin_dir("inventory"), site="lab-faults", ephemeral_ports=True) as lab:
        yield lab


def failure(lab: Lab, **timeouts: float) -> tuple[str, str]:
    """How the collector tells a session to faults-nobanner that ends with ``timeouts``."""
    with pytest.raises(Exception) as caught:
        connect(
            platforms.get("cisco_ios"),
            "cisco_ios",
            host="127.0.0.1",
            port=lab.port("faults-nobanner"),
            **CREDENTIALS,
            **timeouts,
        )
    status, why = _connection_failure(caught.value, "127.0.0.1:22")
    return status, why.removeprefix("127.0.0.1:22: ")


@pytest.mark.parametrize(
    "timeouts",
    [
        # the negotiation's deadline first: paramiko says "No existing session"
        {"conn_timeout": 0.5, "banner_timeout": 5, "auth_timeout": 5},
        # the banner's deadline first: paramiko says "Error reading SSH protocol banner"
        {"conn_timeout": 5, "banner_timeout": 0.5, "auth_timeout": 5},
        # equal deadlines (as the collector sets them): either clock may fire first
        {"conn_timeout": 0.5, "banner_timeout": 0.5, "auth_timeout": 0.5},
    ],
)
def test_no_banner_is_one_status_and_one_message(faults_lab: Lab, timeouts: Any) -> None:
    assert failure(faults_lab, **timeouts) == NO_BANNER_STATUS


def test_no_banner_is_told_by_the_client_whichever_deadline_fires(faults_lab: Lab) -> None:
    from fleetaudit.channel_guard import BannerAwareClient

    client = BannerAwareClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    try:
        with pytest.raises(paramiko.SSHException, match=NO_BANNER):
            client.connect(
                "127.0.0.1",
                port=faults_lab.port("faults-nobanner"),
                timeout=0.3,
                banner_timeout=5,
                **CREDENTIALS,
            )
    finally:
        client.close()


# ------------------------------------------------------------ the lines a session sends


def audited_lines(tmp_path: Path) -> dict[str, list[str]]:
    """Every line office1's Cisco devices receive from one audit, per device, in order."""
    with Lab(builtin_dir("inventory"), site="office1", ephemeral_ports=True) as lab:
        inventory = lab.write_inventory(tmp_path / "inventory")
        argv = ["run", "--site", "office1", "--inventory", str(inventory), "--no-store"]
        main([*argv, "--format", "json", "--quiet", "--output", str(tmp_path / "r.json")])
        lines: dict[str, list[str]] = {}
        for entry in lab.received:
            if entry["platform"] in ("cisco_ios", "cisco_asa"):
                lines.setdefault(entry["device"], []).append(entry["line"])
        return lines


def test_cisco_sessions_send_no_probe_nor_repeated_set_up(tmp_path: Path) -> None:
    lines = audited_lines(tmp_path)
    reads = {d: [line for line in sent if line.startswith("show ")] for d, sent in lines.items()}
    # a gateway logs in at `>`: enable and its secret; no `terminal width` (the pty is
    # 511 wide), no prompt probe (an empty line) before or after enable
    assert lines["office1-gw1"] == [
        "terminal length 0",
        "enable",
        "<password>",
        *reads["office1-gw1"],
        "exit",
    ]
    # a switch logs in at `#`: no enable at all
    assert lines["office1-sw1"] == ["terminal length 0", *reads["office1-sw1"], "exit"]
    # an ASA: one RETURN for its prompt, no `show curpriv`, pager off without config mode
    assert lines["office1-fw1"] == [
        "",
        "enable",
        "<password>",
        "terminal pager 0",
        *reads["office1-fw1"],
        "exit",
    ]
    assert len(reads["office1-gw1"]) == 7 and len(reads["office1-sw1"]) == 5
    assert reads["office1-fw1"] == ["show running-config", "show version"]


# ------------------------------------------------------------------------- the cipher


def test_sessions_offer_paramikos_ciphers_aes_gcm_first() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        offered = AeadFirstTransport(ours).preferred_ciphers
        paramikos = paramiko.Transport(theirs).preferred_ciphers
    assert offered[: len(AEAD_CIPHERS)] == AEAD_CIPHERS
    # the same ciphers as paramiko's (none added, none dropped): a device without GCM
    # negotiates what it did before
    assert sorted(offered) == sorted(paramikos)


def test_a_session_to_the_lab_runs_over_aes_gcm() -> None:
    with Lab(builtin_dir("inventory"), site="office1", ephemeral_ports=True) as lab:
        session = connect(
            platforms.get("cisco_ios"),
            "cisco_ios",
            host="127.0.0.1",
            port=lab.port("office1-sw1"),
            **CREDENTIALS,
        )
        try:
            transport = session.remote_conn.get_transport()
            assert transport.local_cipher == transport.remote_cipher == AEAD_CIPHERS[0]
        finally:
            session.disconnect()
