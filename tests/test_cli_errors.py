"""Our own misuse exits 2 with a message naming the file/key and the fix; no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fleetaudit.cli import main
from fleetaudit.paths import builtin_dir


def fails_with(capsys: pytest.CaptureFixture[str], argv: list[str], *needles: str) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, err


def copy_inventory(tmp_path: Path) -> Path:
    dest = tmp_path / "inv"
    shutil.copytree(builtin_dir("inventory"), dest)
    return dest


def test_missing_inventory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fails_with(capsys, ["run", "--site", "x", "--inventory", str(tmp_path)], "hosts.yaml not found")


def test_unknown_site(capsys: pytest.CaptureFixture[str]) -> None:
    fails_with(
        capsys,
        ["run", "--site", "nowhere", "--inventory", str(builtin_dir("inventory"))],
        "no hosts in site 'nowhere'",
        "office1",
    )


def test_unknown_platform(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    inv = copy_inventory(tmp_path)
    hosts = inv / "hosts.yaml"
    hosts.write_text(hosts.read_text().replace("platform: cisco_asa", "platform: cisco_pix", 1))
    fails_with(
        capsys,
        ["run", "--site", "office1", "--inventory", str(inv)],
        "hosts.yaml: office1-fw1.platform",
        "cisco_pix",
        "mikrotik_routeros",
    )


def test_broken_yaml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    inv = copy_inventory(tmp_path)
    (inv / "groups.yaml").write_text("lab: [unclosed\n")
    fails_with(capsys, ["run", "--site", "office1", "--inventory", str(inv)], "groups.yaml", "YAML")


def test_env_credential_missing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FA_TEST_PASSWORD", raising=False)
    inv = copy_inventory(tmp_path)
    groups = inv / "groups.yaml"
    groups.write_text(
        groups.read_text().replace("password: lab-admin", "password: env:FA_TEST_PASSWORD")
    )
    fails_with(
        capsys,
        ["run", "--site", "office1", "--inventory", str(inv)],
        "env:FA_TEST_PASSWORD",
        "export FA_TEST_PASSWORD",
    )


def test_malformed_provider_profile(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    inv = copy_inventory(tmp_path)
    groups = inv / "groups.yaml"
    groups.write_text(
        groups.read_text().replace('rtp: {udp: "10000-65535"}', 'rtp: {udp: "65535-10000"}')
    )
    fails_with(
        capsys, ["run", "--site", "office1", "--inventory", str(inv)], "voip.rtp.udp", "65535-10000"
    )


def test_bad_flag_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--site", "office1", "--format", "pdf"])
    assert exit_.value.code == 2


def test_scan_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fails_with(capsys, ["scan", str(tmp_path / "nope.cfg"), "--platform", "cisco_ios"], "nope.cfg")


def test_unknown_check_explain(capsys: pytest.CaptureFixture[str]) -> None:
    fails_with(capsys, ["checks", "explain", "XYZ999"], "no check 'XYZ999'")


def test_checks_explain_shows_docs_and_fix(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checks", "explain", "PSEC001"]) == 0
    out = capsys.readouterr().out
    assert "Why it breaks calls" in out and "switchport port-security aging time" in out


def test_output_into_a_folder_that_is_missing_for_history(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "reports" / "history.json"
    fails_with(capsys, ["history", "--output", str(missing)], str(missing.parent), "mkdir -p")


def test_output_that_is_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "gw.cfg"
    config.write_text("hostname gw\nend\n")
    argv = ["scan", str(config), "--platform", "cisco_ios", "--output", str(tmp_path)]
    fails_with(capsys, argv, "is a folder")


def test_output_to_dev_null_is_fine(tmp_path: Path) -> None:
    """The README's cron recipe writes --output /dev/null, whose folder is not writable."""
    config = tmp_path / "gw.cfg"
    config.write_text("hostname gw\ninterface Gi0/0\n ip address 10.0.0.1 255.255.255.0\nend\n")
    argv = ["scan", str(config), "--platform", "cisco_ios", "--output", "/dev/null"]
    assert main([*argv, "--allow-unassessed"]) in (0, 1)


def test_every_unset_variable_is_reported_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("FA_TEST_USER", "FA_TEST_PASSWORD", "FA_TEST_ENABLE"):
        monkeypatch.delenv(name, raising=False)
    inv = copy_inventory(tmp_path)
    groups = inv / "groups.yaml"
    groups.write_text(
        groups.read_text()
        .replace("username: admin", "username: env:FA_TEST_USER", 1)
        .replace("password: lab-admin", "password: env:FA_TEST_PASSWORD")
        .replace("secret: lab-enable", "secret: env:FA_TEST_ENABLE")
    )
    fails_with(
        capsys,
        ["run", "--site", "office1", "--inventory", str(inv)],
        "3 problems in the inventory's credentials",
        "office1-gw1.username, office1-fw1.username",
        "are env:FA_TEST_PASSWORD but $FA_TEST_PASSWORD is not set; export FA_TEST_PASSWORD=",
        "office1-gw1.connection_options.netmiko.extras.secret",
        "export FA_TEST_ENABLE=",
    )


def test_every_bad_inventory_entry_is_reported_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    inv = copy_inventory(tmp_path)
    hosts = inv / "hosts.yaml"
    text = hosts.read_text().replace("platform: cisco_asa", "platform: cisco_pix", 1)
    hosts.write_text(text.replace("port: 10001", "port: many", 1))
    groups = inv / "groups.yaml"
    groups.write_text(groups.read_text().replace("keepalive_s: 120", "keepalive_s: -1"))
    fails_with(
        capsys,
        ["run", "--site", "office1", "--inventory", str(inv)],
        "problems in the inventory",
        "hosts.yaml: office1-gw1",
        "port",
        "voip.keepalive_s",
    )


def test_every_waiver_mistake_is_reported_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        "  - {check: ALG001, host: gw1, reason: ok, expires: 2030-13-45}\n"
        "  - {check: ALG001, host: gw1, reason: ok, expires: 2030-01-01}\n"
        "  - {check: XYZ999, host: gw1, reason: ok, expires: 2030-01-01}\n"
        "  - {check: ALG001, host: gw1, expires: 2030-01-01}\n"
    )
    config = tmp_path / "gw1.cfg"
    config.write_text("hostname gw1\nend\n")
    fails_with(
        capsys,
        ["scan", str(config), "--platform", "cisco_ios", "--waivers", str(waivers)],
        f"3 problems in {waivers}",
        "waiver 1",
        "waiver 3: no check 'XYZ999'",
        "waiver 4",
    )
