"""SSH host-key verification: an OpenSSH ``known_hosts`` file and a policy, as OpenSSH's
``StrictHostKeyChecking`` (``strict`` = yes, ``accept-new``, ``off`` = no).

paramiko checks the server's key after key exchange and before authentication. A
:class:`Guard` is handed to paramiko's ``SSHClient`` (by :func:`verified_class`, which
``channel_guard.connect`` uses for netmiko and napalm alike): the host's known keys go into the client, so paramiko prefers their
type and raises ``BadHostKeyException`` itself when the server's key differs; a key
paramiko has no entry for reaches :meth:`Guard.missing_host_key`, which learns it
(``accept-new``) or refuses it (``strict``). Either way the session ends before any
username, password or keyboard-interactive answer is sent.

The file is read once per audit and appended to under a lock (threads) and ``flock``
(other processes): a key is learned as one line ``name keytype base64``, with the name
as OpenSSH writes it (``host`` on port 22, ``[host]:port`` otherwise). Hashed names
(``|1|...``), comma lists, ``*``/``?`` patterns, ``!`` negation and ``@revoked`` lines are
understood; ``@cert-authority`` lines are ignored (no host certificates here).
"""

from __future__ import annotations

import base64
import fcntl
import hmac
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from hashlib import sha1, sha256
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, cast, get_args

import paramiko
from netmiko import BaseConnection
from netmiko.ssh_dispatcher import ssh_dispatcher

from fleetaudit.errors import UsageError
from fleetaudit.paths import home

if TYPE_CHECKING:
    from nornir.core.inventory import Host

HostKeyPolicy = Literal["strict", "accept-new", "off"]
POLICIES: tuple[HostKeyPolicy, ...] = get_args(HostKeyPolicy)
DEFAULT_POLICY: HostKeyPolicy = "accept-new"


def default_known_hosts() -> Path:
    return home() / "known_hosts"


def known_hosts_name(hostname: str, port: int) -> str:
    """The name OpenSSH (and paramiko) file a host's key under.

    >>> known_hosts_name("10.0.0.1", 22), known_hosts_name("10.0.0.1", 2222)
    ('10.0.0.1', '[10.0.0.1]:2222')
    """
    return hostname if port == 22 else f"[{hostname}]:{port}"


def fingerprint(blob: str) -> str:
    """``SHA256:...`` of a base64 public key, as ``ssh-keygen -l`` prints it."""
    digest = sha256(base64.b64decode(blob)).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


@dataclass(frozen=True)
class HostKeySettings:
    policy: HostKeyPolicy = DEFAULT_POLICY
    known_hosts: Path | None = None  # None: $FLEETAUDIT_HOME/known_hosts

    @property
    def file(self) -> Path:
        return self.known_hosts or default_known_hosts()


def settings_for(host: Host, default: HostKeySettings, where: str) -> HostKeySettings:
    """``default`` with the host's (or its groups') ``data.host_key_policy`` and
    ``data.known_hosts``; a relative path is read from the inventory folder ``where``."""
    policy = host.get("host_key_policy")
    if policy is not None and policy not in POLICIES:
        raise UsageError(
            f"{where}/hosts.yaml: host {host.name}: data.host_key_policy is {policy!r} (set on "
            f"the host or one of its groups); use one of {', '.join(POLICIES)}"
        )
    path = host.get("known_hosts")
    if path is not None and (not isinstance(path, str) or not path.strip()):
        raise UsageError(
            f"{where}/hosts.yaml: host {host.name}: data.known_hosts is {path!r}; give the path "
            "of an OpenSSH known_hosts file"
        )
    file = Path(where, os.path.expanduser(path)) if path else default.known_hosts
    return HostKeySettings(cast(HostKeyPolicy, policy or default.policy), file)


def settings_of_hosts(
    hosts: Mapping[str, Host], default: HostKeySettings, inventory: Path
) -> dict[str, HostKeySettings]:
    """Every SSH host's settings, validated, their files' folders made: before any
    connection, a usage error naming the host and key (or the flag) when one is wrong."""
    found: dict[str, HostKeySettings] = {}
    origins: dict[Path, str] = {}
    for name, host in hosts.items():
        settings = found[name] = settings_for(host, default, str(inventory))
        if settings.policy != "off" and settings.file not in origins:
            origins[settings.file] = (
                "--known-hosts"
                if settings.known_hosts == default.known_hosts
                else f"{inventory}/hosts.yaml: host {name}: data.known_hosts"
            )
    for file, origin in origins.items():
        prepare(file, origin)
    return found


def prepare(file: Path, origin: str) -> None:
    """Make the file's folder (as ``~/.ssh``: only for us) and check the file can be read;
    a usage error, before any connection, when not. ``origin`` names where it was set."""
    if file.exists() and not file.is_file():
        raise UsageError(f"{origin}: {file} is not a file; give a known_hosts file path")
    try:
        file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if file.exists():
            file.open("rb").close()
    except OSError as exc:
        raise UsageError(
            f"{origin}: cannot use {file} ({exc.strerror or exc}); fix its permissions or "
            "point --known-hosts elsewhere"
        ) from None


@dataclass(frozen=True)
class Entry:
    """One key line of a known_hosts file."""

    line: int
    names: str  # the first field as written (patterns, or |1|salt|hash)
    keytype: str
    blob: str  # base64 of the public key
    marker: str | None = None  # "@revoked", "@cert-authority"

    def matches(self, name: str) -> bool:
        if self.names.startswith("|1|"):
            salt, _, digest = self.names[3:].partition("|")
            try:
                mac = hmac.new(base64.b64decode(salt), name.encode(), sha1).digest()
                return hmac.compare_digest(mac, base64.b64decode(digest))
            except ValueError:
                return False
        patterns = self.names.split(",")
        if any(p.startswith("!") and fnmatchcase(name, p[1:]) for p in patterns):
            return False
        return any(not p.startswith("!") and fnmatchcase(name, p) for p in patterns)

    def same_key(self, key: Any) -> bool:
        return bool(self.keytype == key.get_name() and self.blob == key.get_base64())

    @property
    def fingerprint(self) -> str:
        try:
            return f"{self.keytype} {fingerprint(self.blob)}"
        except ValueError:
            return f"{self.keytype} (not base64)"


def parse_line(text: str, line: int) -> Entry | None:
    fields = text.split()
    if not fields or fields[0].startswith("#"):
        return None
    marker = fields.pop(0) if fields[0].startswith("@") else None
    if len(fields) < 3:
        return None
    return Entry(line, fields[0], fields[1], fields[2], marker)


class KnownHosts:
    """One known_hosts file: read once, appended to by every thread that learns a key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._exact: dict[str, list[Entry]] = {}  # plain names: looked up, not matched
        self._patterns: list[Entry] = []  # hashed names and wildcards: matched one by one
        self._read = 0  # bytes parsed so far
        self._lines = 0
        self._inode: int | None = None
        self._ends_in_newline = True
        try:
            with path.open("rb") as handle:
                fcntl.flock(handle.fileno(), fcntl.LOCK_SH)  # no half-written line
                self._catch_up(handle)
        except FileNotFoundError:
            pass

    def _catch_up(self, handle: BinaryIO) -> None:
        """Parse what was appended since the last read (by us or another process)."""
        stat = os.fstat(handle.fileno())
        if stat.st_ino != self._inode or stat.st_size < self._read:  # replaced: read again
            self._exact, self._patterns, self._read, self._lines = {}, [], 0, 0
            self._inode = stat.st_ino
        handle.seek(self._read)
        data = handle.read()
        if not data:
            return
        lines = data.decode("utf-8", errors="replace").split("\n")
        if data.endswith(b"\n"):
            lines.pop()
        for text in lines:
            self._lines += 1
            entry = parse_line(text, self._lines)
            if entry is None:
                continue
            if entry.names.startswith("|") or any(c in entry.names for c in "*?!"):
                self._patterns.append(entry)
            else:
                for name in entry.names.split(","):
                    self._exact.setdefault(name, []).append(entry)
        self._read += len(data)
        self._ends_in_newline = data.endswith(b"\n")

    def _lookup(self, name: str) -> list[Entry]:
        found = self._exact.get(name, []) + [e for e in self._patterns if e.matches(name)]
        return sorted(found, key=lambda e: e.line)

    def lookup(self, name: str) -> list[Entry]:
        with self._lock:
            return self._lookup(name)

    def learn(self, name: str, key: Any) -> tuple[bool, list[Entry]]:
        """Append ``key`` for ``name`` unless the file (re-read under the lock, as another
        process may have written meanwhile) knows the name by now.
        Returns (learned, the name's entries)."""
        with self._lock:
            try:
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            except OSError as exc:
                raise HostKeyRefused(
                    f"cannot record the host key of {name} in {self.path} "
                    f"({exc.strerror or exc}); no credentials were sent"
                ) from None
            with os.fdopen(fd, "a+b") as handle:  # closing it releases the flock
                fcntl.flock(fd, fcntl.LOCK_EX)
                self._catch_up(handle)
                known = self._lookup(name)
                if known:
                    return False, known
                prefix = "" if self._ends_in_newline else "\n"
                handle.write(f"{prefix}{name} {key.get_name()} {key.get_base64()}\n".encode())
                handle.flush()
                self._catch_up(handle)
                return True, self._lookup(name)


class HostKeyRefused(paramiko.SSHException):  # type: ignore[misc]
    """A host key that must not be trusted: raised after key exchange, before
    authentication (an ``SSHException``, so netmiko tears the transport down)."""


class Guard(paramiko.MissingHostKeyPolicy):  # type: ignore[misc]
    """One connection's verification: the host's known keys go into paramiko's client,
    an unknown key comes to :meth:`missing_host_key`."""

    def __init__(self, settings: HostKeySettings, known: KnownHosts) -> None:
        self.settings = settings
        self.known = known
        self.name = ""  # as the file names the host: "host" or "[host]:port"

    def attach(self, client: Any, name: str) -> None:
        self.name = name
        client.set_missing_host_key_policy(self)
        entries = self.known.lookup(name)
        revoked = {(e.keytype, e.blob) for e in entries if e.marker == "@revoked"}
        for entry in entries:
            if entry.marker is None and (entry.keytype, entry.blob) not in revoked:
                try:
                    key = paramiko.PKey.from_type_string(
                        entry.keytype, base64.b64decode(entry.blob)
                    )
                except Exception:
                    continue  # a key type paramiko cannot read (OpenSSH skips it too)
                client.get_host_keys().add(name, entry.keytype, key)

    def missing_host_key(self, client: Any, hostname: str, key: Any) -> None:
        entries = self.known.lookup(hostname)
        if any(e.marker == "@revoked" and e.same_key(key) for e in entries):
            raise HostKeyRefused(
                f"REVOKED host key for {hostname}: {key.get_name()} {key.fingerprint} is "
                f"marked @revoked in {self.known.path}; no credentials were sent"
            )
        if self.settings.policy == "strict":
            raise HostKeyRefused(self._unknown(hostname, key))
        learned, entries = self.known.learn(hostname, key)
        if not learned and not any(e.marker is None and e.same_key(key) for e in entries):
            # another session learned a different key for this name meanwhile
            raise HostKeyRefused(mismatch(hostname, key, entries, self.known.path))

    def _unknown(self, hostname: str, key: Any) -> str:
        host, port = _split(hostname)
        return (
            f"unknown host key for {hostname}: {key.get_name()} {key.fingerprint} is not in "
            f"{self.known.path} and the host key policy is strict; no credentials were "
            f"sent. Check the fingerprint with the device's owner, then add it "
            f"(ssh-keyscan -p {port} {host} >> {self.known.path}) or audit once with "
            "--host-key-policy accept-new"
        )

    def refusal(self, exc: BaseException) -> str | None:
        """Why the host key was refused, when that is why ``exc`` (as netmiko or napalm
        wrapped it) ended the connection; None for any other failure."""
        seen: set[int] = set()
        current: BaseException | None = exc
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            if isinstance(current, HostKeyRefused):
                return str(current)
            if isinstance(current, paramiko.BadHostKeyException):
                name = self.name or current.hostname
                return mismatch(name, current.key, self.known.lookup(name), self.known.path)
            current = current.__cause__ or current.__context__
        return None


def _split(name: str) -> tuple[str, int]:
    if name.startswith("[") and "]:" in name:
        host, _, port = name[1:].partition("]:")
        return host, int(port)
    return name, 22


def mismatch(name: str, key: Any, entries: list[Entry], file: Path) -> str:
    expected = [e for e in entries if e.marker is None] or entries
    where = ", ".join(f"{e.fingerprint} ({file}:{e.line})" for e in expected) or "(none)"
    lines = " ".join(str(e.line) for e in expected)
    return (
        f"HOST KEY MISMATCH for {name}: the device offered {key.get_name()} {key.fingerprint}, "
        f"known_hosts expects {where}; no credentials were sent. Someone may be "
        f"impersonating the device, or its key was changed: if the change is confirmed, "
        f"remove line {lines} of {file} (ssh-keygen -R '{name}' -f {file}) and audit again"
    )


class Verifier:
    """The known_hosts files of one audit, each read once and shared by every thread."""

    def __init__(self) -> None:
        self._files: dict[Path, KnownHosts] = {}
        self._lock = threading.Lock()

    def guard(self, settings: HostKeySettings) -> Guard | None:
        """A new guard for one connection; None when the policy is off."""
        if settings.policy == "off":
            return None
        path = settings.file.resolve()
        with self._lock:
            if path not in self._files:
                self._files[path] = KnownHosts(path)
            return Guard(settings, self._files[path])


class _Guarded(BaseConnection):
    """A netmiko connection whose paramiko client checks the host key with a Guard."""

    host_key_guard: Guard | None = None

    def __init__(self, *args: Any, host_key_guard: Guard | None = None, **kwargs: Any) -> None:
        self.host_key_guard = host_key_guard  # before netmiko connects in __init__
        super().__init__(*args, **kwargs)

    def _build_ssh_client(self) -> paramiko.SSHClient:
        client = super()._build_ssh_client()
        if self.host_key_guard is not None:
            self.host_key_guard.attach(client, known_hosts_name(self.host, int(self.port)))
        return client


_classes: dict[type[BaseConnection], type[BaseConnection]] = {}


def verified_class(base: type[BaseConnection]) -> type[BaseConnection]:
    """``base`` (a netmiko driver class) taking ``host_key_guard=``: its paramiko client
    checks the host key with that :class:`Guard` before authentication."""
    if base not in _classes:
        namespace = {"__module__": base.__module__}
        _classes[base] = type(f"Verified{base.__name__}", (_Guarded, base), namespace)
    return _classes[base]


def connect(device_type: str, guard: Guard, **kwargs: Any) -> BaseConnection:
    """``netmiko.ConnectHandler(device_type, **kwargs)`` with its host key checked."""
    verified = verified_class(ssh_dispatcher(device_type))
    return verified(device_type=device_type, host_key_guard=guard, **kwargs)  # type: ignore[call-arg]


class AsyncsshKey:
    """An asyncssh public key seen as paramiko's ``PKey`` (the parts a :class:`Guard`
    reads: type name, base64 blob, SHA256 fingerprint)."""

    def __init__(self, key: Any) -> None:
        self.key = key

    def get_name(self) -> str:
        return str(self.key.get_algorithm())

    def get_base64(self) -> str:
        return base64.b64encode(self.key.public_data).decode()

    @property
    def fingerprint(self) -> str:
        return str(self.key.get_fingerprint("sha256"))


class AsyncsshGuard:
    """A :class:`Guard` for an asyncssh connection, deciding as it does for paramiko: the
    host's known keys (``known_hosts``) are trusted and their types asked for first; any
    other key comes to :meth:`validate` (an asyncssh client's
    ``validate_host_public_key``), which refuses a changed key of a known type as
    paramiko's ``BadHostKeyException`` does and hands the rest to the guard's policy
    (learn, or refuse). asyncssh calls it after key exchange, before authentication."""

    def __init__(self, guard: Guard, hostname: str, port: int) -> None:
        self.guard = guard
        self.name = guard.name = known_hosts_name(hostname, port)
        self.refused: HostKeyRefused | None = None  # why validate() said no
        entries = guard.known.lookup(self.name)
        revoked = {(e.keytype, e.blob) for e in entries if e.marker == "@revoked"}
        self._trusted = [
            e for e in entries if e.marker is None and (e.keytype, e.blob) not in revoked
        ]

    def known_hosts(self) -> tuple[list[Any], list[Any], list[Any]]:
        """asyncssh's ``known_hosts``: (trusted host keys, CA keys, revoked keys)."""
        import asyncssh

        keys = []
        for entry in self._trusted:
            try:
                keys.append(asyncssh.import_public_key(f"{entry.keytype} {entry.blob}"))
            except (asyncssh.KeyImportError, ValueError):
                continue  # a key type asyncssh cannot read (OpenSSH skips it too)
        return keys, [], []

    def host_key_algorithms(self) -> list[str]:
        """The known keys' types first, then every other (paramiko's order), so a device
        whose key type changed is told apart from one that speaks no common type."""
        from asyncssh.public_key import get_default_public_key_algs

        known = [e.keytype for e in self._trusted]
        others = [alg.decode() for alg in get_default_public_key_algs()]
        return list(dict.fromkeys(known + others))

    def validate(self, key: Any) -> bool:
        seen = AsyncsshKey(key)
        try:
            same_type = [e for e in self._trusted if e.keytype == seen.get_name()]
            if same_type and not any(e.same_key(seen) for e in same_type):
                known = self.guard.known
                raise HostKeyRefused(mismatch(self.name, seen, known.lookup(self.name), known.path))
            self.guard.missing_host_key(None, self.name, seen)
        except HostKeyRefused as refused:
            self.refused = refused
            return False
        return True
