"""The read-only guard on the SSH channel: the last check before a byte leaves.

Every line a netmiko connection sends, whoever asks for it (a template's command, netmiko's
own session set-up, a napalm getter, log-out), goes through ``write_channel``; netmiko has
no other way to write to an SSH session. The guarded connection checks each write there:
it must be whole lines, and each line must be

- empty (a bare RETURN), a set-up line the platform declares, or read-only by its grammar;
- or the answer a dialogue the session just opened expects (after ``enable``: the enable
  secret, nothing else), which is one of the session's own credentials.

Anything else raises :class:`NotReadOnly` before a single byte of that write is sent.
"""

from __future__ import annotations

import re
from typing import Any

import paramiko
from netmiko import BaseConnection
from netmiko.ssh_dispatcher import ssh_dispatcher

from fleetaudit.hostkeys import Guard, verified_class
from fleetaudit.platforms import Platform, load

_LINE_END = re.compile(r"\r\n|\r|\n")


class NotReadOnly(Exception):
    """A write the guard refused; nothing of it reached the device."""

    def __init__(self, reason: str, line: str) -> None:
        super().__init__(f"not read-only: {reason} ({line!r}); fleetaudit never sends it")
        self.reason = reason
        self.line = line


class LineGuard:
    """Judges what one session writes, line by line, for one platform."""

    def __init__(self, platform: Platform, credentials: dict[str, str | None]) -> None:
        self.platform = platform
        self.credentials = {k: v for k, v in credentials.items() if v}
        self._expected: list[str] = []  # the answers an open dialogue waits for, in order

    def check(self, data: str) -> None:
        """Raise :class:`NotReadOnly` unless every line of ``data`` may be sent."""
        *lines, tail = _LINE_END.split(data)
        if tail:
            shown = "<credential>" if tail in self.credentials.values() else tail
            raise NotReadOnly("text without a line end (sent whole lines only)", shown)
        expected = list(self._expected)
        for line in lines:
            if line and expected and line == expected[0]:
                expected.pop(0)
                continue
            if line in self.credentials.values():
                raise NotReadOnly(
                    "a credential outside the prompt that asks for it", "<credential>"
                )
            reason = self.platform.refuses_line(line)
            if reason is not None:
                raise NotReadOnly(reason, line)
            dialogue = self.platform.dialogues.get(line, ())
            expected = [self.credentials[c] for c in dialogue if c in self.credentials]
        self._expected = expected


NO_BANNER = "Error reading SSH protocol banner: the device sent none in time"

#: paramiko's AES-GCM ciphers (one AEAD call a packet; paramiko's default, AES-CTR, adds
#: an HMAC it builds in Python for each packet)
AEAD_CIPHERS = ("aes128-gcm@openssh.com", "aes256-gcm@openssh.com")


class AeadFirstTransport(paramiko.Transport):  # type: ignore[misc]
    """paramiko's transport offering the same ciphers, AES-GCM first: a device that has
    it uses it (the client's order decides, RFC 4253 7.1), any other one what it did."""

    _preferred_ciphers = (
        *AEAD_CIPHERS,
        *(c for c in paramiko.Transport._preferred_ciphers if c not in AEAD_CIPHERS),
    )


class _HostKeys(paramiko.HostKeys):  # type: ignore[misc]
    """paramiko's host keys; looked up in while empty, none found at once (paramiko
    defines a class at each look-up, two a connection: a quarter of its connect's CPU)."""

    def lookup(self, hostname: str) -> Any:
        return super().lookup(hostname) if self._entries else None


class BannerAwareClient(paramiko.SSHClient):  # type: ignore[misc]
    """paramiko's client, with one reason when the device never sends its SSH banner.

    paramiko waits for the banner (``banner_timeout``) in its transport thread and for the
    whole negotiation (``timeout``) in ``connect``; with equal timeouts, whichever clock
    fires first decides the error: "Error reading SSH protocol banner", or "No existing
    session" when ``connect`` gives up first. No banner read (``remote_version`` still
    empty) is the same condition either way, so it is always told as the banner's.
    """

    def __init__(self) -> None:
        super().__init__()
        self._system_host_keys = _HostKeys()
        self._host_keys = _HostKeys()

    def connect(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("transport_factory", AeadFirstTransport)
        try:
            super().connect(*args, **kwargs)
        except paramiko.SSHException as exc:
            transport = self.get_transport()
            unread = transport is not None and not transport.remote_version
            if unread and "banner" not in str(exc):
                raise paramiko.SSHException(NO_BANNER) from exc
            raise


_GUARDED: dict[tuple[type[BaseConnection], str | None], type[Any]] = {}


def _guarded(base: type[BaseConnection], session: str | None) -> type[Any]:
    """``base`` (a netmiko driver class) whose ``write_channel`` asks a :class:`LineGuard`,
    set up by the platform's ``session`` class (``module:Class``) when it declares one."""
    if (base, session) in _GUARDED:
        return _GUARDED[base, session]

    def __init__(self: Any, *args: Any, read_only_guard: LineGuard, **kwargs: Any) -> None:
        self.read_only_guard = read_only_guard  # set before __init__ connects and writes
        base.__init__(self, *args, **kwargs)

    def write_channel(self: Any, out_data: str) -> None:
        self.read_only_guard.check(out_data)
        base.write_channel(self, out_data)

    def _get_ssh_client_instance(self: Any) -> paramiko.SSHClient:
        return BannerAwareClient()

    namespace = {
        "__init__": __init__,
        "write_channel": write_channel,
        "_get_ssh_client_instance": _get_ssh_client_instance,
    }
    bases = (base,) if session is None else (load(session), base)
    guarded = type(f"ReadOnly{base.__name__}", bases, namespace)
    return _GUARDED.setdefault((base, session), guarded)


def connect(
    platform: Platform, device_type: str, host_key_guard: Guard | None = None, **args: Any
) -> BaseConnection:
    """A netmiko connection (netmiko's ``ConnectHandler`` arguments) whose every write is
    judged by ``platform``'s read-only grammar, from the first set-up line on; with
    ``host_key_guard``, its SSH host key is checked before authentication."""
    guard = LineGuard(
        platform,
        {k: args.get(k) for k in ("username", "password", "secret")},
    )
    base = ssh_dispatcher(device_type)
    if host_key_guard is not None:
        base, args = verified_class(base), {**args, "host_key_guard": host_key_guard}
    connection: BaseConnection = _guarded(base, platform.session)(
        device_type=device_type, read_only_guard=guard, **args
    )
    return connection


def guard_napalm(driver: Any, platform: Platform, host_key_guard: Guard | None = None) -> Any:
    """Make napalm ``driver`` open its netmiko session through :func:`connect` (napalm's
    getters then write through the guard too, the host key is checked with
    ``host_key_guard``); returns ``driver``."""

    def netmiko_open(device_type: str, netmiko_optional_args: dict[str, Any] | None = None) -> Any:
        # what napalm's own _netmiko_open does, with the guarded connection
        driver._netmiko_device = connect(
            platform,
            device_type,
            host_key_guard,
            host=driver.hostname,
            username=driver.username,
            password=driver.password,
            timeout=driver.timeout,
            **(netmiko_optional_args or {}),
        )
        if not getattr(driver, "force_no_enable", False):
            driver._netmiko_device.enable()
        return driver._netmiko_device

    driver._netmiko_open = netmiko_open
    return driver
