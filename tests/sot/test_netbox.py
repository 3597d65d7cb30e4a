"""`--inventory netbox://` through nornir_netbox's NetBoxInventory2, against a real HTTP
server answering in NetBox's published format (see netbox_server.py), then the lab."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetaudit.cli import main

from .conftest import TOKEN
from .netbox_server import NetBox


def run_json(inventory: str, out: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    args = ["run", "--site", "office1", "--inventory", inventory, "--format", "json"]
    code = main([*args, "--output", str(out), "--quiet", *extra])
    return code, json.loads(out.read_text()) if out.exists() else {}


def outcome(report: dict[str, Any]) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    hosts = {(h["name"], h["platform"], h["site"], h["status"]) for h in report["hosts"]}
    findings = {
        (f["check"], f["host"], f["status"], f.get("subject") or "", f["message"])
        for f in report["findings"]
    }
    return hosts, findings


def test_netbox_inventory_gives_the_yaml_findings(
    lab_inventory: Path, tmp_path: Path, netbox_env: tuple[NetBox, Path], capsys: Any
) -> None:
    netbox, _ = netbox_env
    yaml_code, from_yaml = run_json(str(lab_inventory), tmp_path / "yaml.json")
    with netbox.serving() as url:
        spec = url.replace("http://", "netbox://")
        code, from_netbox = run_json(spec, tmp_path / "netbox.json")
    assert (code, yaml_code) == (1, 1)
    assert outcome(from_netbox) == outcome(from_yaml)
    assert len(from_netbox["hosts"]) == 9
    # 9 devices, 4 a page: 3 requests, once for the run (policies, then the audit)
    assert [p.split("?")[0] for p in netbox.requests] == ["/api/dcim/devices/"] * 3
    assert "offset=8" in netbox.requests[-1]
    # the token is in no report, no stored run, no output
    stored = b"".join(p.read_bytes() for p in (tmp_path / "home").rglob("*") if p.is_file())
    assert TOKEN.encode() not in stored
    assert TOKEN not in (tmp_path / "netbox.json").read_text() + str(capsys.readouterr())


def test_unknown_platform_exits_2_naming_the_map_before_any_connection(
    lab_inventory: Path, tmp_path: Path, netbox_env: tuple[NetBox, Path], capsys: Any
) -> None:
    netbox, sot_yaml = netbox_env
    netbox.site.devices[2].platform = "RouterOS 7"  # renamed in the SoT, not in sot.yaml
    with netbox.serving() as url:
        code, _ = run_json(url.replace("http://", "netbox://"), tmp_path / "out.json")
    err = capsys.readouterr().err
    assert code == 2
    assert "device office1-rtr1 has platform 'RouterOS 7'" in err
    assert f"{sot_yaml}: platforms does not map" in err
    assert "add `RouterOS 7: <fleetaudit platform>` under platforms" in err
    assert not (tmp_path / "home").exists() or not list((tmp_path / "home").rglob("*.json"))


def test_map_values_are_validated(
    lab_inventory: Path, tmp_path: Path, netbox_env: tuple[NetBox, Path], capsys: Any
) -> None:
    netbox, sot_yaml = netbox_env
    sot = yaml.safe_load(sot_yaml.read_text())
    sot["platforms"]["Cisco ASA"] = "cisco_asaa"
    sot["roles"]["Firewall"] = "fw"
    sot_yaml.write_text(yaml.safe_dump(sot))
    with netbox.serving() as url:
        code, _ = run_json(url.replace("http://", "netbox://"), tmp_path / "out.json")
    err = capsys.readouterr().err
    assert code == 2
    assert f"{sot_yaml}: platforms" in err and "'cisco_asaa', not a fleetaudit platform" in err
    assert f"{sot_yaml}: roles" in err and "'Firewall' maps to 'fw', not a fleetaudit role" in err
    assert netbox.requests == []  # the map is checked before the SoT is asked


def test_missing_or_wrong_token_exits_2(
    tmp_path: Path, netbox_env: tuple[NetBox, Path], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    netbox, _ = netbox_env
    with netbox.serving() as url:
        spec = url.replace("http://", "netbox://")
        monkeypatch.delenv("NETBOX_TOKEN")
        assert run_json(spec, tmp_path / "a.json")[0] == 2
        assert "$NETBOX_TOKEN is not set" in capsys.readouterr().err
        monkeypatch.setenv("NETBOX_TOKEN", "wrong-token-value")
        assert run_json(spec, tmp_path / "b.json")[0] == 2
        err = capsys.readouterr().err
    assert "cannot read its devices" in err and "wrong-token-value" not in err


def test_config_context_mistake_names_the_device_and_key(
    tmp_path: Path, netbox_env: tuple[NetBox, Path], capsys: Any
) -> None:
    netbox, _ = netbox_env
    netbox.site.devices[0].local_context["fleetaudit"]["groups"] = ["labb"]
    netbox.site.devices[1].local_context["fleetaudit"]["data"] = {"timeout": {"connect": 1}}
    with netbox.serving() as url:
        code, _ = run_json(url.replace("http://", "netbox://"), tmp_path / "out.json")
    err = capsys.readouterr().err
    assert code == 2
    assert "device office1-gw1: config context fleetaudit.groups names 'labb'" in err
    assert "did you mean lab?" in err
    assert "device office1-fw1: config context fleetaudit.data.timeout: unknown key" in err


def test_waivers_next_to_sot_yaml_apply(
    tmp_path: Path, netbox_env: tuple[NetBox, Path], capsys: Any
) -> None:
    netbox, sot_yaml = netbox_env
    waiver = {
        "check": "ALG001",
        "host": "office1-gw1",
        "reason": "ticket 42",
        "expires": "2099-01-01",
    }
    (sot_yaml.parent / "waivers.yaml").write_text(yaml.safe_dump([waiver]))
    with netbox.serving() as url:
        code, report = run_json(url.replace("http://", "netbox://"), tmp_path / "out.json")
    assert code == 1, capsys.readouterr().err
    statuses = {
        f["status"]
        for f in report["findings"]
        if f["check"] == "ALG001" and f["host"] == "office1-gw1"
    }
    assert statuses == {"waived"}
