"""The lab's Asterisk host: a Linux shell (``audit@pbx:~$``) that runs ``asterisk -rx`` and
``cat /etc/asterisk/<name>.conf`` from the device's fixtures.

A show command without a fixture gets Asterisk's "No such command" (a module not loaded,
chan_sip on 21+); a configuration file without one gets cat's "No such file or directory".
When the ``core show version`` fixture says the daemon is down ("Unable to connect to
remote asterisk"), every ``asterisk -rx`` says so, as the real console does.
"""

from __future__ import annotations

import re

from fleetaudit.evidence import command_slug
from fleetaudit.lab.shell import Reply, Shell
from fleetaudit.platforms.asterisk.grammar import rx

_RX = re.compile(r'asterisk -rx "(?P<cmd>[^"]*)"')
_CAT = re.compile(r"cat (?P<path>\S+)")
DAEMON_DOWN = "Unable to connect to remote asterisk"


class AsteriskShell(Shell):
    builtins = ("exit", "logout")

    def prompt(self) -> str:
        # an audit account is not root: `$`, as bash prints it (netmiko's linux driver
        # takes a `#` prompt for "config mode" and waits on a prompt after `exit`)
        end = "#" if self.user == "root" else "$"
        return f"{self.user or 'root'}@{self.host.name}:~{end} "

    def refused(self, line: str, interactive: bool) -> Reply:
        """The audit account's restricted shell (rbash with a command allow-list)."""
        first = line.split()[0] if line.split() else line
        return Reply(
            f"-rbash: {first}: command not found\r\n",
            self.prompt() if interactive else "",
            status=127,
        )

    def line(self, line: str) -> Reply:
        if not line.strip():
            return Reply(prompt=self.prompt())
        if line.strip() in ("exit", "logout"):
            return Reply("logout\r\n", close=True)
        reply = self.execute(line)
        return Reply(reply.body, self.prompt(), status=reply.status)

    def execute(self, command: str) -> Reply:
        command = command.strip()
        if show := _RX.fullmatch(command):
            return self._asterisk(" ".join(show["cmd"].split()))
        if cat := _CAT.fullmatch(command):
            found = self.fixtures.get(command)
            if found is not None:
                return Reply(found)
            return Reply(f"cat: {cat['path']}: No such file or directory\r\n", status=1)
        return self.refused(command, interactive=False)

    def _asterisk(self, show: str) -> Reply:
        version = self.fixtures.get(rx("core show version")) or ""
        if DAEMON_DOWN in version:
            return Reply(version, status=1)
        found = self.fixtures.outputs.get(command_slug(rx(show)))
        if found is not None:
            return Reply(found)
        return Reply(
            f"No such command '{show}' (type 'core show help {show}' for other possible "
            "commands)\r\n"
        )
