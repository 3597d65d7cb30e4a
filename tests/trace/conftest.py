"""Real SIP traffic for the sip-trace tests: sipp (Debian's sip-tester) scenarios on
127.0.0.1, recorded by tcpdump on the loopback interface."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


def tools_missing() -> str | None:
    missing = [tool for tool in ("sipp", "tcpdump") if shutil.which(tool) is None]
    return f"{', '.join(missing)} not installed (make test installs them)" if missing else None


def record(
    out: Path,
    port: int,
    uac: list[str],
    uas: list[str] | None = None,
    filter_extra: str = "",
    uas_port: int | None = None,
) -> Path:
    """Capture ``sipp`` UAC (and UAS) runs on ports ``port`` (UAS), ``port + 1`` (UAC),
    ``port + 2..`` (media) into ``out``. With ``uas_port`` the UAS listens there instead
    while the UAC still calls ``port`` (where the test runs something in between)."""
    ports = " or ".join(f"port {p}" for p in range(port, port + 4))
    expression = f"({ports}){filter_extra}"
    # --immediate-mode: without it libpcap reads lo through a TPACKET_V3 ring whose blocks
    # reach tcpdump only when full or after a timeout (~1 s), and SIGINT drops the block
    # still open, so the last packets of a run (a call's BYE and 200) never reach the file.
    # -U only flushes what tcpdump already has.
    dump = subprocess.Popen(
        ["tcpdump", "-i", "lo", "--immediate-mode", "-U", "-s0", "-w", str(out), expression],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_listening(dump)
        server = None
        if uas is not None:
            server = subprocess.Popen(
                [
                    "sipp",
                    "-i",
                    "127.0.0.1",
                    "-p",
                    str(uas_port or port),
                    "-m",
                    "1",
                    "-nostdin",
                    *uas,
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=out.parent,
            )
            time.sleep(0.5)
        try:
            subprocess.run(
                [
                    "sipp",
                    f"127.0.0.1:{port}",
                    "-i",
                    "127.0.0.1",
                    "-p",
                    str(port + 1),
                    "-mp",
                    str(port + 2),
                    "-m",
                    "1",
                    "-nostdin",
                    "-timeout",
                    "15",
                    *uac,
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=out.parent,
                timeout=30,
                check=False,
            )
        finally:
            if server is not None:
                try:
                    server.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
        time.sleep(0.3)
    finally:
        dump.send_signal(signal.SIGINT)
        dump.wait(timeout=10)
    return out


def _wait_listening(dump: subprocess.Popen[bytes]) -> None:
    """tcpdump says "listening on lo" on stderr once it captures."""
    assert dump.stderr is not None
    deadline = time.time() + 10
    while time.time() < deadline:
        line = dump.stderr.readline()
        if b"listening on" in line or not line:
            break
    time.sleep(0.2)


def scenario(name: str) -> str:
    return str(SCENARIOS / name)


import pytest  # noqa: E402


@pytest.fixture
def sipp_record() -> object:
    why = tools_missing()
    if why:
        pytest.skip(why)
    return record
