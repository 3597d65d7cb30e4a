from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fleetaudit.lab import Lab
from fleetaudit.paths import builtin_dir


@pytest.fixture(scope="session")
def lab_inventory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo sites served over real SSH on ephemeral ports, and an inventory for them."""
    with Lab(builtin_dir("inventory"), ephemeral_ports=True) as lab:
        yield lab.write_inventory(tmp_path_factory.mktemp("inventory"))


@pytest.fixture(autouse=True)
def fleetaudit_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Runs are stored under a per-test folder, never in the user's home."""
    home = tmp_path / "home"
    monkeypatch.setenv("FLEETAUDIT_HOME", str(home))
    return home
