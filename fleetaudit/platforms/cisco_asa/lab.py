"""The lab's simulated ASA."""

from __future__ import annotations

from fleetaudit.lab.fixtures import Fixtures, crlf
from fleetaudit.lab.inventory import LabHost
from fleetaudit.lab.shell import Reply
from fleetaudit.platforms.cisco_ios.lab import CiscoShell


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
