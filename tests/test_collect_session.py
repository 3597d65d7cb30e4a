"""The collector's interactive SSH sessions (cisco_ios, cisco_asa) against the real lab:
how a connection failure is told, and which lines a session sends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import paramiko
import pytest

from fleetaudit import platforms
from fleetaudit.channel_guard import NO_BANNER, connect
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
    from fleetaudit.channel_guard import _Client

    client = _Client()
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
