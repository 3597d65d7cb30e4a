"""`--inventory nautobot://` against a real Nautobot (scripts/services/nautobot.sh: from
PyPI in its own venv, PostgreSQL and Redis from Debian), its data loaded through its REST
API, then the audit of the lab: the same findings as the YAML inventory.

The first run installs and migrates Nautobot (minutes; figures in DIR/timings); DIR is
$FLEETAUDIT_NAUTOBOT_DIR, else /tmp/fleetaudit-nautobot-UID (PostgreSQL's own user must
reach it, which a home folder may forbid), reused by later runs and
shared by checkouts and sessions running at once (the last session holding it stops
Nautobot when a test session started it: nautobot_service.release).
FLEETAUDIT_SKIP_NAUTOBOT=1 skips this test.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .nautobot_loader import Nautobot
from .nautobot_service import FOLDER, PORT, SCRIPT, skipped
from .sot_data import local_folder, site_from_lab
from .test_netbox import outcome, run_json


@pytest.fixture(scope="session")
def nautobot() -> Iterator[tuple[str, str, Path]]:
    if skipped():
        pytest.skip("FLEETAUDIT_SKIP_NAUTOBOT is set")
    folder = FOLDER
    # the session holds the folder from collection on (tests/conftest.py) and lets go at its end
    started = subprocess.run(
        [str(SCRIPT), "start", str(folder), str(PORT)],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert started.returncode == 0, started.stderr + started.stdout
    url, token = started.stdout.split()[-2:]
    yield url, token, folder


def api_requests(log: Path, since: int) -> list[str]:
    text = log.read_text(errors="replace")[since:]
    return re.findall(r'"GET (/api/[^ ]*) HTTP', text)


def test_nautobot_inventory_gives_the_yaml_findings(
    nautobot: tuple[str, str, Path],
    lab_inventory: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
) -> None:
    url, token, folder = nautobot
    Nautobot(url, token).load(site_from_lab(lab_inventory, "office1"))
    sot_yaml = local_folder(lab_inventory, tmp_path / "local")
    sot_yaml.write_text(sot_yaml.read_text() + "page_size: 4\n")
    monkeypatch.setenv("FLEETAUDIT_SOT_CONFIG", str(sot_yaml))
    monkeypatch.setenv("NAUTOBOT_TOKEN", token)
    yaml_code, from_yaml = run_json(str(lab_inventory), tmp_path / "yaml.json")
    log = folder / "server.log"
    before = len(log.read_text(errors="replace"))
    code, from_nautobot = run_json(url.replace("http://", "nautobot://"), tmp_path / "nb.json")
    assert (code, yaml_code) == (1, 1), capsys.readouterr().err
    assert outcome(from_nautobot) == outcome(from_yaml)
    devices = [r for r in api_requests(log, before) if r.startswith("/api/dcim/devices/")]
    # 9 devices, 4 a page: 3 requests, once for the run (its policies, then the audit)
    assert len(devices) == 3, api_requests(log, before)
    assert all("include=config_context" in r and "limit=4" in r for r in devices), devices
    stored = b"".join(p.read_bytes() for p in (tmp_path / "home").rglob("*") if p.is_file())
    assert token.encode() not in stored
