"""SSH plumbing: one asyncssh listener per device, all on one asyncio loop, and faults.

The session splits input into lines (CR, LF and CRLF are each one line end), echoes
what is typed like a terminal does (not passwords), logs each line in the lab's
:class:`ReceivedLog` judged against the platform's read-only set, hands it to the
device's shell (or, for a violation, has the shell refuse it) and writes its reply.
Faults from ``data.lab.fault`` are played here.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import asyncssh

from fleetaudit.errors import UsageError
from fleetaudit.lab.fixtures import Fixtures
from fleetaudit.lab.inventory import LabHost
from fleetaudit.lab.keys import HostKeyFolder
from fleetaudit.lab.received import PASSWORD, ReceivedLog, Via, violation
from fleetaudit.lab.shell import Reply, Shell
from fleetaudit.platforms import get, load
from fleetaudit.platforms.grammar import cisco_show_only

DEFAULT_VERSION = "fleetaudit-lab"  # for a platform that declares no lab_ssh_version


class HttpDevice(Protocol):
    """What the lab needs of an HTTP platform's simulated device (its ``Platform.lab``)."""

    async def start(self, bind: str, port: int) -> asyncio.Server: ...

    def close_connections(self) -> None: ...


class LabError(UsageError):
    """The lab could not start (a port is taken, the address cannot be bound)."""


@dataclass(frozen=True)
class Endpoint:
    name: str
    platform: str
    site: str | None
    address: str
    port: int


def client_address(bind: str) -> str:
    """Where clients connect: a wildcard bind is reached on loopback."""
    return {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(bind, bind)


@dataclass
class Traffic:
    """What one device's SSH server saw: tests prove with it that a refused session
    never reached authentication."""

    connections: int = 0  # SSH connections accepted (key exchange may follow)
    auth_requests: int = 0  # connections that asked to authenticate (a user name sent)
    passwords: int = 0  # password and keyboard-interactive answers received


def _same_command(line: str, command: str | None) -> bool:
    return command is not None and " ".join(line.split()) == command


#: session settings other tools send at set-up that IOS/ASA accept in EXEC mode and that
#: change nothing on the device (Ansible's ASA plugin: ``no terminal pager``; its IOS
#: plugin: ``terminal width 512``): answered as a device does, and still logged, with
#: the reason, when our read-only grammar does not allow them
_PEER_SESSION_LINE = re.compile(r"(?:no\s+)?term(?:i(?:n(?:a(?:l)?)?)?)?\s+\S.*", re.IGNORECASE)


def peer_session_line(platform: str, line: str) -> bool:
    """A terminal setting (``[no] terminal …``) a Cisco device (a platform read through
    the ``show`` grammar: IOS, ASA) accepts in EXEC."""
    return get(platform).read_only is cisco_show_only and bool(
        _PEER_SESSION_LINE.fullmatch(line.strip())
    )


class _Session(asyncssh.SSHServerSession[str]):
    def __init__(
        self, host: LabHost, shell: Shell, log: ReceivedLog, latency_s: float = 0.0
    ) -> None:
        self._host = host
        self._shell = shell
        self._log = log
        self._latency_s = latency_s
        # actions waiting for their time (``--latency``), in the order they were queued:
        # asyncio runs timers due at the same instant in no set order, which let a channel's
        # exit overtake the output queued before it (an empty answer under load)
        self._waiting: deque[tuple[float, Callable[[], object]]] = deque()
        self._due = 0.0  # loop time of the last action queued
        self._chan: asyncssh.SSHServerChannel[str] | None = None
        self._exec: str | None = None
        self._line: list[str] = []
        self._after_cr = False
        self._stuck = False  # a hung command: the device answers nothing any more

    def connection_made(self, chan: asyncssh.SSHServerChannel[str]) -> None:
        self._chan = chan

    def pty_requested(self, *args: object) -> bool:
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self._exec = command
        return True

    def session_started(self) -> None:
        if self._exec is None:
            self._write(self._shell.greeting())
            return
        reason = self._receive(self._exec, "exec")
        if reason is not None:
            reply = self._shell.refused(self._exec, interactive=False)
        else:
            reply = self._shell.execute(self._exec)
        if self._play_fault(self._exec, reply, ""):
            return
        self._write(reply.body, self._latency_s)
        self._send(lambda: self._chan.exit(reply.status) if self._chan is not None else None)

    def data_received(self, data: str, datatype: asyncssh.DataType) -> None:
        out: list[str] = []
        for char in data:
            if self._stuck:
                return
            if self._after_cr:
                self._after_cr = False
                if char == "\n":
                    continue  # CRLF is one line end
            if char in "\r\n":
                self._after_cr = char == "\r"
                line = "".join(self._line)
                self._line.clear()
                out.append("\r\n")
                if not self._handle(line, out):
                    return
            elif char in "\x7f\x08":
                if self._line:
                    self._line.pop()
                    if self._shell.echo:
                        out.append("\b \b")
            elif char >= " " or char == "\t":
                self._line.append(char)
                if self._shell.echo:
                    out.append(char)
        self._write("".join(out))

    def _handle(self, line: str, out: list[str]) -> bool:
        """Run one line; False when the session ended or stalled (``out`` is flushed)."""
        fault_possible = self._shell.echo
        delay = self._latency_s if line.strip() and not self._shell.answering else 0.0
        if self._receive(line, "shell") is not None:
            if not peer_session_line(self._host.platform, line):
                refused = self._shell.refused(line, interactive=True)
                self._reply(out, refused.body + refused.prompt, delay)
                return True
            self._reply(out, self._shell.prompt(), delay)  # accepted, as by a device
            return True
        reply = self._shell.line(line)
        if fault_possible and self._play_fault(line, reply, "".join(out)):
            return False
        self._reply(out, reply.body + reply.prompt, delay)
        if reply.close:
            self._write("".join(out))
            out.clear()
            self._send(lambda: self._chan.exit(0) if self._chan is not None else None)
            return False
        return True

    def _reply(self, out: list[str], text: str, delay: float) -> None:
        """Queue ``text`` after what ``out`` holds; with latency, it leaves ``delay`` later."""
        if not delay:
            out.append(text)
            return
        self._write("".join(out))
        out.clear()
        self._write(text, delay)

    def _receive(self, line: str, via: Via) -> str | None:
        """Log ``line``; the reason it is outside the read-only set, or ``None``.

        An answer to an open login/enable prompt is the dialogue's, not a command; a
        password is logged as ``<password>``.
        """
        if self._shell.answering:
            self._log.record(
                self._host.name,
                self._host.platform,
                via,
                line if self._shell.echo else PASSWORD,
            )
            return None
        reason = violation(self._host.platform, line)
        self._log.record(self._host.name, self._host.platform, via, line, reason)
        return reason

    def _play_fault(self, line: str, reply: Reply, pending: str) -> bool:
        fault = self._host.fault
        if fault not in ("hang", "drop") or not _same_command(line, self._host.fault_command):
            return False
        if fault == "hang":
            self._write(pending)
            self._stuck = True
            return True
        self._write(pending + reply.body[: len(reply.body) // 2], self._latency_s)
        self._send(self._abort)
        return True

    def _abort(self) -> None:
        if self._chan is not None:
            self._chan.get_extra_info("connection").abort()

    def _write(self, text: str, delay: float = 0.0) -> None:
        if text:
            self._send(lambda: self._emit(text), delay)

    def _emit(self, text: str) -> None:
        if self._chan is not None and not self._chan.is_closing():
            self._chan.write(text)

    def _send(self, action: Callable[[], object], delay: float = 0.0) -> None:
        """Run ``action`` ``delay`` seconds after the last one queued (``--latency``), never
        before it; at once when nothing waits, so a lab without latency behaves as before."""
        loop = asyncio.get_running_loop() if self._latency_s else None
        if loop is None:
            action()
            return
        due = max(self._due, loop.time()) + delay
        self._due = due
        if not self._waiting and due <= loop.time():
            action()
            return
        self._waiting.append((due, action))
        if len(self._waiting) == 1:
            loop.call_at(due, self._run_due)

    def _run_due(self) -> None:
        """Run the waiting actions whose time came, in order; wait for the next one."""
        loop = asyncio.get_running_loop()
        while self._waiting and self._waiting[0][0] <= loop.time():
            _, action = self._waiting.popleft()
            action()
        if self._waiting:
            loop.call_at(self._waiting[0][0], self._run_due)

    def connection_lost(self, exc: Exception | None) -> None:
        self._chan = None


class _Server(asyncssh.SSHServer):
    def __init__(
        self,
        host: LabHost,
        fixtures: Fixtures,
        live: set[asyncssh.SSHServerConnection],
        log: ReceivedLog,
        traffic: Traffic,
        latency_s: float = 0.0,
    ) -> None:
        self._host = host
        self._fixtures = fixtures
        self._live = live
        self._log = log
        self._traffic = traffic
        self._latency_s = latency_s
        self._conn: asyncssh.SSHServerConnection | None = None
        self._user = ""

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        self._live.add(conn)
        self._traffic.connections += 1

    def connection_lost(self, exc: Exception | None) -> None:
        if self._conn is not None:
            self._live.discard(self._conn)

    def begin_auth(self, username: str) -> bool:
        self._traffic.auth_requests += 1
        return True

    def _check(self, username: str, password: str) -> bool:
        self._traffic.passwords += 1
        if self._host.fault == "wrong_password":
            return False
        user = shell_class(self._host.platform).login_name(username)
        if user == self._host.username and password == self._host.password:
            self._user = user
            return True
        return False

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return self._check(username, password)

    def kbdint_auth_supported(self) -> bool:
        return True

    def get_kbdint_challenge(
        self, username: str, lang: str, submethods: str
    ) -> tuple[str, str, str, list[tuple[str, bool]]]:
        return "", "", "", [("Password: ", False)]

    def validate_kbdint_response(self, username: str, responses: Sequence[str]) -> bool:
        return len(responses) == 1 and self._check(username, responses[0])

    def session_requested(self) -> _Session:
        shell = shell_class(self._host.platform)(self._host, self._fixtures, self._user)
        return _Session(self._host, shell, self._log, self._latency_s)


def shell_class(platform: str) -> type[Shell]:
    reference = get(platform).lab
    if reference is None:
        raise LabError(f"the lab cannot simulate platform {platform}")
    shell: type[Shell] = load(reference)
    return shell


def free_port(address: str) -> int:
    """A port nothing listens on right now (for a ``closed`` host on ephemeral ports)."""
    with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as sock:
        sock.bind((address, 0))
        return int(sock.getsockname()[1])


class Network:
    """Every device's listener on one loop; ``start`` returns once all of them listen."""

    def __init__(
        self,
        hosts: list[LabHost],
        bind: str,
        ephemeral_ports: bool,
        log: ReceivedLog | None = None,
        host_keys: HostKeyFolder | None = None,
        latency_ms: float = 0.0,
    ) -> None:
        """``latency_ms``: every SSH command's answer is delayed by that much."""
        self.hosts = hosts
        self.latency_s = latency_ms / 1000
        self.bind = bind
        self.ephemeral_ports = ephemeral_ports
        self.log = log if log is not None else ReceivedLog()
        self.host_keys = host_keys or HostKeyFolder()
        self.traffic: dict[str, Traffic] = {h.name: Traffic() for h in hosts}
        self.endpoints: list[Endpoint] = []
        self._listeners: list[asyncssh.SSHAcceptor | asyncio.Server] = []
        self._live: set[asyncssh.SSHServerConnection] = set()
        self._silent: set[asyncio.StreamWriter] = set()
        self._fixtures: dict[Path, Fixtures] = {}
        self._phones: list[HttpDevice] = []

    def fixtures(self, directory: Path) -> Fixtures:
        if directory not in self._fixtures:
            self._fixtures[directory] = Fixtures.load(directory)
        return self._fixtures[directory]

    async def start(self, on_listen: Callable[[Endpoint], None] | None = None) -> None:
        try:
            for host in self.hosts:
                endpoint = await self._listen(host)
                self.endpoints.append(endpoint)
                if on_listen is not None:
                    on_listen(endpoint)
        except BaseException:
            await self.stop()
            raise

    async def _listen(self, host: LabHost) -> Endpoint:
        if host.port is None and not self.ephemeral_ports:
            raise LabError(f"{host.name}: no port in the inventory; give it a `port:`")
        port = 0 if self.ephemeral_ports else int(host.port or 0)
        listener: asyncssh.SSHAcceptor | asyncio.Server
        try:
            if host.fault == "closed":
                return self._endpoint(host, port or free_port(self.bind))
            platform = get(host.platform)
            if platform.transport == "http":  # answers HTTP(S), not SSH
                phone: HttpDevice = load(platform.lab or "")(
                    host, self.fixtures(host.fixtures), self.log
                )
                self._phones.append(phone)
                listener = await phone.start(self.bind, port)
            elif host.fault == "no_banner":
                listener = await asyncio.start_server(self._silent_client, self.bind, port)
            else:
                fixtures = self.fixtures(host.fixtures)
                live, log, traffic = self._live, self.log, self.traffic[host.name]
                latency = self.latency_s
                listener = await asyncssh.create_server(
                    lambda: _Server(host, fixtures, live, log, traffic, latency),
                    self.bind,
                    port,
                    server_host_keys=[self.host_keys.key(host.name)],
                    server_version=get(host.platform).lab_ssh_version or DEFAULT_VERSION,
                    line_editor=False,
                    allow_scp=False,
                    agent_forwarding=False,
                    x11_forwarding=False,
                    login_timeout=30,
                )
        except OSError as exc:
            raise LabError(
                f"{host.name}: cannot listen on {self.bind}:{port} ({exc.strerror or exc}); "
                "free the port or pick another (--devices / ephemeral ports)"
            ) from exc
        self._listeners.append(listener)
        sockets = listener.sockets or ()
        return self._endpoint(host, int(sockets[0].getsockname()[1]) if sockets else port)

    def _endpoint(self, host: LabHost, port: int) -> Endpoint:
        return Endpoint(host.name, host.platform, host.site, client_address(self.bind), port)

    async def _silent_client(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """``no_banner``: accept the connection, read whatever comes, never say a word."""
        self._silent.add(writer)
        try:
            while await reader.read(4096):
                pass
        except OSError:
            pass
        finally:
            self._silent.discard(writer)
            writer.close()

    async def stop(self) -> None:
        for listener in self._listeners:
            listener.close()
        for conn in list(self._live):
            conn.abort()
        for writer in list(self._silent):
            writer.close()
        for phone in self._phones:
            phone.close_connections()
        for listener in self._listeners:
            await listener.wait_closed()
        self._listeners.clear()
