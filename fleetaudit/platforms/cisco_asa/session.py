"""The set-up of an ASA session: the prompt (one RETURN), ``enable`` and the secret,
``terminal pager 0``; no ``show curpriv`` (netmiko's "is the ASA ready" probe) and never
configuration mode (``terminal width`` would need it, DESIGN 4)."""

from __future__ import annotations

from fleetaudit.sessions import PromptSession


class CiscoAsaSession(PromptSession):
    """cisco_asa: the prompt, enable (or ``login`` without a secret), ``terminal pager 0``;
    never ``show curpriv`` nor configuration mode (``terminal width`` needs it)."""

    def session_preparation(self) -> None:
        if self.allow_auto_change:  # netmiko's set-up, `configure terminal` and all (the
            super().session_preparation()  # channel guard refuses it: never config mode)
            return
        self.set_base_prompt()  # one RETURN: an ASA may print a banner after login
        if self.secret:
            self.enable()
        else:  # netmiko's ASA driver (the class after this one) logs in with `login`
            getattr(self, "asa_login")()  # noqa: B009 - not on BaseConnection
            self.prompt_seen = ""
        if self.prompt_seen:
            self._set_up_line("terminal pager 0")
        else:
            self.disable_paging(command="terminal pager 0")
            self.set_base_prompt()
        # netmiko's ASA driver without allow_auto_change: the width is not set, so the
        # echo of a long command may wrap; commands are read without verifying it
        self.global_cmd_verify = False
