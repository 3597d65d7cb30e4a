"""The lab's SSH host keys: one ed25519 key per device, kept in a folder so that a
restarted lab is the same network to a client's known_hosts.

By default the folder is ``$FLEETAUDIT_HOME/lab/host_keys``; ``lab serve --host-keys DIR``
(``Lab(host_keys=DIR)``) uses DIR. A device's key is ``<name>.key`` (OpenSSH private key
format, mode 0600), generated when absent, reused when present. A new folder is a new
set of keys: how a test plays "every device's key changed". Generating one costs about
40 microseconds, so even ``--devices 1000`` clones each get their own.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import asyncssh

from fleetaudit.errors import UsageError
from fleetaudit.paths import home

ALGORITHM = "ssh-ed25519"


def default_host_keys() -> Path:
    return home() / "lab" / "host_keys"


class HostKeyFolder:
    """Each device's host key, read from or made in ``folder``."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_host_keys()
        self._keys: dict[str, asyncssh.SSHKey] = {}

    def path(self, device: str) -> Path:
        return self.folder / f"{re.sub(r'[^A-Za-z0-9._-]', '_', device)}.key"

    def key(self, device: str) -> asyncssh.SSHKey:
        if device not in self._keys:
            self._keys[device] = self._read_or_make(self.path(device))
        return self._keys[device]

    def _read_or_make(self, path: Path) -> asyncssh.SSHKey:
        try:
            if path.exists():
                return asyncssh.read_private_key(path)
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            key = asyncssh.generate_private_key(ALGORITHM)
            # written aside, then linked into place: two labs starting at once on one
            # folder end up with the same key (the second reads the first's)
            temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(key.export_private_key("openssh"))
            try:
                os.link(temporary, path)
            except FileExistsError:
                return asyncssh.read_private_key(path)
            finally:
                temporary.unlink()
            return key
        except (OSError, asyncssh.KeyImportError) as exc:
            raise UsageError(
                f"lab host key {path}: {getattr(exc, 'strerror', None) or exc}; fix or delete "
                "the file, or give another folder with --host-keys"
            ) from None
