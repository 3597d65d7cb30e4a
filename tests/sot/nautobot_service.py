"""Where the tests' real Nautobot lives, and its start in the background.

Its first start on a machine installs Nautobot from PyPI and migrates its database (many
minutes on two cores), so the test session starts it as soon as the Nautobot test is
collected, moves that test to the end, and the suite runs meanwhile; the test's fixture then
calls the same script, which waits on the folder's lock and reuses what is ready."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "services" / "nautobot.sh"
# below the ephemeral range (32768+), where a lab's or a client's port could take it
PORT = int(os.environ.get("FLEETAUDIT_NAUTOBOT_PORT", "28180"))  # +1 PostgreSQL, +2 Redis
FOLDER = Path(
    os.environ.get("FLEETAUDIT_NAUTOBOT_DIR")
    or Path(tempfile.gettempdir()) / f"fleetaudit-nautobot-{os.getuid()}"
)


def skipped() -> bool:
    return bool(os.environ.get("FLEETAUDIT_SKIP_NAUTOBOT"))


def running() -> bool:
    try:
        os.kill(int((FOLDER / "nautobot.pid").read_text()), 0)
    except (OSError, ValueError):
        return False
    return True


def stop() -> None:
    subprocess.run([str(SCRIPT), "stop", str(FOLDER)], check=False, timeout=120)


# Test sessions running at once (worktrees, CI jobs) share the folder: each holds it while
# it runs, and the last one to leave stops the Nautobot a test session started.
HOLDERS = FOLDER / "holders"
STARTED_BY_TESTS = FOLDER / "started-by-tests"


def hold(starting: bool) -> None:
    HOLDERS.mkdir(parents=True, exist_ok=True)
    (HOLDERS / str(os.getpid())).touch()
    if starting:
        STARTED_BY_TESTS.touch()


def release() -> None:
    """Let go; stop Nautobot when no other session holds it and a test session started it
    (one its user started stays up)."""
    (HOLDERS / str(os.getpid())).unlink(missing_ok=True)
    if any(_alive(holder) for holder in HOLDERS.glob("*")):
        return
    if STARTED_BY_TESTS.exists():
        stop()
        STARTED_BY_TESTS.unlink(missing_ok=True)


def _alive(holder: Path) -> bool:
    try:
        os.kill(int(holder.name), 0)
    except (OSError, ValueError):
        holder.unlink(missing_ok=True)  # a session that died without letting go
        return False
    return True


def start_in_background() -> subprocess.Popen[bytes]:
    FOLDER.mkdir(parents=True, exist_ok=True)
    with open(FOLDER.parent / f"{FOLDER.name}-background.log", "wb") as log:
        return subprocess.Popen(
            [str(SCRIPT), "start", str(FOLDER), str(PORT)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
