"""SSH host keys over the real SSH lab: learned on first contact (OpenSSH known_hosts),
trusted afterwards, refused before any credential when they change (netmiko and napalm
alike), `strict` and `off`, per-host inventory overrides; the lab keeps its keys."""

from __future__ import annotations

import base64
import json
import os
import re
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import paramiko
import pytest
import yaml

from fleetaudit import platforms
from fleetaudit.audit import Options, audit_live
from fleetaudit.cli import main
from fleetaudit.hostkeys import KnownHosts, parse_line
from fleetaudit.lab import Lab
from fleetaudit.lab.keys import HostKeyFolder
from fleetaudit.model import Report
from fleetaudit.paths import builtin_dir
from tests.labserve import Served, lab_serve, run_json, shifted_inventory

SITE = "office1"
SSH_HOSTS = {"office1-gw1", "office1-fw1", "office1-rtr1", "office1-sw1", "office1-pbx"}
PHONES = {"office1-phone1", "office1-phone2", "office1-phone3", "office1-phone4"}
FINGERPRINT = re.compile(r"SHA256:[A-Za-z0-9+/]{43}")


@pytest.fixture
def inventory(tmp_path: Path) -> Iterator[tuple[Lab, Path]]:
    """office1 on ephemeral ports with its own host keys, and an inventory for it that a
    second lab can serve again (same ports, the fixtures linked in)."""
    with Lab(
        builtin_dir("inventory"), site=SITE, ephemeral_ports=True, host_keys=tmp_path / "keys-a"
    ) as lab:
        written = lab.write_inventory(tmp_path / "inventory")
        (written / "lab").symlink_to(builtin_dir("inventory") / "lab")
        yield lab, written


def audit(inventory: Path, **options: Any) -> Report:
    report, _ = audit_live(inventory, SITE, None, Options(only_checks=("ALG001",), **options))
    return report


def statuses(report: Report) -> dict[str, str]:
    return {h.name: h.status for h in report.hosts}


def public(lab: Lab | HostKeyFolder, name: str) -> paramiko.PKey:
    """A device's public host key as paramiko sees it."""
    folder = lab.host_keys if isinstance(lab, Lab) else lab
    keytype, blob = folder.key(name).export_public_key("openssh").decode().split()[:2]
    return paramiko.PKey.from_type_string(keytype, base64.b64decode(blob))


def test_first_audit_learns_every_key_and_the_second_trusts_them(
    inventory: tuple[Lab, Path], fleetaudit_home: Path
) -> None:
    lab, written = inventory
    assert set(statuses(audit(written)).values()) == {"ok"}
    known_hosts = fleetaudit_home / "known_hosts"
    lines = known_hosts.read_text().splitlines()
    assert len(lines) == len(SSH_HOSTS)  # phones are not SSH
    assert all(re.fullmatch(r"\[127\.0\.0\.1\]:\d+ ssh-ed25519 [A-Za-z0-9+/=]+", x) for x in lines)
    stored = paramiko.HostKeys(str(known_hosts))  # OpenSSH format, as paramiko reads it
    for name in SSH_HOSTS:
        assert stored.lookup(f"[127.0.0.1]:{lab.port(name)}")["ssh-ed25519"] == public(lab, name)
    assert len({public(lab, n).fingerprint for n in SSH_HOSTS}) == len(
        SSH_HOSTS
    )  # one key per device

    again = audit(written)
    assert set(statuses(again).values()) == {"ok"}
    assert not any((h.error or "").startswith("warning: the SSH") for h in again.hosts)
    assert known_hosts.read_text().splitlines() == lines  # nothing learned twice


def test_a_lab_restarted_with_fresh_keys_is_refused_before_any_credential(
    inventory: tuple[Lab, Path], fleetaudit_home: Path, tmp_path: Path
) -> None:
    lab, written = inventory
    audit(written)
    expected = {n: public(lab, n).fingerprint for n in SSH_HOSTS}
    ports = {n: lab.port(n) for n in SSH_HOSTS}
    lab.stop()
    with Lab(written, site=SITE, host_keys=tmp_path / "keys-b") as impostor:
        report = audit(written)
        traffic = {n: impostor.traffic(n) for n in SSH_HOSTS}
        offered = {n: public(impostor, n).fingerprint for n in SSH_HOSTS}
    found = statuses(report)
    assert {n: found[n] for n in SSH_HOSTS} == dict.fromkeys(SSH_HOSTS, "host_key_mismatch")
    assert {n: found[n] for n in PHONES} == dict.fromkeys(PHONES, "ok")  # HTTP: no SSH keys
    known_hosts = fleetaudit_home / "known_hosts"
    for host in report.hosts:
        if host.name in SSH_HOSTS:
            error = host.error or ""
            assert offered[host.name] in error and expected[host.name] in error, error
            assert f"[127.0.0.1]:{ports[host.name]}" in error
            assert re.search(rf"{re.escape(str(known_hosts))}:\d", error), error
            assert "no credentials were sent" in error
    # every session reached the server (so the check happened there) and none of them
    # asked to authenticate: no user name, no password, no keyboard-interactive answer
    assert all(t.connections >= 1 for t in traffic.values()), traffic
    assert all(t.auth_requests == 0 and t.passwords == 0 for t in traffic.values()), traffic
    # the IOS hosts (napalm's ios platform, opened as its driver would: no getter to run)
    # went through the same checks as the others
    assert platforms.get("cisco_ios").napalm_driver == "ios"
    assert {"office1-gw1", "office1-sw1"} <= {
        h.name for h in report.hosts if h.platform == "cisco_ios"
    }
    # the file is evidence, not something an impostor gets to rewrite
    assert len(known_hosts.read_text().splitlines()) == len(SSH_HOSTS)


def test_the_lab_keeps_its_keys_in_fleetaudit_home_across_restarts(
    fleetaudit_home: Path, tmp_path: Path
) -> None:
    with Lab(builtin_dir("inventory"), site=SITE, ephemeral_ports=True) as lab:
        written = lab.write_inventory(tmp_path / "inventory")
        (written / "lab").symlink_to(builtin_dir("inventory") / "lab")
        assert set(statuses(audit(written)).values()) == {"ok"}
        first = {n: public(lab, n) for n in SSH_HOSTS}
    folder = fleetaudit_home / "lab" / "host_keys"
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert {f"{n}.key" for n in SSH_HOSTS} <= set(files)
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in folder.iterdir())
    with Lab(written, site=SITE) as again:  # the default folder again: the same network
        assert {n: public(again, n) for n in SSH_HOSTS} == first
        assert set(statuses(audit(written)).values()) == {"ok"}
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files  # reused, not remade


def test_strict_refuses_unknown_keys_and_sends_nothing(
    inventory: tuple[Lab, Path], tmp_path: Path
) -> None:
    lab, written = inventory
    empty = tmp_path / "empty_known_hosts"
    empty.write_text("")
    report = audit(written, host_key_policy="strict", known_hosts=empty)
    for host in report.hosts:
        if host.name in SSH_HOSTS:
            assert host.status == "host_key_mismatch"
            assert "unknown host key" in (host.error or "")
            assert public(lab, host.name).fingerprint in (host.error or "")
            assert f"ssh-keyscan -p {lab.port(host.name)} 127.0.0.1" in (host.error or "")
    assert all(lab.traffic(n).auth_requests == 0 for n in SSH_HOSTS)
    assert empty.read_text() == ""  # strict never learns


def test_off_audits_without_checking_and_says_so(
    inventory: tuple[Lab, Path], fleetaudit_home: Path, tmp_path: Path
) -> None:
    lab, written = inventory
    wrong = tmp_path / "wrong_known_hosts"
    other = public(HostKeyFolder(tmp_path / "other"), "office1-gw1")
    wrong.write_text(f"[127.0.0.1]:{lab.port('office1-gw1')} ssh-ed25519 {other.get_base64()}\n")
    report = audit(written, host_key_policy="off", known_hosts=wrong)
    assert set(statuses(report).values()) == {"ok"}
    for host in report.hosts:
        if host.name in SSH_HOSTS:
            assert "SSH host key was not verified (host key policy off)" in (host.error or "")
    assert not (fleetaudit_home / "known_hosts").exists()


def test_per_host_policy_and_file_in_inventory_data(
    inventory: tuple[Lab, Path], fleetaudit_home: Path
) -> None:
    lab, written = inventory
    hosts = yaml.safe_load((written / "hosts.yaml").read_text())
    hosts["office1-gw1"]["data"]["host_key_policy"] = "strict"
    hosts["office1-fw1"]["data"]["known_hosts"] = "firewalls_known_hosts"  # inventory-relative
    (written / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    found = statuses(audit(written))
    assert found["office1-gw1"] == "host_key_mismatch"  # strict, and its key is unknown
    assert found["office1-fw1"] == found["office1-rtr1"] == found["office1-sw1"] == "ok"
    firewalls = (written / "firewalls_known_hosts").read_text()
    assert firewalls.startswith(f"[127.0.0.1]:{lab.port('office1-fw1')} ssh-ed25519 ")
    default = (fleetaudit_home / "known_hosts").read_text()
    assert (
        f":{lab.port('office1-rtr1')} " in default and f":{lab.port('office1-fw1')} " not in default
    )


def test_group_policy_applies_to_its_hosts(inventory: tuple[Lab, Path], tmp_path: Path) -> None:
    lab, written = inventory
    groups = yaml.safe_load((written / "groups.yaml").read_text())
    groups["site_office1"].setdefault("data", {})["host_key_policy"] = "strict"
    (written / "groups.yaml").write_text(yaml.safe_dump(groups))
    found = statuses(audit(written))
    assert {found[n] for n in SSH_HOSTS} == {"host_key_mismatch"}


@pytest.mark.parametrize(("key", "value"), [("host_key_policy", "ask"), ("known_hosts", 42)])
def test_a_bad_inventory_value_exits_2_naming_host_and_key(
    inventory: tuple[Lab, Path], capsys: pytest.CaptureFixture[str], key: str, value: Any
) -> None:
    lab, written = inventory
    hosts = yaml.safe_load((written / "hosts.yaml").read_text())
    hosts["office1-rtr1"]["data"][key] = value
    (written / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    code = main(["run", "--site", SITE, "--inventory", str(written), "--no-store", "-q"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "office1-rtr1" in err and f"data.{key}" in err and repr(value) in err, err
    assert "Traceback" not in err
    assert all(lab.traffic(n).connections == 0 for n in SSH_HOSTS)  # before any connection


def test_a_bad_flag_value_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["run", "--site", SITE, "--host-key-policy", "yes"])
    assert stop.value.code == 2
    assert "--host-key-policy" in capsys.readouterr().err


def test_cli_flags_reach_the_collector(
    inventory: tuple[Lab, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lab, written = inventory
    known_hosts = tmp_path / "deep" / "folder" / "known_hosts"  # made when absent
    args = ["run", "--site", SITE, "--inventory", str(written), "--no-store", "-q"]
    main([*args, "--known-hosts", str(known_hosts), "--format", "json"])
    assert len(known_hosts.read_text().splitlines()) == len(SSH_HOSTS)
    capsys.readouterr()
    main([*args, "--host-key-policy", "strict", "--format", "json"])  # default file: empty
    report = json.loads(capsys.readouterr().out)
    found = {h["name"]: h["status"] for h in report["hosts"]}
    assert {found[n] for n in SSH_HOSTS} == {"host_key_mismatch"}


def test_hashed_and_pattern_entries_are_understood(
    inventory: tuple[Lab, Path], tmp_path: Path
) -> None:
    lab, written = inventory
    known_hosts = tmp_path / "known_hosts"
    gw1 = f"[127.0.0.1]:{lab.port('office1-gw1')}"
    stranger = public(HostKeyFolder(tmp_path / "other"), "office1-sw1")
    known_hosts.write_text(
        "# a comment, then a hashed name, a pattern and a negated pattern\n"
        f"{paramiko.HostKeys.hash_host(gw1)} ssh-ed25519 {public(lab, 'office1-gw1').get_base64()}\n"
        f"[127.0.0.1]:*,!{gw1} ssh-ed25519 {stranger.get_base64()}"  # no final newline
    )
    found = statuses(audit(written, host_key_policy="strict", known_hosts=known_hosts))
    assert found["office1-gw1"] == "ok"  # its hashed entry matches
    assert found["office1-rtr1"] == "host_key_mismatch"  # the wildcard says: another key


# one host per way of collecting: netmiko's interactive session (paramiko), and asyncssh
# exec channels (RouterOS, Asterisk): each checks the host key with the same Guard
ONE_PER_TRANSPORT = ("office1-gw1", "office1-rtr1", "office1-pbx")


@pytest.mark.parametrize("name", ONE_PER_TRANSPORT)
@pytest.mark.parametrize("case", ["known", "changed", "revoked", "changed-strict"])
def test_each_transport_judges_host_keys_alike(
    inventory: tuple[Lab, Path], tmp_path: Path, name: str, case: str
) -> None:
    lab, written = inventory
    known_hosts = tmp_path / "known_hosts"
    entry = f"[127.0.0.1]:{lab.port(name)}"
    right = public(lab, name).get_base64()
    wrong = public(HostKeyFolder(tmp_path / "other"), name).get_base64()
    lines = {
        "known": [f"{entry} ssh-ed25519 {right}"],
        "changed": [f"{entry} ssh-ed25519 {wrong}"],
        "changed-strict": [f"{entry} ssh-ed25519 {wrong}"],
        "revoked": [f"@revoked {entry} ssh-ed25519 {right}"],
    }[case]
    known_hosts.write_text("\n".join(lines) + "\n")
    policy = "strict" if case in ("known", "changed-strict") else "accept-new"
    before = lab.traffic(name).auth_requests
    report = audit(written, host_key_policy=policy, known_hosts=known_hosts)
    host = next(h for h in report.hosts if h.name == name)
    if case == "known":
        assert host.status == "ok", host.error
        assert lab.traffic(name).auth_requests > before
        return
    assert host.status == "host_key_mismatch"
    error = host.error or ""
    expected = "REVOKED host key" if case == "revoked" else "HOST KEY MISMATCH"
    assert error.startswith(expected), error
    assert public(lab, name).fingerprint in error and "no credentials were sent" in error
    assert lab.traffic(name).auth_requests == before  # refused before authentication
    mine = [x for x in known_hosts.read_text().splitlines() if f"{entry} " in x]
    assert mine == lines  # nothing learned for it


def test_exec_hosts_were_collected_over_exec_channels(inventory: tuple[Lab, Path]) -> None:
    lab, written = inventory
    assert set(statuses(audit(written)).values()) == {"ok"}
    via = {(e["device"], e["via"]) for e in lab.received if e["device"] in SSH_HOSTS}
    assert {d for d, v in via if v == "exec"} == {"office1-rtr1", "office1-pbx"}
    assert {d for d, v in via if v == "shell"} == {"office1-gw1", "office1-fw1", "office1-sw1"}


def test_threads_and_processes_learning_at_once_keep_one_line_per_host(tmp_path: Path) -> None:
    path = tmp_path / "known_hosts"
    path.write_bytes(b"[10.0.0.1]:22 ssh-ed25519 AAAA")  # a user's file without final newline
    folder = HostKeyFolder(tmp_path / "keys")
    keys = [public(folder, f"worker{w}") for w in range(8)]
    files = [KnownHosts(path), KnownHosts(path)]  # two "processes" on one file
    results: list[tuple[bool, str]] = []

    def learn(worker: int) -> None:
        for i in range(50):
            known = files[worker % 2]
            learned, _ = known.learn(f"[10.1.0.{i}]:2222", keys[worker])
            results.append((learned, f"{worker}-{i}"))

    threads = [threading.Thread(target=learn, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = path.read_text().splitlines()
    assert lines[0] == "[10.0.0.1]:22 ssh-ed25519 AAAA"  # kept whole: we added the newline
    names = [line.split()[0] for line in lines[1:]]
    assert sorted(names) == sorted({f"[10.1.0.{i}]:2222" for i in range(50)})  # once each
    assert sum(learned for learned, _ in results) == 50
    assert all(parse_line(line, n) is not None for n, line in enumerate(lines, 1))


SHIFT = 17700  # lab serve on fixed ports 27701+: below the ephemeral range, unique to this test


def _serve(inventory: Path, keys: Path, log: Path | None = None) -> AbstractContextManager[Served]:
    return lab_serve(
        "--site",
        SITE,
        "--inventory",
        str(inventory),
        "--host-keys",
        str(keys),
        *(["--log", str(log)] if log else []),
    )


def test_lab_serve_host_keys_folder_as_the_acceptance_runs_it(tmp_path: Path) -> None:
    """Audit office1 (keys learned), restart `lab serve` with a fresh --host-keys folder,
    audit again with the default policy: every SSH host host_key_mismatch."""
    inventory = shifted_inventory(tmp_path, SHIFT)
    env = {**os.environ, "FLEETAUDIT_HOME": str(tmp_path / "home")}

    def audit_json(*extra: str) -> dict[str, str]:
        done = run_json(inventory, SITE, *extra, env=env)
        assert "Traceback" not in done.stderr
        statuses = {h["name"]: h["status"] for h in json.loads(done.stdout)["hosts"]}
        return {**statuses, "exit": "ok" if done.returncode in (0, 1) else str(done.returncode)}

    with _serve(inventory, tmp_path / "keys-1") as lab:
        first = audit_json()
    assert lab.returncode == 0
    assert set(first.values()) == {"ok"}
    assert len(list((tmp_path / "keys-1").glob("*.key"))) == len(SSH_HOSTS)
    with _serve(inventory, tmp_path / "keys-1") as lab:  # the same folder: reused, trusted
        assert set(audit_json().values()) == {"ok"}
    assert lab.returncode == 0
    log = tmp_path / "lab.log"
    with _serve(inventory, tmp_path / "keys-2", log) as lab:  # a fresh folder: new keys
        second = audit_json()
        # the SSH hosts' own checks: nothing fails, nothing was assessed -> 4
        ssh_only = audit_json("--check", "ALG001", "--check", "ARP001", "--check", "QOS001")
    assert lab.returncode == 0
    assert {n: second[n] for n in SSH_HOSTS} == dict.fromkeys(SSH_HOSTS, "host_key_mismatch")
    assert {n: second[n] for n in PHONES} == dict.fromkeys(PHONES, "ok")
    assert second["exit"] == "ok"  # 1: office1's phones, which were assessed, fail checks
    assert ssh_only["exit"] == "4"
    received = [json.loads(line) for line in log.read_text().splitlines()]
    assert received and {r["device"] for r in received} <= PHONES  # no SSH device got a line


def test_phones_are_asked_over_https_unless_the_inventory_says_http(
    inventory: tuple[Lab, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lab, written = inventory
    report = audit(written)
    for host in report.hosts:
        if host.name in PHONES:  # the demo phones say `scheme: http`: audited, and warned
            assert host.status == "ok"
            assert "warning: audited over plain HTTP (data.phone.scheme: http)" in (
                host.error or ""
            )
    code = main(["run", "--site", SITE, "--inventory", str(written), "--no-store", "-q"])
    assert code in (0, 1)
    assert "4 audited over plain HTTP" in capsys.readouterr().out  # the table report says so
    hosts = yaml.safe_load((written / "hosts.yaml").read_text())
    del hosts["office1-phone3"]["data"]["phone"]  # no scheme: https, which this phone lacks
    hosts["office1-phone3"]["data"]["timeouts"] = {"connect": 1, "command": 1}
    (written / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    phone3 = next(h for h in audit(written).hosts if h.name == "office1-phone3")
    # the lab's plain-http phone never completes a TLS handshake (a real web server
    # answers the ClientHello with an error: "TLS handshake failed"); never a silent http
    assert phone3.status in ("timeout", "unreachable"), phone3.error
    assert "plain HTTP" not in (phone3.error or "")


def test_https_to_a_plain_http_server_says_what_to_set() -> None:
    """A real web server answers a ClientHello with plain text: the TLS handshake fails,
    and the error says how to declare a plain-http phone (never a silent downgrade)."""
    import socket

    import httpx

    from fleetaudit.platforms.phones.collect import http_failure

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def answer() -> None:
        conn, _ = server.accept()
        with conn:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    with pytest.raises(httpx.ConnectError) as caught, httpx.Client(timeout=5) as client:
        client.get(f"https://127.0.0.1:{port}/")
    thread.join(5)
    server.close()
    _, status, error = http_failure(caught.value, 5)
    assert status == "unreachable"
    assert "TLS handshake failed" in error and "data.phone.scheme: http" in error


def test_a_known_hosts_path_that_cannot_be_a_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    args = ["run", "--site", SITE, "--inventory", str(builtin_dir("inventory")), "--no-store"]
    code = main([*args, "-q", "--known-hosts", str(folder)])  # fails before any connection
    err = capsys.readouterr().err
    assert code == 2 and "--known-hosts" in err and str(folder) in err and "not a file" in err
