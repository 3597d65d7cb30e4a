"""The NetBox stand-in with office1's devices, and the local folder (sot.yaml, credential
groups) that `--inventory netbox://` reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from .netbox_server import NetBox
from .sot_data import local_folder, site_from_lab

TOKEN = "0123456789abcdef0123456789abcdef0123beef"


@pytest.fixture
def netbox_env(
    lab_inventory: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[NetBox, Path]:
    sot_yaml = local_folder(lab_inventory, tmp_path / "local")
    monkeypatch.setenv("FLEETAUDIT_SOT_CONFIG", str(sot_yaml))
    monkeypatch.setenv("NETBOX_TOKEN", TOKEN)
    return NetBox(site_from_lab(lab_inventory, "office1"), TOKEN), sot_yaml
