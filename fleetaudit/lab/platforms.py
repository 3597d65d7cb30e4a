"""What a simulated device says: prompts, modes and replies per platform.

A shell is a small state machine fed one line at a time (the SSH plumbing splits the
input and echoes it); it answers with a :class:`Reply`. Outputs come from fixtures; a
command without one gets the platform's own "invalid input" text, never an exception.

The lab's users are auditors with read-only privilege: there is no configuration mode,
and a line outside the platform's read-only set is answered by :meth:`Shell.refused` as
such a user is answered (IOS/ASA below privilege 15, a RouterOS ``read`` group user).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from fleetaudit.lab.fixtures import Fixtures, crlf, words
from fleetaudit.lab.inventory import LabHost


@dataclass(frozen=True)
class Reply:
    body: str = ""  # the command's output, CRLF line ends
    prompt: str = ""  # what the device prints next (a prompt, "Password: ")
    close: bool = False  # the device ends the session after this reply
    status: int = 0  # exit status, for exec requests


class Shell:
    """Common ground: a device, who logged in, and the fixtures it answers from."""

    builtins: ClassVar[tuple[str, ...]] = ()  # slugs answered without a fixture
    vocabulary: ClassVar[tuple[str, ...]] = ()  # more known words, to place the ``^``

    def __init__(self, host: LabHost, fixtures: Fixtures, user: str) -> None:
        self.host = host
        self.fixtures = fixtures
        self.user = user

    @property
    def echo(self) -> bool:
        """False while the device reads a password."""
        return True

    @property
    def answering(self) -> bool:
        """True while a login/enable dialogue waits for an answer (a user name, a password)."""
        return False

    def refused(self, line: str, interactive: bool) -> Reply:
        """The answer to a line outside the read-only set; nothing of it is run."""
        raise NotImplementedError

    def greeting(self) -> str:
        return self.prompt()

    def prompt(self) -> str:
        raise NotImplementedError

    def line(self, line: str) -> Reply:
        """One line typed at the prompt (without its line end)."""
        raise NotImplementedError

    def execute(self, command: str) -> Reply:
        """An SSH exec request: the output and an exit status, no prompt."""
        raise NotImplementedError

    def resolve(self, line: str) -> str | None:
        """The slug of the builtin or fixture command ``line`` stands for."""
        return self.fixtures.expand(line, self.builtins)

    def first_unknown(self, line: str) -> int:
        """Index of the word the device stumbles on (== word count: the line is incomplete).

        Fixtures and builtins can make a line incomplete; the vocabulary (commands the
        platform has but this device may not answer) only moves the ``^`` along.
        """
        answered = self.fixtures.matched_words(line, self.builtins)
        known = self.fixtures.matched_words(line, self.vocabulary, include_outputs=False)
        known = min(known, len(words(line)) - 1)
        return max(answered, known)


class CiscoShell(Shell):
    """IOS and ASA: user EXEC ``>``, privileged ``#`` (enable); no configuration mode."""

    builtins: ClassVar[tuple[str, ...]] = (
        "enable",
        "disable",
        "exit",
        "logout",
        "quit",
        "show_privilege",
    )
    vocabulary = tuple(
        f"show_{w}"
        for w in [
            "ip_interface_brief",
            "ip_route",
            "ip_nat_translations",
            "interfaces_status",
            "vlan_brief",
            "version",
            "inventory",
            "clock",
            "hosts",
            "users",
            "logging",
            "cdp_neighbors_detail",
            "lldp_neighbors_detail",
            "mac_address-table",
            "port-security",
            "policy-map_interface",
            "sip-ua_status",
            "sip-ua_statistics",
            "sip-ua_timers",
            "sip-ua_register_status",
            "sip_service",
            "dial-peer_voice_summary",
            "nameif",
            "access-list",
            "xlate",
            "conn",
            "route",
        ]
    )
    privileged_only = ("show_running-config", "show_startup-config", "more", "write", "copy")
    error_prefix = ""
    prompt_end = ""

    def __init__(self, host: LabHost, fixtures: Fixtures, user: str) -> None:
        super().__init__(host, fixtures, user)
        self.mode = "user" if host.role == "gateway" else "enable"
        self.waiting: str | None = None  # "enable" | "login_user" | "login_password"
        self.failures = 0

    @property
    def echo(self) -> bool:
        return self.waiting not in ("enable", "login_password")

    @property
    def answering(self) -> bool:
        return self.waiting is not None

    def refused(self, line: str, interactive: bool) -> Reply:
        """Below privilege 15 neither ``configure`` nor ``| redirect`` exists: the ``^``
        goes under the first word (under the pipe's option for a ``show``)."""
        first = line.split()[0].lower() if line.split() else ""
        column = len(line) - len(line.lstrip())
        if "show".startswith(first) and len(first) >= 2:
            option = re.search(r"(?:\|\s*|>)(\S*)", line)
            if option is None:  # a bare `show`: what the device says to it
                return Reply(self.incomplete(), self.prompt() if interactive else "", status=1)
            column = option.start(1)
        reply = self.invalid_at((len(self.prompt()) if interactive else 0) + column)
        return Reply(reply.body, self.prompt() if interactive else "", status=1)

    def prompt(self) -> str:
        end = {"user": ">", "enable": "#"}[self.mode]
        return f"{self.host.name}{end}{self.prompt_end}"

    def line(self, line: str) -> Reply:
        if self.waiting:
            return self.answer(line)
        if not line.strip():
            return Reply(prompt=self.prompt())
        typed_at = self.prompt()
        reply = self.command(line, caret_at=len(typed_at))
        return Reply(reply.body, reply.prompt or self.prompt(), reply.close, reply.status)

    def execute(self, command: str) -> Reply:
        return self.command(command, caret_at=0)

    def command(self, line: str, caret_at: int) -> Reply:
        typed = words(line)
        if not typed:
            return Reply()
        if "terminal".startswith(typed[0][0]) and len(typed[0][0]) >= 4 and len(typed) > 1:
            return Reply()  # terminal length 0, terminal width 511, terminal no monitor
        slug = self.resolve(line)
        if slug in ("exit", "logout", "quit"):
            return Reply(close=True)
        if slug == "enable":
            return self.enable()
        if slug == "disable":
            self.mode = "user"
            return Reply()
        if slug is not None and self.mode == "user" and slug.startswith(self.privileged_only):
            # not available in user EXEC
            return self.invalid(line, caret_at, 1 if slug.startswith("show_") else 0)
        if slug is None:
            return self.invalid(line, caret_at, self.first_unknown(line))
        return Reply(self.builtin(slug))

    def builtin(self, slug: str) -> str:
        if slug == "show_privilege":
            return f"Current privilege level is {1 if self.mode == 'user' else 15}\r\n"
        return self.fixtures.outputs.get(slug, "")

    def enable(self) -> Reply:
        if self.mode != "user":
            return Reply()
        if not self.host.secret:
            return Reply("% No password set\r\n")
        self.waiting, self.failures = "enable", 0
        return Reply(prompt="Password: ")

    def answer(self, line: str) -> Reply:
        """A line typed at a ``Password:`` prompt."""
        self.waiting = None
        if line == self.host.secret:
            self.mode = "enable"
            return Reply(prompt=self.prompt())
        return Reply("% Access denied\r\n\r\n", self.prompt())

    def invalid(self, line: str, caret_at: int, index: int) -> Reply:
        typed = words(line)
        if index >= len(typed):
            return Reply(self.incomplete(), status=1)
        return self.invalid_at(caret_at + typed[index][1])

    def invalid_at(self, column: int) -> Reply:
        return Reply(
            f"{' ' * column}^\r\n"
            f"{self.error_prefix}% Invalid input detected at '^' marker.\r\n"
            f"{'' if self.error_prefix else chr(13) + chr(10)}",
            status=1,
        )

    def incomplete(self) -> str:
        return "% Incomplete command.\r\n\r\n"


class AsaShell(CiscoShell):
    """ASA: always starts in user EXEC; ``show curpriv``; ``login``; 3 enable attempts."""

    builtins = (*CiscoShell.builtins, "show_curpriv", "login")
    error_prefix = "ERROR: "
    prompt_end = " "

    def __init__(self, host: LabHost, fixtures: Fixtures, user: str) -> None:
        super().__init__(host, fixtures, user)
        self.mode = "user"
        self.login_user = ""

    def command(self, line: str, caret_at: int) -> Reply:
        if self.resolve(line) == "login":
            self.waiting = "login_user"
            return Reply(prompt="Username: ")
        return super().command(line, caret_at)

    def builtin(self, slug: str) -> str:
        if slug == "show_curpriv":
            user, level, mode = {
                "user": (self.user, 1, "P_UNPR"),
                "enable": ("enable_15", 15, "P_PRIV"),
            }[self.mode]
            return crlf(
                f"Username : {user}\nCurrent privilege level : {level}\nCurrent Mode/s : {mode}"
            )
        return super().builtin(slug)

    def answer(self, line: str) -> Reply:
        if self.waiting == "login_user":
            self.waiting, self.login_user = "login_password", line.strip()
            return Reply(prompt="Password: ")
        if self.waiting == "login_password":
            self.waiting = None
            if self.login_user == self.host.username and line == self.host.password:
                self.mode = "enable"
                return Reply(prompt=self.prompt())
            return Reply("Login invalid\r\n", self.prompt())
        if line == self.host.secret:
            self.waiting = None
            self.mode = "enable"
            return Reply(prompt=self.prompt())
        self.failures += 1
        if self.failures < 3:
            return Reply("Invalid password\r\n", "Password: ")
        self.waiting = None
        return Reply("Access denied.\r\n", self.prompt())

    def incomplete(self) -> str:
        return "ERROR: % Incomplete command\r\n"


ROUTEROS_LOGO = """
  MMM      MMM       KKK                          TTTTTTTTTTT      KKK
  MMMM    MMMM       KKK                          TTTTTTTTTTT      KKK
  MMM MMMM MMM  III  KKK  KKK  RRRRRR     OOOOOO      TTT     III  KKK  KKK
  MMM  MM  MMM  III  KKKKK     RRR  RRR  OOO  OOO     TTT     III  KKKKK
  MMM      MMM  III  KKK KKK   RRRRRR    OOO  OOO     TTT     III  KKK KKK
  MMM      MMM  III  KKK  KKK  RRR  RRR   OOOOOO      TTT     III  KKK  KKK
"""

ROUTEROS_V6_HELP = """
[?]             Gives the list of available commands
command [?]     Gives help on the command and list of arguments

[Tab]           Completes the command/word. If the input is ambiguous,
                a second [Tab] gives possible options

/               Move up to base level
..              Move up one level
/command        Use command at the base level
"""


class RouterOsShell(Shell):
    """RouterOS in dumb mode (netmiko logs in as ``user+ct511w4098h``)."""

    builtins = ("quit", "system_identity_print")
    vocabulary = tuple(
        [
            "export",
            "ip_firewall_filter",
            "ip_firewall_nat",
            "ip_firewall_mangle",
            "ip_firewall_service-port",
            "ip_firewall_connection_tracking",
            "ip_address",
            "ip_route",
            "ip_dns",
            "ip_service",
            "ip_pool",
            "ip_dhcp-server",
            "ipv6",
            "interface_bridge",
            "interface_vlan",
            "interface_ethernet",
            "interface_list",
            "queue_simple",
            "queue_tree",
            "system_resource",
            "system_routerboard",
            "system_package",
            "system_clock",
            "routing",
            "tool",
            "user",
            "log",
            "file",
            "ppp",
            "snmp",
            "certificate",
        ]
    )

    def __init__(self, host: LabHost, fixtures: Fixtures, user: str) -> None:
        super().__init__(host, fixtures, user)
        self.version = (
            host.routeros_version
            or fixtures.version(r"by RouterOS (\d[\w.]*)")
            or fixtures.version(r"version: (\d[\w.]*)")
            or "7.12.1"
        )
        self.major = int(self.version.split(".")[0]) if self.version[0].isdigit() else 7

    def greeting(self) -> str:
        if self.major < 7:
            site = (
                f"  MikroTik RouterOS {self.version} (c) 1999-2023       http://www.mikrotik.com/"
            )
            text = f"{ROUTEROS_LOGO}\n{site}\n{ROUTEROS_V6_HELP}\n"
        else:
            site = (
                f"  MikroTik RouterOS {self.version} (c) 1999-2023       https://www.mikrotik.com/"
            )
            text = f"{ROUTEROS_LOGO}\n{site}\n\nPress F1 for help\n\n"
        return crlf(text) + self.prompt()

    def prompt(self) -> str:
        return f"[{self.user}@{self.host.name}] > "

    def refused(self, line: str, interactive: bool) -> Reply:
        """What RouterOS tells a ``read`` group user who asks for more."""
        return Reply(
            "not enough permissions (9)\r\n", self.prompt() if interactive else "", status=1
        )

    def line(self, line: str) -> Reply:
        if not line.strip():
            return Reply(prompt=self.prompt())
        reply = self.execute(line)
        return Reply(reply.body, "" if reply.close else self.prompt(), reply.close)

    def execute(self, command: str) -> Reply:
        slug = self.resolve(command)
        if slug == "quit":
            return Reply(close=True)
        if slug == "system_identity_print" and slug not in self.fixtures.outputs:
            return Reply(f"  name: {self.host.name}\r\n")
        if slug is not None:
            return Reply(self.fixtures.outputs[slug])
        typed = words(command)
        index = self.first_unknown(command)
        column = typed[index][1] + 1 if index < len(typed) else len(command) + 1
        if self.major < 7 and index < len(typed):
            text = f"bad command name {typed[index][0]} (line 1 column {column})"
        elif self.major < 7:
            text = f"expected end of command (line 1 column {column})"
        else:
            text = f"syntax error (line 1 column {column})"
        return Reply(text + "\r\n", status=1)


SHELLS: dict[str, type[Shell]] = {
    "cisco_ios": CiscoShell,
    "cisco_asa": AsaShell,
    "mikrotik_routeros": RouterOsShell,
}


def _platform_shells() -> None:
    """Shells a platform package brings (imported late: they build on :class:`Shell`)."""
    from fleetaudit.platforms.asterisk.lab import AsteriskShell

    SHELLS.setdefault("asterisk", AsteriskShell)


def login_user(platform: str, username: str) -> str:
    """The user name proper: RouterOS login options (``admin+ct511w4098h``) dropped."""
    return username.split("+", 1)[0] if platform == "mikrotik_routeros" else username


def make_shell(host: LabHost, fixtures: Fixtures, user: str) -> Shell:
    _platform_shells()
    return SHELLS[host.platform](host, fixtures, user)
