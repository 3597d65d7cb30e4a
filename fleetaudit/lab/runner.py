"""Run the simulated network: in a background thread (tests, ``run --lab``) or in the
foreground (``fleetaudit lab serve``)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import TracebackType

from fleetaudit.evidence import command_slug
from fleetaudit.lab import inventory as lab_inventory
from fleetaudit.lab.fixtures import crlf
from fleetaudit.lab.keys import HostKeyFolder
from fleetaudit.lab.received import ReceivedLog
from fleetaudit.lab.server import Endpoint, Network, Traffic, client_address


class Lab:
    """Run the simulated network in a background thread (for tests and ``run --lab``)."""

    def __init__(
        self,
        inventory: Path,
        site: str | None = None,
        devices: int = 0,
        ephemeral_ports: bool = False,
        bind: str = "127.0.0.1",
        log: Path | None = None,
        host_keys: Path | None = None,
        latency_ms: float = 0.0,
        sites: int = 1,
    ) -> None:
        """``sites``: spread the ``devices`` clones over that many sites; ``host_keys``: the devices' SSH host keys (default $FLEETAUDIT_HOME/lab/host_keys),
        generated there when absent, reused when present; ``latency_ms``: every SSH
        command's answer is delayed by that much."""
        self.inventory = Path(inventory)
        #: every line, exec request and web call the devices received (also in ``log``)
        self.log = ReceivedLog(log)
        self.hosts = lab_inventory.load_hosts(self.inventory, site, devices, sites)
        self.host_keys = HostKeyFolder(host_keys)
        self.bind = bind
        self.ephemeral_ports = ephemeral_ports
        self.latency_ms = latency_ms
        self.endpoints: list[Endpoint] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._network: Network | None = None

    def start(self) -> Lab:
        """Start every device; returns when each one listens (raises if one cannot)."""
        if self._thread is not None:
            raise RuntimeError("this lab is already running")
        loop = asyncio.new_event_loop()
        network = Network(
            self.hosts, self.bind, self.ephemeral_ports, self.log, self.host_keys, self.latency_ms
        )
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(network.start())
            except BaseException as exc:  # reported to the caller of start()
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(network.stop())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        self._thread = threading.Thread(target=run, name="fleetaudit-lab", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            self._thread = None
            raise failure[0]
        self._loop, self._network = loop, network
        self.endpoints = list(network.endpoints)
        return self

    def stop(self) -> None:
        """Close every listener and connection; returns when the lab's thread ended."""
        if self._thread is None or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._thread = self._loop = self._network = None

    def __enter__(self) -> Lab:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def set_output(self, name: str, command: str, text: str) -> None:
        """From now on, device ``name`` answers ``command`` with ``text`` — a scenario
        change between two runs (e.g. a firmware upgrade turned SIP ALG back on).
        Devices that share its fixtures (its bench clones) answer the same."""
        if self._loop is None or self._network is None:
            raise RuntimeError("start the lab before changing what it answers")
        host = next((h for h in self.hosts if h.name == name), None)
        if host is None:
            raise KeyError(f"the lab serves no device {name!r}")
        outputs = self._network.fixtures(host.fixtures).outputs
        slug = command_slug(command)
        self._loop.call_soon_threadsafe(outputs.__setitem__, slug, crlf(text))

    def traffic(self, name: str) -> Traffic:
        """What device ``name``'s SSH server has seen so far (a copy)."""
        if self._network is None:
            raise RuntimeError("start the lab before asking what it saw")
        return replace(self._network.traffic[name])

    @property
    def received(self) -> list[dict[str, object]]:
        """What the devices received so far: one entry per line (see ``ReceivedLog``)."""
        return list(self.log.entries)

    def port(self, name: str) -> int:
        return next(e.port for e in self.endpoints if e.name == name)

    def write_inventory(self, dest: Path) -> Path:
        """A copy of the inventory pointing at the ports the lab really uses; returns dest."""
        if not self.endpoints:
            raise RuntimeError("start the lab before writing its inventory")
        ports = {e.name: e.port for e in self.endpoints}
        return lab_inventory.write_inventory(
            self.inventory, Path(dest), self.hosts, ports, client_address(self.bind)
        )


def serve_forever(
    inventory: Path,
    site: str | None,
    devices: int,
    emit: Callable[[str], None],
    bind: str = "127.0.0.1",
    log: Path | None = None,
    host_keys: Path | None = None,
    inventory_out: Path | None = None,
    latency_ms: float = 0.0,
    ephemeral_ports: bool = False,
    sites: int = 1,
) -> None:
    """Foreground: start, emit ``"name  platform  address:port"`` per device as it starts
    listening, then run until KeyboardInterrupt/SIGTERM, and shut down cleanly. With
    ``log``, every line a device receives is appended to it as JSON (``ReceivedLog``);
    ``host_keys``: as for :class:`Lab`. With ``inventory_out``, a Nornir inventory of
    the served devices at the ports they listen on is written there before ``ready``;
    ``latency_ms`` delays every SSH command's answer; ``sites``: the clones' site count."""
    hosts = lab_inventory.load_hosts(Path(inventory), site, devices, sites)
    received = ReceivedLog(log, keep=False)
    keys = HostKeyFolder(host_keys)

    def announce(endpoint: Endpoint) -> None:
        emit(f"{endpoint.name}  {endpoint.platform}  {endpoint.address}:{endpoint.port}")

    async def main() -> None:
        network = Network(hosts, bind, ephemeral_ports, received, keys, latency_ms)
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, stopping.set)
        await network.start(announce)
        try:
            if inventory_out is not None:
                ports = {e.name: e.port for e in network.endpoints}
                lab_inventory.write_inventory(
                    Path(inventory), inventory_out, hosts, ports, client_address(bind)
                )
                emit(f"inventory: {inventory_out}")
            emit(f"ready: {len(network.endpoints)} devices")
            await stopping.wait()
        finally:
            await network.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
