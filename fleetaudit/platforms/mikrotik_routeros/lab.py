"""The lab's simulated RouterOS device."""

from __future__ import annotations

from fleetaudit.lab.fixtures import Fixtures, crlf, words
from fleetaudit.lab.inventory import LabHost
from fleetaudit.lab.shell import Reply, Shell

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

    @staticmethod
    def login_name(username: str) -> str:
        """RouterOS login options (``admin+ct511w4098h``) dropped."""
        return username.split("+", 1)[0]

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
