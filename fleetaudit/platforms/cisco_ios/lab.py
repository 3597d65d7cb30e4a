"""The lab's simulated IOS device (and the ground the ASA shell builds on)."""

from __future__ import annotations

import re
from typing import ClassVar

from fleetaudit.lab.fixtures import Fixtures, words
from fleetaudit.lab.inventory import LabHost
from fleetaudit.lab.shell import Reply, Shell


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
