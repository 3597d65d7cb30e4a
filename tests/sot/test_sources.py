"""What a source of truth may get wrong, and the spellings of `--inventory`: each an exit 2
naming the device or the variable, before anything connects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fleetaudit.errors import UsageError
from fleetaudit.inventory_sources import Source, source_of

from .netbox_server import NetBox
from .test_netbox import run_json


def test_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert source_of(Path("nautobot://127.0.0.1")) == Source("nautobot", "http://127.0.0.1")
    assert source_of("netbox://[::1]:8000") == Source("netbox", "http://[::1]:8000")
    assert source_of("nautobot://sot.example.net:8443").url == "https://sot.example.net:8443"
    assert source_of("./nautobot") is None
    monkeypatch.setenv("NAUTOBOT_URL", "https://sot.example.net/")
    assert source_of("nautobot://") == Source("nautobot", "https://sot.example.net")
    monkeypatch.delenv("NAUTOBOT_URL")
    with pytest.raises(UsageError, match=r"\$NAUTOBOT_URL, which is not set"):
        source_of("nautobot://")


def test_missing_nautobot_token_exits_2_before_any_request(
    tmp_path: Path, netbox_env: tuple[NetBox, Path], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.delenv("NAUTOBOT_TOKEN", raising=False)
    assert run_json("nautobot://127.0.0.1:9", tmp_path / "o.json")[0] == 2
    assert "$NAUTOBOT_TOKEN is not set; export NAUTOBOT_TOKEN=" in capsys.readouterr().err


def test_device_mistakes_are_listed_at_once(
    tmp_path: Path, netbox_env: tuple[NetBox, Path], capsys: Any
) -> None:
    netbox, sot_yaml = netbox_env
    devices = netbox.site.devices
    devices[0].role = "Core Router"
    devices[1].site = ""
    devices[2].local_context["fleetaudit"]["port"] = 70000
    with netbox.serving() as url:
        code, _ = run_json(url.replace("http://", "netbox://"), tmp_path / "o.json")
    err = capsys.readouterr().err
    assert code == 2
    assert "3 problems in the devices of netbox http://127.0.0.1:" in err
    assert f"device office1-gw1 has role 'Core Router', which {sot_yaml}: roles does not map" in err
    assert "device office1-fw1 has no site/location" in err
    assert "device office1-rtr1: config context fleetaudit.port" in err


def test_site_selection_and_all_sites(
    tmp_path: Path, netbox_env: tuple[NetBox, Path], capsys: Any
) -> None:
    netbox, _ = netbox_env
    with netbox.serving() as url:
        spec = url.replace("http://", "netbox://")
        code, _ = run_json(spec, tmp_path / "o.json", "--site", "office9")
        assert code == 2
        assert (
            "no hosts in site 'office9'; sites in the inventory: office1" in capsys.readouterr().err
        )


def test_relative_known_hosts_is_read_next_to_sot_yaml(
    tmp_path: Path, netbox_env: tuple[NetBox, Path], capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    netbox, sot_yaml = netbox_env
    for device in netbox.site.devices:
        context = device.local_context["fleetaudit"]
        context["data"] = {**context.get("data", {}), "known_hosts": "pinned/known_hosts"}
    monkeypatch.chdir(tmp_path)
    with netbox.serving() as url:
        code, _ = run_json(url.replace("http://", "netbox://"), tmp_path / "o.json")
    assert code == 1, capsys.readouterr().err
    learned = (sot_yaml.parent / "pinned" / "known_hosts").read_text()
    assert learned.count("[127.0.0.1]:") == 5  # the SSH devices' keys, learned (accept-new)
    assert not list(tmp_path.glob("netbox*"))
