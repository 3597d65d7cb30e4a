"""Exit codes that tell the truth (issue 8): 0 clean and every host assessed, 1 a failing
finding, 4 no failing finding but something could not be assessed; --allow-unassessed
turns 4 into 0. Over the real SSH/HTTP lab on ephemeral ports."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from fleetaudit.cli import main


def run(inventory: Path, site: str, *extra: str) -> int:
    argv = ["run", "--site", site, "--inventory", str(inventory), "--quiet", "--no-store"]
    return main([*argv, "--format", "json", *extra])


def test_office1_exits_1(lab_inventory: Path) -> None:
    assert run(lab_inventory, "office1") == 1


def test_office2_exits_0(lab_inventory: Path) -> None:
    assert run(lab_inventory, "office2") == 0


def test_lab_faults_exits_4_and_names_the_hosts(
    lab_inventory: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(lab_inventory, "lab-faults") == 4
    err = capsys.readouterr().err
    assert "6 host(s) not assessed" in err
    assert "faults-badpass (auth_failed)" in err and "faults-closed (unreachable)" in err
    assert "--allow-unassessed" in err


def test_allow_unassessed_turns_4_into_0(lab_inventory: Path) -> None:
    assert run(lab_inventory, "lab-faults", "--allow-unassessed") == 0


def test_allow_unassessed_never_hides_a_failing_finding(lab_inventory: Path) -> None:
    assert run(lab_inventory, "office1", "--allow-unassessed") == 1


def test_every_host_unreachable_exits_4(lab_inventory: Path, tmp_path: Path) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    inventory = tmp_path / "inv"
    inventory.mkdir()
    hosts = yaml.safe_load((lab_inventory / "hosts.yaml").read_text())
    office2 = {
        name: {**host, "port": port} for name, host in hosts.items() if name.startswith("office2")
    }
    (inventory / "hosts.yaml").write_text(yaml.safe_dump(office2))
    for name in ("groups.yaml", "defaults.yaml"):
        (inventory / name).write_text((lab_inventory / name).read_text())
    assert run(tmp_path / "inv", "office2") == 4


def test_scan_of_an_empty_file_exits_4(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "gw.cfg"
    empty.write_text("")
    assert main(["scan", str(empty), "--platform", "cisco_ios"]) == 4
    assert "gw (nothing could be read" in capsys.readouterr().err
    assert main(["scan", str(empty), "--platform", "cisco_ios", "--allow-unassessed"]) == 0


def test_scan_of_a_folder_without_outputs_exits_4(tmp_path: Path) -> None:
    (tmp_path / "gw1").mkdir()
    assert main(["scan", str(tmp_path / "gw1"), "--platform", "cisco_ios"]) == 4


def test_exit_codes_in_help() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "fleetaudit.cli", "run", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "4  no failing finding, but some host" in out and "--allow-unassessed" in out
