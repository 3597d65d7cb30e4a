"""Where the shipped templates, checks and demo inventory live.

In a wheel they are packed under ``fleetaudit/builtin/``; in a source checkout (editable
install, tests) they are the top-level folders of the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def builtin_dir(name: str) -> Path:
    packed = PACKAGE / "builtin" / name
    return packed if packed.is_dir() else PACKAGE.parent / name


def default_inventory() -> Path:
    """``./inventory`` when it holds a Nornir inventory, else the bundled demo inventory."""
    local = Path("inventory")
    return local if (local / "hosts.yaml").is_file() else builtin_dir("inventory")


def home() -> Path:
    """Where runs, evidence and reports are kept (``FLEETAUDIT_HOME``)."""
    configured = os.environ.get("FLEETAUDIT_HOME")
    if configured:
        return Path(configured)
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "fleetaudit"
