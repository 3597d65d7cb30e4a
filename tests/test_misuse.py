"""Every misuse in issue 8 exits 2 before any connection, naming the file and the key.

Each test audits a copy of the demo inventory whose hosts all point at a listening
socket (the tripwire): any SSH or HTTP session the run opened would wait in its accept
queue, so an empty queue proves nothing connected.
"""

from __future__ import annotations

import shutil
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from fleetaudit import store as store_module
from fleetaudit.cli import main
from fleetaudit.paths import builtin_dir


@pytest.fixture
def tripwire() -> Iterator[socket.socket]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield listener
    listener.close()


def connections(listener: socket.socket) -> int:
    listener.setblocking(False)
    count = 0
    while True:
        try:
            peer, _ = listener.accept()
        except BlockingIOError:
            return count
        peer.close()
        count += 1


@pytest.fixture
def inventory(tmp_path: Path, tripwire: socket.socket) -> Path:
    """The demo inventory with every host at the tripwire's address."""
    dest = tmp_path / "inv"
    shutil.copytree(builtin_dir("inventory"), dest, ignore=shutil.ignore_patterns("lab"))
    hosts = dest / "hosts.yaml"
    port = tripwire.getsockname()[1]
    lines = [
        f"  port: {port}" if line.startswith("  port: ") else line
        for line in hosts.read_text().splitlines()
    ]
    hosts.write_text("\n".join(lines) + "\n")
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def refused(
    capsys: pytest.CaptureFixture[str],
    tripwire: socket.socket,
    inventory: Path,
    *needles: str,
    extra: tuple[str, ...] = (),
) -> str:
    argv = ["run", "--site", "office1", "--inventory", str(inventory), "--quiet", *extra]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    for needle in needles:
        assert needle in err, err
    assert connections(tripwire) == 0, "a session was opened before the mistake was reported"
    return err


def test_the_tripwire_sees_a_real_run(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path
) -> None:
    """The control: without a mistake the run does connect (and finds nothing to audit)."""
    edit(inventory / "defaults.yaml", "connect: 5", "connect: 0.5")
    edit(inventory / "defaults.yaml", "command: 10", "command: 0.5")
    argv = ["run", "--site", "office1", "--inventory", str(inventory), "--quiet", "--no-store"]
    assert main([*argv, "--check", "ALG001", "--format", "json"]) == 4
    assert connections(tripwire) > 0


def test_timeouts_that_are_not_seconds(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path
) -> None:
    edit(inventory / "defaults.yaml", "connect: 5", "connect: soon")
    refused(
        capsys, tripwire, inventory, "defaults.yaml: data.timeouts.connect", "'soon'", "seconds"
    )


def test_negative_timeout(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path
) -> None:
    edit(inventory / "groups.yaml", "command: 3", "command: -3")
    refused(capsys, tripwire, inventory, "groups.yaml: site_lab-faults.data.timeouts.command")


def test_data_as_a_list(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path
) -> None:
    edit(inventory / "hosts.yaml", "data: {role: gateway}", "data: [role, gateway]")
    refused(
        capsys, tripwire, inventory, "hosts.yaml: office1-gw1.data: expected a mapping", "a list"
    )


def test_invalid_utf8_in_hosts(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path
) -> None:
    hosts = inventory / "hosts.yaml"
    hosts.write_bytes(hosts.read_bytes() + b"# caf\xe9 (Latin-1)\n")
    refused(capsys, tripwire, inventory, "hosts.yaml", "not UTF-8", "byte 0xe9")


def test_group_cycle(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path
) -> None:
    edit(inventory / "groups.yaml", "lab:\n", "lab:\n  groups: [site_office1]\n")
    refused(capsys, tripwire, inventory, "groups.yaml", "cycle", "site_office1 -> lab")


def test_unknown_group_suggests_the_closest(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path
) -> None:
    edit(inventory / "hosts.yaml", "groups: [site_office1]", "groups: [site_ofice1]")
    refused(capsys, tripwire, inventory, "hosts.yaml", "site_ofice1", "did you mean site_office1?")


def test_unknown_data_key(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path
) -> None:
    edit(inventory / "hosts.yaml", "data: {role: gateway}", "data: {rol: gateway}")
    refused(capsys, tripwire, inventory, "office1-gw1.data.rol: unknown key", "did you mean role?")


def test_a_role_no_platform_serves(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path
) -> None:
    edit(inventory / "hosts.yaml", "data: {role: gateway}", "data: {role: gatway}")
    refused(
        capsys,
        tripwire,
        inventory,
        "hosts.yaml",
        "office1-gw1.data.role: 'gatway' is not valid (no platform serves it",
        "did you mean gateway?",
    )


def test_waiver_with_an_impossible_date(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path
) -> None:
    waivers = inventory / "waivers.yaml"
    waivers.write_text("waivers:\n  - {check: ALG001, host: '*', reason: x, expires: 2030-13-45}\n")
    refused(capsys, tripwire, inventory, "waivers.yaml: waiver 1", "expires", "2030-13-45")


def test_binary_waivers_file(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path
) -> None:
    waivers = inventory / "waivers.yaml"
    waivers.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    refused(capsys, tripwire, inventory, "waivers.yaml", "not UTF-8")


def test_waivers_file_with_nul(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path
) -> None:
    (inventory / "waivers.yaml").write_bytes(b"waivers: []\n\x00\x00")
    refused(capsys, tripwire, inventory, "waivers.yaml", "NUL")


def test_output_into_a_missing_folder(
    capsys: pytest.CaptureFixture[str],
    tripwire: socket.socket,
    inventory: Path,
    tmp_path: Path,
    fleetaudit_home: Path,
) -> None:
    missing = tmp_path / "no-such-folder" / "report.json"
    refused(
        capsys,
        tripwire,
        inventory,
        "--output",
        str(missing.parent),
        "does not exist",
        extra=("--output", str(missing)),
    )
    assert not (fleetaudit_home / "fleetaudit.sqlite").exists()  # nothing stored either


def test_phone_ca_file_missing(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path
) -> None:
    edit(
        inventory / "hosts.yaml",
        "data: {role: phone, phone: {scheme: http, config_server:",
        "data: {role: phone, phone: {scheme: https, verify: /nonexistent/ca.pem, config_server:",
    )
    refused(
        capsys,
        tripwire,
        inventory,
        "hosts.yaml: office1-phone1.data.phone.verify",
        "/nonexistent/ca.pem",
        "does not exist",
    )


def test_phone_ca_file_not_a_certificate(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path, tmp_path: Path
) -> None:
    junk = tmp_path / "ca.pem"
    junk.write_text("not a certificate\n")
    edit(
        inventory / "hosts.yaml",
        "data: {role: phone, phone: {scheme: http, config_server:",
        f"data: {{role: phone, phone: {{scheme: https, verify: {junk}, config_server:",
    )
    refused(capsys, tripwire, inventory, "office1-phone1.data.phone.verify", "PEM")


def test_phone_scheme_ftp(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path
) -> None:
    edit(
        inventory / "hosts.yaml",
        "data: {role: phone, phone: {scheme: http, config_server:",
        "data: {role: phone, phone: {scheme: ftp, config_server:",
    )
    refused(capsys, tripwire, inventory, "office1-phone1.data.phone.scheme", "'ftp'", "https")


def test_unknown_check_id(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path
) -> None:
    refused(
        capsys,
        tripwire,
        inventory,
        "NOPE999",
        "fleetaudit checks list",
        extra=("--check", "NOPE999"),
    )


def test_unknown_check_id_in_scan(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "gw.cfg"
    config.write_text("hostname gw\nend\n")
    assert main(["scan", str(config), "--platform", "cisco_ios", "--check", "ALG01"]) == 2
    err = capsys.readouterr().err
    assert "ALG01" in err and "did you mean ALG001?" in err


def test_provider_profile_typo(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path
) -> None:
    edit(inventory / "groups.yaml", "keepalive_s: 120", "keepalive: 30")
    refused(
        capsys,
        tripwire,
        inventory,
        "groups.yaml: provider_vats.data.voip.keepalive: unknown key",
        "did you mean keepalive_s?",
    )


def test_provider_profile_typo_in_a_scan_policy(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("voip:\n  provider: vats\n  keepalive: 30\n")
    config = tmp_path / "gw.cfg"
    config.write_text("hostname gw\nend\n")
    assert main(["scan", str(config), "--platform", "cisco_ios", "--policy", str(policy)]) == 2
    assert "did you mean keepalive_s?" in capsys.readouterr().err


# -- the store, opened and checked before the audit --------------------------------------


def store_refused(
    capsys: pytest.CaptureFixture[str],
    tripwire: socket.socket,
    inventory: Path,
    db: Path,
    *needles: str,
) -> None:
    refused(capsys, tripwire, inventory, str(db), *needles, extra=("--db", str(db)))


def test_store_file_read_only(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path, tmp_path: Path
) -> None:
    db = tmp_path / "runs.sqlite"
    assert main(["history", "--db", str(db)]) == 0  # an empty, valid store
    capsys.readouterr()
    db.chmod(0o444)  # root writes anyway; the owner said read-only, so it is
    try:
        store_refused(capsys, tripwire, inventory, db, "read-only")
    finally:
        db.chmod(0o644)


def test_store_folder_read_only(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    assert main(["history", "--db", str(folder / "runs.sqlite")]) == 0
    capsys.readouterr()
    folder.chmod(0o555)  # SQLite needs the folder for its -wal and -shm files
    try:
        store_refused(capsys, tripwire, inventory, folder / "runs.sqlite", "read-only")
    finally:
        folder.chmod(0o755)


def test_store_under_a_file(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path, tmp_path: Path
) -> None:
    (tmp_path / "plain-file").write_text("x")
    store_refused(capsys, tripwire, inventory, tmp_path / "plain-file" / "runs.sqlite", "cannot")


def test_store_not_sqlite(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path, tmp_path: Path
) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("meeting notes, not a database\n" * 100)
    store_refused(capsys, tripwire, inventory, db, "not a fleetaudit")
    assert db.read_text().startswith("meeting notes")


def test_store_someone_elses_sqlite(
    capsys: pytest.CaptureFixture[str], tripwire: socket.socket, inventory: Path, tmp_path: Path
) -> None:
    db = tmp_path / "app.sqlite"
    with sqlite3.connect(db) as other:
        other.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    store_refused(capsys, tripwire, inventory, db, "not a fleetaudit store", "invoices")
    with sqlite3.connect(db) as other:
        tables = {r[0] for r in other.execute("SELECT name FROM sqlite_master")}
    assert tables == {"invoices"}  # none of ours added


def test_store_locked(
    capsys: pytest.CaptureFixture[str],
    tripwire: socket.socket,
    inventory: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "runs.sqlite"
    assert main(["history", "--db", str(db)]) == 0
    capsys.readouterr()
    monkeypatch.setattr(store_module, "WRITE_CHECK_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer that does not finish
    try:
        store_refused(capsys, tripwire, inventory, db, "locked", "--no-store")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_store_nearly_full(
    capsys: pytest.CaptureFixture[str],
    tripwire: socket.socket,
    inventory: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A disk cannot be filled safely in a test: ask for more room than any disk has."""
    monkeypatch.setattr(store_module, "MIN_FREE_BYTES", 1 << 62)
    store_refused(capsys, tripwire, inventory, tmp_path / "runs.sqlite", "free")


def test_a_save_that_fails_after_the_audit_still_reports(
    lab_inventory: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another writer takes the store after the pre-audit check passed: the audit's
    report is still written, and the exit says the run was not stored."""
    db = tmp_path / "runs.sqlite"
    holder = sqlite3.connect(db, isolation_level=None)
    checked = store_module.Store.check_writable

    def then_taken(self: store_module.Store, wait_s: float | None = None) -> None:
        checked(self, wait_s)
        holder.execute("BEGIN IMMEDIATE")

    monkeypatch.setattr(store_module.Store, "check_writable", then_taken)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.3)
    out = tmp_path / "report.json"
    argv = ["run", "--site", "office2", "--inventory", str(lab_inventory), "--quiet"]
    try:
        assert main([*argv, "--db", str(db), "--format", "json", "--output", str(out)]) == 2
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert '"findings"' in out.read_text()
    err = capsys.readouterr().err
    assert str(db) in err and "could not be stored" in err and f"report in {out}" in err
