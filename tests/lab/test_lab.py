"""The lab over real SSH: netmiko, napalm and paramiko against it, faults included."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import paramiko
import pytest
import yaml
from napalm import get_network_driver
from netmiko import ConnectHandler
from netmiko.exceptions import (
    NetmikoAuthenticationException,
    NetmikoTimeoutException,
    ReadTimeout,
)
from nornir.plugins.inventory.simple import SimpleInventory

from fleetaudit.lab import Lab, LabError
from fleetaudit.lab.server import free_port

from .conftest import (
    ASA_RUNNING,
    EXPORT_V6,
    EXPORT_V7,
    GW_RUNNING,
    SHOW_VERSION,
    SW_RUNNING,
    make_inventory,
)

CREDENTIALS = {"username": "admin", "password": "lab-admin"}
FAST = {"conn_timeout": 2, "banner_timeout": 2, "auth_timeout": 2}


def connect(lab: Lab, name: str, device_type: str, **extra: Any) -> Any:
    return ConnectHandler(
        device_type=device_type, host="127.0.0.1", port=lab.port(name), **CREDENTIALS, **extra
    )


def expected(text: str) -> str:
    """What netmiko returns for a fixture: the prompt stripped, so no final line end."""
    return text.rstrip("\n")


def test_ios_gateway_needs_enable(lab: Lab) -> None:
    with connect(lab, "office1-gw1", "cisco_ios", secret="lab-enable") as conn:
        assert conn.find_prompt() == "office1-gw1>"
        conn.enable()
        assert conn.find_prompt() == "office1-gw1#"
        assert conn.send_command("show running-config") == expected(GW_RUNNING)
        assert conn.send_command("show privilege") == "Current privilege level is 15"


def test_ios_user_exec_refuses_running_config(lab: Lab) -> None:
    with connect(lab, "office1-gw1", "cisco_ios") as conn:
        output = conn.send_command("show running-config")
    assert "% Invalid input detected at '^' marker." in output
    assert GW_RUNNING.splitlines()[0] not in output


def test_ios_wrong_enable_secret(lab: Lab) -> None:
    with (
        connect(lab, "office1-gw1", "cisco_ios", secret="wrong") as conn,
        pytest.raises(ValueError, match="enable mode"),
    ):
        conn.enable()


def test_ios_switch_is_privileged(lab: Lab) -> None:
    with connect(lab, "office1-sw1", "cisco_ios") as conn:
        assert conn.find_prompt() == "office1-sw1#"
        assert conn.send_command("show running-config") == expected(SW_RUNNING)
        assert conn.send_command("sh run") == expected(SW_RUNNING)


def test_ios_invalid_command_has_caret_under_token(lab: Lab) -> None:
    with connect(lab, "office1-sw1", "cisco_ios") as conn:
        output = conn.send_command("show sip-ua register status")
        incomplete = conn.send_command("show")
    caret, message = output.splitlines()[:2]
    assert caret == " " * len("office1-sw1#show sip-ua register ") + "^"
    assert message == "% Invalid input detected at '^' marker."
    assert incomplete.rstrip() == "% Incomplete command."


def test_ios_has_no_config_mode_for_auditors(lab: Lab) -> None:
    # this test once entered and left config mode: the lab accepted config lines and
    # forgot them (issue 8). An auditor's account is read-only, so the lab refuses them.
    with connect(lab, "office1-sw1", "cisco_ios") as conn:
        with pytest.raises(ValueError, match="configuration mode"):
            conn.config_mode()
        assert conn.find_prompt() == "office1-sw1#"
        refused = conn.send_command("configure terminal")
    assert refused.splitlines()[:2] == [
        " " * len("office1-sw1#") + "^",
        "% Invalid input detected at '^' marker.",
    ]
    received = [e for e in lab.received if e["device"] == "office1-sw1"]
    assert [e["violation"] for e in received if e["line"] == "configure terminal"] == [True] * 2


def test_asa_with_secret(lab: Lab) -> None:
    with connect(lab, "office1-fw1", "cisco_asa", secret="lab-enable") as conn:
        assert conn.find_prompt() == "office1-fw1#"
        assert conn.send_command("show running-config") == expected(ASA_RUNNING)
        assert "Current privilege level : 15" in conn.send_command("show curpriv")
        assert conn.send_command("show nonsense").splitlines()[1] == (
            "ERROR: % Invalid input detected at '^' marker."
        )


@pytest.mark.parametrize(
    ("name", "export", "error"),
    [
        ("office1-rtr1", EXPORT_V6, "bad command name foo (line 1 column 5)"),
        ("office2-rtr1", EXPORT_V7, "syntax error (line 1 column 5)"),
    ],
)
def test_routeros(lab: Lab, name: str, export: str, error: str) -> None:
    with connect(lab, name, "mikrotik_routeros") as conn:
        assert conn.find_prompt() == f"[admin@{name}] >"
        assert conn.send_command("/export verbose") == expected(export)
        assert conn.send_command("/ip foo print") == error
        assert conn.send_command("/system identity print") == f"name: {name}"


def test_napalm_ios_get_facts(lab: Lab) -> None:
    driver = get_network_driver("ios")
    device = driver(
        "127.0.0.1",
        "admin",
        "lab-admin",
        optional_args={"port": lab.port("office1-gw1"), "secret": "lab-enable"},
    )
    device.open()
    try:
        facts = device.get_facts()
    finally:
        device.close()
    assert facts["hostname"] == "office1-gw1"
    assert facts["model"] == "ISR4321/K9"
    assert facts["os_version"].startswith("ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M)")
    assert facts["serial_number"] == "FLM2041W0NX"
    assert facts["fqdn"] == "office1-gw1.voice.example.net"
    assert facts["interface_list"] == ["GigabitEthernet0/0/0", "GigabitEthernet0/0/1", "Loopback0"]


def _exec(lab: Lab, name: str, command: str, username: str = "admin") -> tuple[str, int]:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(
        "127.0.0.1",
        port=lab.port(name),
        username=username,
        password="lab-admin",
        look_for_keys=False,
        allow_agent=False,
        timeout=5,
    )
    try:
        _, stdout, _ = client.exec_command(command, timeout=5)
        return stdout.read().decode(), stdout.channel.recv_exit_status()
    finally:
        client.close()


def test_exec_request(lab: Lab) -> None:
    assert _exec(lab, "office1-gw1", "show version") == (SHOW_VERSION.replace("\n", "\r\n"), 0)
    output, status = _exec(lab, "office1-rtr1", "/export verbose", "admin+ct511w4098h")
    assert (output, status) == (EXPORT_V6.replace("\n", "\r\n"), 0)
    output, status = _exec(lab, "office1-gw1", "show nothing")
    assert "% Invalid input detected" in output and status == 1


def test_clones_serve_their_originals_fixtures(lab: Lab) -> None:
    with connect(lab, "bench-0004-sw1", "cisco_ios") as conn:
        assert conn.send_command("show running-config") == expected(SW_RUNNING)


def test_fault_wrong_password(lab: Lab) -> None:
    with pytest.raises(NetmikoAuthenticationException):
        connect(lab, "faults-badpass", "cisco_ios", **FAST)


def test_fault_no_banner(lab: Lab) -> None:
    with pytest.raises((NetmikoTimeoutException, paramiko.SSHException, EOFError)):
        connect(lab, "faults-nobanner", "cisco_ios", **FAST)


def test_fault_hang(lab: Lab) -> None:
    conn = connect(lab, "faults-hang", "cisco_asa", secret="lab-enable", **FAST)
    try:
        assert "Current privilege level : 15" in conn.send_command("show curpriv")
        with pytest.raises(ReadTimeout):
            conn.send_command("show running-config", read_timeout=2)
    finally:
        conn.remote_conn_pre.close()  # a polite disconnect would wait for the hung device


def test_fault_drop(lab: Lab) -> None:
    conn = connect(lab, "faults-drop", "mikrotik_routeros", **FAST)
    try:
        with pytest.raises((OSError, EOFError, ReadTimeout)):
            conn.send_command("/export verbose", read_timeout=2)
        assert not conn.remote_conn.get_transport().is_active()
    finally:
        conn.disconnect()


def test_fault_drop_exec_sends_half(lab: Lab) -> None:
    output, status = _exec(lab, "faults-drop", "/export verbose")
    assert 0 < len(output) < len(EXPORT_V6.replace("\n", "\r\n"))
    assert status != 0


def test_fault_closed(lab: Lab) -> None:
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", lab.port("faults-closed")), timeout=2)
    with pytest.raises(NetmikoTimeoutException):
        connect(lab, "faults-closed", "cisco_ios", **FAST)


def test_write_inventory_loads_in_nornir(lab: Lab, tmp_path: Path) -> None:
    dest = lab.write_inventory(tmp_path / "inv")
    hosts = (
        SimpleInventory(
            str(dest / "hosts.yaml"), str(dest / "groups.yaml"), str(dest / "defaults.yaml")
        )
        .load()
        .hosts
    )
    assert hosts["office1-gw1"].port == lab.port("office1-gw1")
    clone = hosts["bench-0001-gw1"]
    assert clone.port == lab.port("bench-0001-gw1")
    assert (clone.platform, clone.get("site"), clone.get("role")) == (
        "cisco_ios",
        "bench",
        "gateway",
    )
    assert clone.username == "admin" and clone.password == "lab-admin"
    assert (clone.get_connection_parameters("netmiko").extras or {})["secret"] == "lab-enable"
    assert [n for n in hosts if n.startswith("bench-")] == [
        f"bench-{i:04d}-{s}"
        for i, s in zip(range(1, 9), ["gw1", "fw1", "rtr1", "sw1"] * 2, strict=True)
    ]


def test_site_selects_hosts(inventory: Path) -> None:
    lab = Lab(inventory, site="office2", ephemeral_ports=True)
    assert [h.name for h in lab.hosts] == ["office2-rtr1"]


def test_port_taken_fails_clearly(tmp_path: Path) -> None:
    root = make_inventory(tmp_path / "inv")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        hosts = yaml.safe_load((root / "hosts.yaml").read_text())
        hosts["office2-rtr1"]["port"] = port
        (root / "hosts.yaml").write_text(yaml.safe_dump(hosts, sort_keys=False))
        with pytest.raises(LabError, match=rf"office2-rtr1: .*127\.0\.0\.1:{port}"):
            Lab(root, site="office2").start()


def test_keyboard_interactive_login(lab: Lab) -> None:
    with socket.create_connection(("127.0.0.1", lab.port("office1-sw1")), timeout=5) as sock:
        transport = paramiko.Transport(sock)
        try:
            transport.start_client(timeout=5)
            transport.auth_interactive("admin", lambda title, text, prompts: ["lab-admin"])
            assert transport.is_authenticated()
        finally:
            transport.close()


def test_serve_forever_announces_and_stops_on_sigterm(tmp_path: Path) -> None:
    root = make_inventory(tmp_path / "inv")
    hosts = yaml.safe_load((root / "hosts.yaml").read_text())
    for name in hosts:
        hosts[name]["port"] = free_port("127.0.0.1")
    (root / "hosts.yaml").write_text(yaml.safe_dump(hosts, sort_keys=False))
    code = (
        "import sys; from pathlib import Path; from fleetaudit.lab import serve_forever; "
        f"serve_forever(Path({str(root)!r}), 'office1', 0, lambda l: print(l, flush=True))"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline().rstrip("\n") for _ in range(4)]
        assert lines[0] == f"office1-gw1  cisco_ios  127.0.0.1:{hosts['office1-gw1']['port']}"
        assert [line.split()[0] for line in lines[1:]] == [
            "office1-fw1",
            "office1-rtr1",
            "office1-sw1",
        ]
        with ConnectHandler(
            device_type="mikrotik_routeros",
            host="127.0.0.1",
            port=hosts["office1-rtr1"]["port"],
            **CREDENTIALS,
        ) as conn:
            assert conn.send_command("/export verbose") == expected(EXPORT_V6)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        proc.kill()
        proc.wait()
