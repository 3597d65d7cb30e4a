"""Start-up costs that do not grow with the fleet: `--version` before any import of the
CLI, and napalm's ios driver without its other drivers."""

from __future__ import annotations

import subprocess
import sys

from fleetaudit import __version__


def test_version_answers_without_importing_the_cli() -> None:
    probe = (
        "import sys; sys.argv = ['fleetaudit', '--version']\n"
        "from fleetaudit.entry import main\n"
        "main()\n"
        "print(sorted(m for m in ('fleetaudit.cli', 'netmiko', 'pydantic') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == [f"fleetaudit {__version__}", "[]"]


def test_the_napalm_ios_driver_loads_alone() -> None:
    probe = (
        "import sys\n"
        "from fleetaudit.napalm_drivers import get_network_driver\n"
        "print(get_network_driver('ios').__name__)\n"
        "print(sorted(m for m in ('napalm.junos', 'napalm.nxos', 'napalm.eos') if m in sys.modules))\n"
        "from napalm import get_network_driver as again\n"
        "print(again('ios').__name__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == ["IOSDriver", "[]", "IOSDriver"]
