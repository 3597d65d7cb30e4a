"""Collect stage: the only code that touches the network.

One Nornir task per host opens one SSH session (through the napalm driver its platform
names, which then runs any getter a platform declares as a source over the same
session; netmiko otherwise), runs the read-only commands its platform's templates
declare, and returns every output as
:class:`Evidence`. A device that cannot be reached, refuses the password, hangs or drops
the session becomes a host status; nothing here raises past the task.
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from netmiko import BaseConnection
from netmiko.exceptions import (
    NetmikoAuthenticationException,
    NetmikoTimeoutException,
    ReadTimeout,
)
from nornir.core import Nornir
from nornir.core.inventory import Host
from nornir.core.task import Result, Task
from paramiko.ssh_exception import SSHException

from fleetaudit import channel_guard, platforms
from fleetaudit.channel_guard import NotReadOnly
from fleetaudit.evidence import Evidence, EvidenceStatus, HostCollection
from fleetaudit.hostkeys import Guard, HostKeySettings, Verifier
from fleetaudit.inventory import enable_secret, site_of, timeouts_of
from fleetaudit.judgement import judged
from fleetaudit.model import HostStatus
from fleetaudit.normalisers import sources_for
from fleetaudit.sanitize import scrub, scrub_collection
from fleetaudit.templates import templates_for

#: an HTTP platform's ``Platform.collector``: (host, site, connect timeout, command timeout)
HttpCollector = Callable[[Host, str | None, float, float], HostCollection]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _connection_failure(exc: BaseException, address: str) -> tuple[HostStatus, str]:
    """The status a failed connection gives, and why, naming the ``host:port`` tried."""
    status, why = _failure(exc)
    return status, f"{address}: {why}"


def _failure(exc: BaseException) -> tuple[HostStatus, str]:
    if type(exc).__name__ == "ConnectionException" and exc.__context__ is not None:
        exc = exc.__context__  # napalm hides netmiko's reason behind "Cannot connect"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, NotReadOnly):
        return "unreachable", f"session set-up refused by the read-only guard: {text}"
    if isinstance(exc, NetmikoAuthenticationException):
        return "auth_failed", "authentication failed: check the username/password"
    lowered = str(exc).lower()
    if any(
        w in lowered
        for w in ("refused", "no route", "unreachable", "tcp connection to device failed")
    ):
        return "unreachable", f"connection refused or no route: {text}"
    if "banner" in lowered or "timed out" in lowered or isinstance(exc, NetmikoTimeoutException):
        if "banner" in lowered:  # no banner at all (see channel_guard.BannerAwareClient)
            reason = "the SSH banner never came"
        elif "no existing session" in lowered:  # a banner, then no key exchange in time
            reason = "the SSH key exchange did not finish"
        else:
            reason = text
        return "timeout", f"no SSH answer in time: {reason}"
    if isinstance(exc, OSError):
        return "unreachable", text
    return "unreachable", f"{type(exc).__name__}: {text}"


def _open(
    task: Task, connect_timeout: float, command_timeout: float, guard: Guard | None
) -> tuple[BaseConnection, Any]:
    """An SSH session to the host, and its napalm driver where the platform has one; the
    session ends before authentication when ``guard`` refuses the host key."""
    host = task.host
    args: dict[str, Any] = {
        "host": host.hostname,
        "port": host.port or 22,
        "username": host.username,
        "password": host.password,
        "conn_timeout": connect_timeout,
        "banner_timeout": connect_timeout,
        "auth_timeout": connect_timeout,
        "read_timeout_override": None,
        "fast_cli": True,
    }
    secret = enable_secret(host)
    if secret:
        args["secret"] = secret
    platform = platforms.get(str(host.platform))
    args.update(platform.connection_options)
    driver_name = platform.napalm_driver
    if driver_name is None or not napalm_getters(platform.name, host.get("role")):
        device_type = platform.netmiko_device_type or platform.name
        if driver_name is not None:
            args["timeout"] = int(max(command_timeout, 1))  # as the napalm driver passes it
        connection = channel_guard.connect(platform, device_type, host_key_guard=guard, **args)
        if driver_name is not None:
            # No napalm getter to run: its driver would only open this same guarded
            # netmiko session and enter enable mode, at the cost of importing napalm
            # (a quarter of a run's memory and half a second of CPU).
            connection.enable()
        return connection, None
    from fleetaudit.napalm_drivers import get_network_driver

    # Built per host, never shared: nornir_napalm 0.6 writes a host's port into the
    # optional_args dict it is given, which leaks across hosts of a group.
    optional = {k: v for k, v in args.items() if k not in ("host", "username", "password")}
    driver = get_network_driver(driver_name)(
        hostname=host.hostname,
        username=host.username,
        password=host.password,
        timeout=int(max(command_timeout, 1)),
        optional_args=optional,
    )
    channel_guard.guard_napalm(driver, platform, host_key_guard=guard)
    driver.open()
    return driver.device, driver


def napalm_getters(platform: str, role: str | None) -> list[str]:
    """The napalm getters a host's facts need: declared as sources by the normalisers
    that read them (``napalm get_facts``)."""
    return [s.command for s in sources_for(platform, role) if s.command.startswith("napalm ")]


def prompt_pattern(prompt: str) -> str | None:
    r"""What ends every answer: the session's prompt, alone at a line's start — so a
    configuration line that merely names the host (``hostname gw1``) never ends it.

    >>> prompt_pattern("gw1#")
    '(?m)^gw1\\#'
    >>> prompt_pattern("[admin@rtr1] > ")
    '(?m)^\\[admin@rtr1\\]\\ >'
    >>> prompt_pattern("  ") is None
    True
    """
    prompt = prompt.strip()
    return f"(?m)^{re.escape(prompt)}" if prompt else None


def base_prompt_pattern(base_prompt: str) -> str | None:
    r"""What ends every answer, from the base prompt netmiko read during set-up (the prompt
    without its terminator): it, alone at a line's start, then the terminator of any
    mode (``>`` or ``#`` on Cisco, `` >`` on RouterOS, ``$`` or ``#`` on Linux).

    >>> import re
    >>> ends = base_prompt_pattern("gw1")
    >>> [bool(re.search(ends, t)) for t in ("x\ngw1#", "x\ngw1>", "hostname gw1\n", "gw1-2#")]
    [True, True, False, False]
    >>> bool(re.search(base_prompt_pattern("[admin@rtr1]"), "x\n[admin@rtr1] > "))
    True
    >>> base_prompt_pattern("  ") is None
    True
    """
    base = base_prompt.strip()
    return f"(?m)^{re.escape(base)} ?[>#$%]" if base else None


def _known_prompt(connection: BaseConnection) -> str | None:
    """The prompt known once after set-up, so each command need not look for it again
    (netmiko otherwise sends a line end and waits for the prompt before every command).
    netmiko's set-up already read the base prompt: no probe of our own (each costs a
    round trip and a quarter-second sleep); without one, the prompt is found once."""
    known = base_prompt_pattern(str(getattr(connection, "base_prompt", "") or ""))
    if known is not None:
        return known
    try:
        return prompt_pattern(str(connection.find_prompt()))
    except Exception:  # noqa: BLE001 - no prompt known: each command finds it, as before
        return None


def without_stale_echo(output: str, command: str, prompt: str | None) -> str:
    r"""The output without a stray prompt and echo line at its top.

    netmiko's prompt probe sends a second line end when the first answer is slow (a busy
    device); the extra prompt then comes before the command's echo, which netmiko's
    ``strip_command`` leaves in place (it strips a first line holding the command only),
    so every line number of the output would be off.

    >>> without_stale_echo("\nfw1# show run\n: Saved\nhostname fw1", "show run", "(?m)^fw1\\#")
    ': Saved\nhostname fw1'
    >>> without_stale_echo(": Saved\nhostname fw1", "show run", "(?m)^fw1\\#")
    ': Saved\nhostname fw1'
    """
    if prompt is None:
        return output
    lines = output.split("\n", 3)
    for n, line in enumerate(lines[:3]):
        if re.match(prompt, line) and line.rstrip().endswith(command):
            if all(not before.strip() for before in lines[:n]):
                return output.split("\n", n + 1)[n + 1] if len(lines) > n + 1 else ""
            break
    return output


def _run_command(
    connection: BaseConnection,
    host: str,
    platform: str,
    command: str,
    timeout: float,
    expect: str | None = None,
) -> Evidence:
    started, clock = _now(), time.monotonic()

    def failed(status: EvidenceStatus, error: str) -> Evidence:
        return Evidence(
            host, platform, command, status, "", started, time.monotonic() - clock, error
        )

    refused = platforms.get(platform).read_only(command)
    if refused is not None:
        # the collector is read-only by construction: a template cannot make it configure
        return failed("rejected", f"not read-only: {refused}; fleetaudit never sends it")
    try:
        # cmd_verify stays on: reading up to the command's echo first swallows a stale
        # prompt (netmiko's prompt probes send a second line end when the first answer is
        # slow), which would otherwise end the answer before it began.
        read_show = getattr(connection, "read_show", None)  # fleetaudit.sessions'
        if read_show is not None and expect is not None:
            output = str(read_show(command, expect, timeout))
        else:
            output = str(
                connection.send_command(
                    command, read_timeout=timeout, strip_command=True, expect_string=expect
                )
            )
    except NotReadOnly as exc:  # the channel guard: nothing of it was written
        return failed("rejected", str(exc))
    except ReadTimeout:
        channel = getattr(connection, "remote_conn", None)
        if channel is not None and (
            getattr(channel, "closed", False) or getattr(channel, "eof_received", False)
        ):
            return failed("error", "session lost: the device closed the connection mid-output")
        return failed("timeout", f"no prompt after {timeout:g} s")
    except (OSError, EOFError, SSHException) as exc:
        return failed("error", f"session lost: {exc or type(exc).__name__}")
    output = without_stale_echo(output, command, expect)
    status, error = judged(output, platform, command)
    duration = time.monotonic() - clock
    return Evidence(host, platform, command, status, output, started, duration, error, judged=True)


def _run_getter(driver: Any, host: str, platform: str, command: str) -> Evidence:
    """Run the napalm getter ``command`` names (``napalm get_facts``) as evidence."""
    started, clock = _now(), time.monotonic()
    try:
        facts = getattr(driver, command.split()[-1])()
    except NotReadOnly as exc:  # the getter wanted to send a line the guard refused
        return Evidence(
            host, platform, command, "rejected", "", started, time.monotonic() - clock, str(exc)
        )
    except Exception as exc:  # napalm getters raise anything from parsing to socket errors
        return Evidence(
            host, platform, command, "error", "", started, time.monotonic() - clock, str(exc)
        )
    output = json.dumps(facts, indent=2, sort_keys=True, default=str)
    return Evidence(host, platform, command, "ok", output, started, time.monotonic() - clock)


NOT_VERIFIED = "warning: the SSH host key was not verified (host key policy off)"


def collect_task(
    task: Task,
    template_dirs: tuple[Path, ...] = (),
    host_keys: HostKeySettings | None = None,
    verifier: Verifier | None = None,
) -> Result:
    """Nornir task: collect one host. Its result is a :class:`HostCollection`."""
    host = task.host
    platform, role = str(host.platform), host.get("role")
    found = HostCollection(host.name, platform, site_of(host), role)
    connect_timeout, command_timeout = timeouts_of(host)
    declared = platforms.get(platform)
    if declared.transport == "http":  # answers over HTTP(S), not SSH
        collect_http: HttpCollector = platforms.load(declared.collector or "")
        return Result(
            host=host, result=collect_http(host, found.site, connect_timeout, command_timeout)
        )
    settings = host_keys or HostKeySettings()
    guard = (verifier or Verifier()).guard(settings)
    if declared.exec_channels is not None:  # each command on its own exec channel
        from fleetaudit.exec_session import collect_over_exec

        collected = collect_over_exec(
            host, found, template_dirs, guard, connect_timeout, command_timeout
        )
    else:
        collected = _collect_interactive(
            task, found, template_dirs, guard, connect_timeout, command_timeout
        )
    if collected:
        found.status, found.error = _summarise(found.evidence, platform, role, template_dirs)
        if guard is None:
            found.error = f"{found.error}; {NOT_VERIFIED}" if found.error else NOT_VERIFIED
    return Result(host=host, result=found)


def _collect_interactive(
    task: Task,
    found: HostCollection,
    template_dirs: tuple[Path, ...],
    guard: Guard | None,
    connect_timeout: float,
    command_timeout: float,
) -> bool:
    """Collect ``task.host`` over one interactive session (netmiko, with the napalm driver
    where a getter is declared) into ``found``: True, or False with the status of the
    connection that failed."""
    host, platform, role = task.host, found.platform, found.role
    try:
        connection, driver = _open(task, connect_timeout, command_timeout, guard)
    except Exception as exc:  # every way a connection fails is a status, not a crash
        refused = guard.refusal(exc) if guard is not None else None
        if refused is not None:
            found.status, found.error = "host_key_mismatch", refused
        else:
            address = f"{host.hostname}:{host.port or 22}"
            found.status, found.error = _connection_failure(exc, address)
        return False
    stuck = False
    try:
        for getter in napalm_getters(platform, role) if driver is not None else ():
            found.evidence[getter] = _run_getter(driver, host.name, platform, getter)
        expect = _known_prompt(connection)
        for template in templates_for(platform, role, template_dirs):
            item = _run_command(
                connection, host.name, platform, template.command, command_timeout, expect
            )
            found.evidence[template.command] = item
            if item.status in ("timeout", "error"):
                stuck = True
                break  # the session is stuck or gone: what follows cannot run
    finally:
        _close(connection, driver, graceful=not stuck)
    return True


def _close(connection: BaseConnection, driver: Any, graceful: bool) -> None:
    """Log out politely; a stuck or dropped session is torn down without waiting on it."""
    with contextlib.suppress(Exception):
        if not graceful:
            connection.paramiko_cleanup()
            return
        # The session never entered configuration mode (the channel guard refuses every
        # way in): log out without first probing for it, one round trip less per device.
        connection.check_config_mode = _never_config_mode  # type: ignore[method-assign]
        if driver is not None:
            driver.close()
        else:
            connection.disconnect()


def _never_config_mode(*_args: object, **_kwargs: object) -> bool:
    return False


def _summarise(
    evidence: dict[str, Evidence], platform: str, role: str | None, dirs: tuple[Path, ...]
) -> tuple[HostStatus, str | None]:
    expected = [t.command for t in templates_for(platform, role, dirs)]
    declared = platforms.get(platform)
    bad = [
        evidence[c]
        for c in expected
        if c in evidence and not declared.answered(evidence[c].status, evidence[c].output)
    ]
    missing = [c for c in expected if c not in evidence]
    if not bad and not missing:
        return "ok", None
    problems = [f"{e.command}: {e.status} ({e.error})" for e in bad]
    problems += [f"{c}: not run" for c in missing]
    if all(e.status == "timeout" for e in bad) and len(bad) == len(expected):
        return "timeout", "; ".join(problems)
    return "partial", "; ".join(problems)


class _Freezes:
    lock = threading.Lock()
    running = 0  # collections under way (a Celery worker may run more than one)


@contextlib.contextmanager
def _older_objects_frozen() -> Iterator[None]:
    """While hosts are collected, Python's cycle collector leaves alone every object that
    existed before (the modules imported, the inventory): the sessions allocate so much
    that it makes several full passes, each over all of them (4 % of collecting 1,000
    hosts). What becomes garbage meanwhile is collected as before; the older objects
    are handed back to it at the end."""
    with _Freezes.lock:
        if _Freezes.running == 0:
            gc.freeze()
        _Freezes.running += 1
    try:
        yield
    finally:
        with _Freezes.lock:
            _Freezes.running -= 1
            if _Freezes.running == 0:
                gc.unfreeze()


def collect(
    nornir: Nornir,
    template_dirs: tuple[Path, ...] = (),
    on_host_done: Callable[[HostCollection], None] | None = None,
    host_keys: Mapping[str, HostKeySettings] | None = None,
    digest: Callable[[HostCollection], HostCollection] | None = None,
) -> list[HostCollection]:
    """Run the collect task on every host of ``nornir``; results in inventory order.
    ``host_keys``: each host's host-key settings (default: accept-new, the default file).
    ``digest``: called in the host's thread once it is collected (and scrubbed); what it
    returns is what is kept of the host until the end (default: all of it)."""
    verifier = Verifier()  # each known_hosts file read once, shared by the threads

    def task(task: Task) -> Result:
        settings = (host_keys or {}).get(task.host.name)
        result = collect_task(task, template_dirs, settings, verifier)
        scrub_collection(result.result)  # the one place live evidence is scrubbed
        if on_host_done is not None:
            on_host_done(result.result)
        if digest is not None:
            result.result = digest(result.result)
        return result

    with _older_objects_frozen():
        aggregated = nornir.run(task=task, raise_on_error=False)
    collected = []
    for name, host in nornir.inventory.hosts.items():
        multi = aggregated[name]
        if multi and isinstance(multi[0].result, HostCollection):
            collected.append(multi[0].result)
        else:  # the task itself crashed: keep the host, with the reason
            error = str(multi[0].exception) if multi and multi[0].exception else "task failed"
            collected.append(
                HostCollection(
                    name,
                    str(host.platform),
                    site_of(host),
                    host.get("role"),
                    "unreachable",
                    f"collector error: {scrub(error)}",
                )
            )
    return collected
