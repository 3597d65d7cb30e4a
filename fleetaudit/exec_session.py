"""Collect a host over SSH exec channels: one asyncssh connection, each read-only command
on its own channel (``ssh host "<command>"``), its whole output read when the channel
closes. For platforms that declare :class:`~fleetaudit.platforms.base.ExecChannels`
(a Linux host's commands, a router's ``/export``): no prompt to find, no echo to strip,
no polling sleeps, and up to ``at_once`` commands in flight, so a slow device costs one
round trip per command rather than one per line of an interactive dialogue.

Read-only by construction: :func:`open_read_only_channel` is the only way a channel is
opened here, and it judges the command with the platform's grammar first; nothing else
is ever sent (no shell, no set-up line, no log-out line). The host key is checked as the
netmiko path checks it (:class:`~fleetaudit.hostkeys.AsyncsshGuard`), before any
credential is sent. Every way a device fails is a host status, as in
:mod:`fleetaudit.collect`; the evidence is the text the interactive path gives.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncssh
from nornir.core.inventory import Host

from fleetaudit.channel_guard import NotReadOnly
from fleetaudit.evidence import Evidence, EvidenceStatus, HostCollection
from fleetaudit.hostkeys import AsyncsshGuard, Guard
from fleetaudit.judgement import judged
from fleetaudit.model import HostStatus
from fleetaudit.platforms import Platform
from fleetaudit.platforms.base import ExecChannels
from fleetaudit.templates import templates_for

#: AES-GCM first (AES-NI; asyncssh's chacha20-poly1305, its default, builds three cipher
#: contexts per packet and was a third of a host's CPU), then asyncssh's usual order
CIPHERS = ("aes128-gcm@openssh.com", "aes256-gcm@openssh.com")

#: what a dropped connection leaves in a command's evidence (the netmiko path's words)
SESSION_LOST = "session lost: the device closed the connection mid-output"


class _SharedLoop:
    """One event loop in a daemon thread runs every host's exec connection; Nornir's
    threads only wait for their host's result. A loop per host thread had fifty loops
    contending for the GIL with the netmiko threads (a tenth more CPU per audit). A
    process forked after the loop started (a Celery pool) makes its own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid = 0

    def get(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                loop = asyncio.new_event_loop()
                loop.set_default_executor(
                    _OptionsInline(thread_name_prefix="fleetaudit-exec-executor")
                )
                thread = threading.Thread(
                    target=loop.run_forever, name="fleetaudit-exec-channels", daemon=True
                )
                thread.start()
                self._loop, self._pid = loop, os.getpid()
            return self._loop


class _OptionsInline(ThreadPoolExecutor):
    """The shared loop's default executor. asyncssh builds each connection's options in
    the loop's executor, as they may read files (an OpenSSH config, key files, an
    agent): ours name none of them (see :func:`_collect`), so building them is a little
    CPU and a few ``stat`` calls, which cost less done at once on the loop than handed to
    a thread and back. Anything else (a DNS lookup) still runs in a thread."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if not (
            isinstance(fn, functools.partial) and fn.func is asyncssh.SSHClientConnectionOptions
        ):
            return super().submit(fn, *args, **kwargs)
        done: Future[Any] = Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting connect
            done.set_exception(exc)
        return done


_SHARED = _SharedLoop()


def _quiet_asyncssh() -> None:
    """asyncssh logs each channel's opening, exit status and close at INFO (with "Auth
    for user ... succeeded"): thousands of lines per audit in a worker's log, and
    CPU. Its warnings stay; a level the user set on the ``asyncssh`` logger is kept."""
    logger = logging.getLogger("asyncssh")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.WARNING)
    _log_only_when_enabled()


def _log_only_when_enabled() -> None:
    """asyncssh's logger turns every argument of a log call into text before it asks
    whether the level is logged at all (``SSHLogger.log``): a debug line per channel
    opened, a few per connection, nearly all dropped, and 2 % of an audit's CPU. The
    same question asked first; what is logged is unchanged."""
    from asyncssh.logging import SSHLogger

    formatting: Callable[..., None] = SSHLogger.log
    if getattr(formatting, "asks_level_first", False):
        return

    def log(self: SSHLogger, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        if self.isEnabledFor(level):
            formatting(self, level, msg, *args, **kwargs)

    log.asks_level_first = True  # type: ignore[attr-defined]
    SSHLogger.log = log  # type: ignore[method-assign]


class _Client(asyncssh.SSHClient):
    """Sees the connection come and go, and asks the host-key guard about unknown keys."""

    def __init__(self, keys: AsyncsshGuard | None) -> None:
        self.keys = keys
        self.connection: asyncssh.SSHClientConnection | None = None
        self.lost = False

    def connection_made(self, conn: asyncssh.SSHClientConnection) -> None:
        self.connection = conn

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True

    def validate_host_public_key(self, host: str, addr: str, port: int, key: Any) -> bool:
        return self.keys is not None and self.keys.validate(key)

    def banner_came(self) -> bool:
        conn = self.connection
        return conn is not None and conn.get_extra_info("server_version") is not None


class _Output(asyncssh.SSHClientSession[str]):
    """One exec channel's answer: what it printed (stdout, then stderr), and whether it
    ended with an exit status or signal (a channel cut off by a dropped connection does
    not)."""

    def __init__(self) -> None:
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.exited = False

    def data_received(self, data: str, datatype: asyncssh.DataType) -> None:
        (self.stderr if datatype == asyncssh.EXTENDED_DATA_STDERR else self.stdout).append(data)

    def exit_status_received(self, status: int) -> None:
        self.exited = True

    def exit_signal_received(self, signal: str, core_dumped: bool, msg: str, lang: str) -> None:
        self.exited = True

    def text(self) -> str:
        return "".join(self.stdout) + "".join(self.stderr)


async def open_read_only_channel(
    conn: asyncssh.SSHClientConnection, platform: Platform, command: str
) -> tuple[asyncssh.SSHClientChannel[str], _Output]:
    """An exec channel running ``command``, opened only once the platform's read-only
    grammar allows it (else :class:`NotReadOnly`, and nothing reaches the device): the
    one way this module opens a channel."""
    reason = platform.read_only(command)
    if reason is not None:
        raise NotReadOnly(reason, command)
    channel, session = await conn.create_session(
        _Output, command, encoding="utf-8", errors="replace"
    )
    assert isinstance(session, _Output)
    return channel, session


@dataclass
class _Run:
    """One host's commands on one connection: stops opening channels once one hangs or
    the connection is gone (what follows would fail the same way)."""

    conn: asyncssh.SSHClientConnection
    client: _Client
    host: str
    platform: Platform
    timeout: float
    stuck: bool = False

    async def commands(self, commands: Sequence[str], at_once: int) -> dict[str, Evidence]:
        """Each command's evidence, in order, from ``at_once`` channels at a time (a
        command not run is missing). A few lanes take the commands in turn: no task and
        no wait on a semaphore per command."""
        found: dict[str, Evidence] = {}
        waiting = iter(commands)  # shared by the lanes: each command is taken once

        async def lane() -> None:
            for command in waiting:
                if self.stuck:
                    return  # not run
                found[command] = await self._run(command)

        await asyncio.gather(*(lane() for _ in range(max(1, min(at_once, len(commands))))))
        return {c: found[c] for c in commands if c in found}

    async def _run(self, command: str) -> Evidence:
        started, clock = _now(), time.monotonic()
        name = self.platform.name

        def failed(status: EvidenceStatus, error: str) -> Evidence:
            if status in ("timeout", "error"):
                self.stuck = True
            duration = time.monotonic() - clock
            return Evidence(self.host, name, command, status, "", started, duration, error)

        try:
            channel, answer = await open_read_only_channel(self.conn, self.platform, command)
        except NotReadOnly as exc:  # a template's command: refused, never sent
            return failed("rejected", str(exc))
        except (asyncssh.Error, OSError) as exc:
            if self.client.lost:
                return failed("error", SESSION_LOST)
            return failed("error", f"the device refused an exec channel: {_text(exc)}")
        try:
            async with asyncio.timeout(self.timeout):  # (wait_for: a task per command)
                await channel.wait_closed()
        except TimeoutError:
            channel.close()
            return failed("timeout", f"no end of output after {self.timeout:g} s")
        if self.client.lost and not answer.exited:
            return failed("error", SESSION_LOST)  # cut off: no exit status came
        # what a terminal shows: the output, then what went to stderr (cat's "No such
        # file", a shell's "command not found"); the platform's refusal texts judge it,
        # as they judge the interactive answer (an exit status is not seen there)
        text = answer.text()
        output = _exec_of(self.platform).as_read(text)
        status, error = judged(output, name, command)
        duration = time.monotonic() - clock
        return Evidence(
            self.host, name, command, status, output, started, duration, error, judged=True
        )


def _ciphers() -> list[str]:
    from asyncssh.encryption import get_default_encryption_algs

    return list(dict.fromkeys([*CIPHERS, *(a.decode() for a in get_default_encryption_algs())]))


def _exec_of(platform: Platform) -> ExecChannels:
    assert platform.exec_channels is not None
    return platform.exec_channels


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _text(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


async def _collect(
    host: Host,
    platform: Platform,
    commands: Sequence[str],
    guard: Guard | None,
    connect_timeout: float,
    command_timeout: float,
) -> dict[str, Evidence]:
    hostname, port = str(host.hostname), int(host.port or 22)
    keys = AsyncsshGuard(guard, hostname, port) if guard is not None else None
    client = _Client(keys)
    exec_channels = _exec_of(platform)
    try:
        conn, _ = await asyncssh.create_connection(
            lambda: client,
            hostname,
            port,
            username=f"{host.username}{exec_channels.login_options}",
            password=host.password,
            known_hosts=keys.known_hosts() if keys is not None else None,
            server_host_key_algs=keys.host_key_algorithms() if keys is not None else (),
            preferred_auth="password,keyboard-interactive",
            client_keys=None,  # as netmiko: no key files, no agent, no ~/.ssh/config
            agent_path=None,
            config=[],
            gss_host=None,
            x509_trusted_certs=None,
            x509_trusted_cert_paths=[],  # no ~/.ssh/crt look-up per connection
            connect_timeout=connect_timeout,
            encryption_algs=_ciphers(),
        )
    except BaseException as exc:
        raise _Failed(_connection_failure(exc, client, keys, f"{hostname}:{port}")) from exc
    run = _Run(conn, client, host.name, platform, command_timeout)
    try:
        return await run.commands(commands, exec_channels.at_once)
    finally:
        if run.stuck:
            conn.abort()  # a hung channel is not waited on
        else:
            conn.close()
        await conn.wait_closed()


class _Failed(Exception):
    def __init__(self, failure: tuple[HostStatus, str]) -> None:
        super().__init__(failure[1])
        self.failure = failure


def _connection_failure(
    exc: BaseException, client: _Client, keys: AsyncsshGuard | None, address: str
) -> tuple[HostStatus, str]:
    """The status a failed connection gives, and why: the netmiko path's words."""
    if keys is not None and keys.refused is not None:
        return "host_key_mismatch", str(keys.refused)
    if isinstance(exc, asyncssh.PermissionDenied):
        return "auth_failed", f"{address}: authentication failed: check the username/password"
    if isinstance(exc, TimeoutError):
        if not client.banner_came():
            return "timeout", f"{address}: no SSH answer in time: the SSH banner never came"
        return "timeout", f"{address}: no SSH answer in time: the SSH handshake did not end"
    if isinstance(exc, ConnectionRefusedError) or "refused" in str(exc).lower():
        return "unreachable", (
            f"{address}: connection refused or no route: TCP connection to device failed."
        )
    if isinstance(exc, OSError):
        return "unreachable", f"{address}: {_text(exc)}"
    return "unreachable", f"{address}: {type(exc).__name__}: {_text(exc)}"


def collect_over_exec(
    host: Host,
    found: HostCollection,
    template_dirs: tuple[Path, ...],
    guard: Guard | None,
    connect_timeout: float,
    command_timeout: float,
) -> bool:
    """Collect ``host`` (of a platform with ``exec_channels``) into ``found``: every
    command's evidence in template order (a command not run is missing), and True; or
    the status of the connection that failed, and False. Runs on the shared event loop;
    the calling thread waits."""
    from fleetaudit import platforms

    _quiet_asyncssh()
    platform = platforms.get(found.platform)
    commands = [t.command for t in templates_for(found.platform, found.role, template_dirs)]
    try:
        running = asyncio.run_coroutine_threadsafe(
            _collect(host, platform, commands, guard, connect_timeout, command_timeout),
            _SHARED.get(),
        )
        found.evidence = running.result()
    except _Failed as failed:
        found.status, found.error = failed.failure
        return False
    return True
