"""The set-up of an IOS session: ``terminal length 0``, then ``enable`` and the secret
only when the prompt ends in ``>``.

No ``terminal width 511``: netmiko requests the pty 511 columns wide
(``invoke_shell(width=511)``), and IOS takes its terminal width and length from the SSH
pty request (``show terminal`` reports the client's window), so the command only repeated
it. The length stays: a pty cannot ask for "no paging" (RFC 4254: zero dimensions are
ignored), and IOS pages at up to 512 lines.
"""

from __future__ import annotations

from fleetaudit.sessions import PromptSession


class CiscoIosSession(PromptSession):
    """cisco_ios: ``terminal length 0`` (width from the pty), enable where ``>``."""

    def session_preparation(self) -> None:
        self._set_up_line("terminal length 0", first=True)

    def _base_prompt_from(self, prompt: str) -> str:
        return prompt[:-1][:16]  # as CiscoIosBase.set_base_prompt (config mode cuts it)
