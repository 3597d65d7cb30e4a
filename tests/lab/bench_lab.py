"""Manual measurement (not a test): netmiko against N lab clones with W threads.

.venv/bin/python -m tests.lab.bench_lab [devices] [workers]
"""

from __future__ import annotations

import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from netmiko import ConnectHandler

from fleetaudit.lab import Endpoint, Lab

from .conftest import make_inventory

COMMANDS = {"mikrotik_routeros": "/export verbose"}


def collect(endpoint: Endpoint) -> int:
    secret = "" if endpoint.platform == "mikrotik_routeros" else "lab-enable"
    with ConnectHandler(
        device_type=endpoint.platform,
        host=endpoint.address,
        port=endpoint.port,
        username="admin",
        password="lab-admin",
        secret=secret,
    ) as conn:
        if secret:
            conn.enable()
        return len(conn.send_command(COMMANDS.get(endpoint.platform, "show running-config")))


def main(devices: int = 100, workers: int = 50) -> None:
    root = make_inventory(Path(tempfile.mkdtemp()) / "inventory")
    with Lab(root, site="bench", devices=devices, ephemeral_ports=True) as lab:
        started = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            sizes = list(pool.map(collect, lab.endpoints))
        elapsed = time.perf_counter() - started
    assert all(sizes), "a device returned nothing"
    print(
        f"{len(sizes)} devices, {workers} threads: {elapsed:.2f} s wall "
        f"({elapsed / len(sizes) * workers:.2f} s per device per thread)"
    )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
