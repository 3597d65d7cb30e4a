"""A run loads its inventory once: the read-only load of its policies (api.site_policies)
leaves the validated hosts to the audit's load, unless the files changed in between."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from fleetaudit import inventory as inventory_module
from fleetaudit.api import audit_site, site_policies
from fleetaudit.errors import UsageError
from fleetaudit.inventory import load_nornir
from fleetaudit.paths import builtin_dir


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    folder = tmp_path / "inventory"
    shutil.copytree(builtin_dir("inventory"), folder)
    return folder


def test_the_audit_takes_the_hosts_the_policies_load_validated(inventory: Path) -> None:
    names, _ = site_policies(inventory, "office1")
    first = load_nornir(inventory, 5)
    assert first.runner.num_workers == 5  # type: ignore[attr-defined]
    assert list(first.inventory.hosts) == list(load_nornir(inventory, 1).inventory.hosts)
    host = first.inventory.hosts[names[0]]
    host.username = "changed by the audit"
    again = load_nornir(inventory, 5).inventory.hosts[names[0]]
    assert again is not host and again.username != "changed by the audit"


def test_a_read_only_load_hands_its_hosts_to_the_next_load_only(inventory: Path) -> None:
    site_policies(inventory, "office1")
    hosts = load_nornir(inventory, 1, read_only=True).inventory.hosts
    taken = load_nornir(inventory, 1).inventory.hosts
    assert all(taken[name] is host for name, host in hosts.items())
    assert all(load_nornir(inventory, 1).inventory.hosts[n] is not h for n, h in taken.items())


def test_files_changed_after_the_policies_are_read_and_validated_again(inventory: Path) -> None:
    site_policies(inventory, "office1")
    hosts = inventory / "hosts.yaml"
    hosts.write_text(hosts.read_text() + "new-host:\n  platform: cisco_ios\n")
    with pytest.raises(UsageError, match=r"hosts.yaml: new-host.hostname is missing"):
        load_nornir(inventory, 1)


def test_a_live_run_reads_validates_and_builds_its_inventory_once(
    lab_inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    for name in ("_parse", "_validate_files", "built_inventory"):
        real = getattr(inventory_module, name)

        def counted(*args: Any, _real: Any = real, _name: str = name) -> Any:
            calls.append(_name)
            return _real(*args)

        monkeypatch.setattr(inventory_module, name, counted)
    report = audit_site(lab_inventory, "office1", store=False)
    assert sorted(calls) == ["_parse", "_validate_files", "built_inventory"]
    assert report.hosts and all(host.status == "ok" for host in report.hosts)
