from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from fleetaudit.lab import Lab
from fleetaudit.paths import builtin_dir
from tests.sot import nautobot_service


@pytest.fixture(scope="session", autouse=True)
def session_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Session-scoped fixtures (the lab, stored reports) run before any test's own
    FLEETAUDIT_HOME is set: give them a home of the session's, never the user's (whose
    known_hosts may hold other keys for the same loopback ports)."""
    home = tmp_path_factory.mktemp("session-home")
    before = os.environ.get("FLEETAUDIT_HOME")
    os.environ["FLEETAUDIT_HOME"] = str(home)
    yield home
    if before is None:
        os.environ.pop("FLEETAUDIT_HOME", None)
    else:
        os.environ["FLEETAUDIT_HOME"] = before


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


# The mutation property test (tests/test_mutation.py) draws this many damaged inputs:
# "ci" keeps it near 10 s on two cores; "full" is the acceptance run.
settings.register_profile(
    "ci",
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("full", parent=settings.get_profile("ci"), max_examples=20_000)
settings.load_profile(os.environ.get("FLEETAUDIT_HYPOTHESIS", "ci"))


_NAUTOBOT_TEST = "tests/sot/test_nautobot.py"
_NAUTOBOT_STARTING: pytest.StashKey[subprocess.Popen[bytes]] = pytest.StashKey()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The real Nautobot's first start takes many minutes: begin it now, in the background,
    and run its test last (tests/sot/nautobot_service.py)."""
    nautobot = [item for item in items if item.nodeid.startswith(_NAUTOBOT_TEST)]
    if not nautobot:
        return
    items[:] = [item for item in items if item not in nautobot] + nautobot
    if not nautobot_service.skipped():
        nautobot_service.hold(starting=not nautobot_service.running())
        config.stash[_NAUTOBOT_STARTING] = nautobot_service.start_in_background()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Whatever the run started in the background ends with it."""
    starting = config.stash.get(_NAUTOBOT_STARTING, None)
    if starting is None:
        return
    process = starting
    if process.poll() is None:  # the run ended before the Nautobot test (-x, an interrupt)
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    nautobot_service.release()
