"""How an interactive CLI session is set up and read: fewer lines and no polling sleeps.

netmiko's drivers probe as they go: a bare RETURN and a wait before set-up, a prompt probe
(RETURN, read) after each step, a probe before ``enable`` and another after it. Each probe
is a round trip; each line a device answers late (a busy device, a long path) costs its
whole delay; and netmiko reads each answer in a loop that sleeps 25 ms between reads.
:class:`PromptSession` reads the prompt each command already prints instead of asking for
it again, and waits on the channel for an answer instead of polling. A platform whose
sessions it sets up declares its own subclass (``Platform.session``), mixed into netmiko's
driver by the channel guard, which still judges every line written.
"""

from __future__ import annotations

import math
import re
import threading
import time
from typing import Any

import paramiko
from netmiko import BaseConnection
from netmiko.exceptions import ReadTimeout

#: what enable answers with when the secret is wrong or missing (netmiko's own message)
ENABLE_FAILED = (
    "Failed to enter enable mode. Please ensure you pass the 'secret' argument to ConnectHandler."
)


class PromptSession(BaseConnection):
    """A netmiko session set up from the prompts it reads (mixed into a driver class)."""

    #: the whole prompt last read (``gw1>``), empty while unknown
    prompt_seen: str = ""
    #: the channel :meth:`_arrival` watches, and its event
    _arrival_on: tuple[paramiko.Channel, threading.Event] | None = None

    def _try_session_preparation(self, force_data: bool = True) -> None:
        # no RETURN and 0.1 s wait first: the first set-up line waits for its own echo
        super()._try_session_preparation(force_data=False)

    def find_prompt(self, *args: Any, **kwargs: Any) -> str:
        prompt = str(super().find_prompt(*args, **kwargs))
        self.prompt_seen = prompt
        return prompt

    def _base_prompt_from(self, prompt: str) -> str:
        return prompt[:-1]

    def _prompt_pattern(self) -> str:
        """The prompt in any mode, alone at a line's start."""
        return rf"^{re.escape(self.base_prompt)}[^\n]*[>#] ?"

    def _read_prompt(self, output: str) -> str:
        """Read up to the prompt (what ``output`` holds first); returns all that was read."""
        pattern = self._prompt_pattern()
        if not re.search(pattern, output, flags=re.MULTILINE):
            output += self.read_until_pattern(pattern, re_flags=re.MULTILINE)
        self.prompt_seen = output.rstrip().rsplit("\n", 1)[-1].strip()
        return output

    def _set_up_line(self, command: str, first: bool = False) -> str:
        """Send one set-up line and read its echo and the prompt after it; the first line
        of a session learns the prompt from it (what came before the echo, a banner, is
        not read for a prompt)."""
        self.write_channel(self.normalize_cmd(command))
        output = self.read_until_pattern(re.escape(command))
        if not first:
            return self._read_prompt(output)
        after = self.read_until_pattern(r"\n[^\n]*[>#] ?")
        prompt = after.rsplit("\n", 1)[-1].strip()
        self.base_prompt = self._base_prompt_from(prompt)
        self.prompt_seen = prompt
        return output + after

    def enable(
        self,
        cmd: str = "enable",
        pattern: str = "ssword",
        enable_pattern: str | None = None,
        check_state: bool = True,
        re_flags: int = re.IGNORECASE,
    ) -> str:
        """Enter enable mode, judged by the prompt already read: no probe before (the
        prompt says ``#`` or not) nor after (the prompt after the secret says it)."""
        if not self.prompt_seen:  # prompt unknown: netmiko's way, probes and all
            return str(super().enable(cmd, pattern, enable_pattern, check_state, re_flags))
        if check_state and self.prompt_seen.endswith("#"):
            return ""
        prompt = self._prompt_pattern()
        self.write_channel(self.normalize_cmd(cmd))
        # its echo first: a prompt printed before it (a probe's late answer) is not the
        # answer to enable
        self.read_until_pattern(re.escape(cmd.strip()))
        output = self.read_until_pattern(
            rf"(?:{pattern}|{prompt})", re_flags=re_flags | re.MULTILINE
        )
        if re.search(pattern, output, flags=re_flags):
            self.write_channel(self.normalize_cmd(self.secret))
            output = self._read_prompt(
                output + self.read_until_pattern(prompt, re_flags=re.MULTILINE)
            )
        else:
            output = self._read_prompt(output)
        if not self.prompt_seen.endswith("#"):
            raise ValueError(ENABLE_FAILED)
        return output

    def read_show(self, command: str, expect: str, read_timeout: float) -> str:
        """What ``send_command(command, expect_string=expect, read_timeout=...)`` returns
        (the echo verified where netmiko verifies it, echo and prompt stripped), read as
        it arrives: netmiko polls with a sleep between reads (25 ms a command at least,
        each read searching the whole output again); this waits on the channel and
        searches only the lines that are new."""
        deadline = time.monotonic() + read_timeout
        command_string = self.normalize_cmd(command)
        self.write_channel(command_string)
        cmd = command_string.strip()
        output = ""
        if cmd and self.global_cmd_verify is not False:
            output, echo = self._read_until(re.compile(re.escape(cmd)), output, deadline)
            output = cmd + output[echo.end() :]  # a stale prompt before the echo goes
            output, _ = self._first_line_handler(output, expect)  # a repainted echo line
        output, _ = self._read_until(re.compile(expect), output, deadline)
        if cmd and output[:1] in (" ", "\t") and output.lstrip(" \t").startswith(cmd):
            output = output.lstrip(" \t")  # the blank that ended the prompt (`fw1# `)
        return self._sanitize_output(
            output, strip_command=True, command_string=command_string, strip_prompt=True
        )

    def read_until_pattern(
        self,
        pattern: str = "",
        read_timeout: float = 10.0,
        re_flags: int = 0,
        max_loops: int | None = None,
    ) -> str:
        """What netmiko's ``read_until_pattern`` returns (all read up to the end of
        ``pattern``; what came after it stays for the next read), read as it arrives:
        netmiko polls every 10 ms, searching the whole output again each time, and splits
        the output with a second, capturing copy of the pattern (compiled again: each
        host's prompt makes its patterns its own)."""
        if self.read_timeout_override:
            read_timeout = self.read_timeout_override
        deadline = time.monotonic() + read_timeout if read_timeout else math.inf
        # any pattern (`\n[^\n]*#`, `ssword|^gw1#`): searched in all that was read
        compiled = re.compile(pattern, re_flags)
        output, found = self._read_until(compiled, "", deadline, one_line=False)
        self._read_buffer += output[found.end() :]
        return output[: found.end()]

    def _read_until(
        self, pattern: re.Pattern[str], output: str, deadline: float, one_line: bool = True
    ) -> tuple[str, re.Match[str]]:
        """``output`` and what the channel brings, up to ``pattern`` (and the rest of the
        data read with it); raises :class:`ReadTimeout` at ``deadline``, or at once when
        the device closed the session. A ``one_line`` pattern is searched for in the
        lines that are new only (it cannot begin in a line before the last)."""
        start = 0
        while True:
            found = pattern.search(output, start)
            if found is not None:
                return output, found
            if one_line:
                start = output.rfind("\n") + 1  # `^` still sees the start of the last line
            data = self.read_channel()
            if data:
                output += data
                continue
            channel = self.remote_conn
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not isinstance(channel, paramiko.Channel):
                raise ReadTimeout(f"Pattern not detected: {pattern.pattern!r} in output.")
            if channel.closed or channel.eof_received:
                raise ReadTimeout("the device closed the session before the pattern came")
            self._arrival(channel).wait(min(remaining, 0.5))

    def _arrival(self, channel: paramiko.Channel) -> threading.Event:
        """Set while ``channel`` holds unread data (or is closed). paramiko's own
        ``select``-able ``fileno()`` opens a pipe per channel, whose descriptors it closes
        behind the session's back; a plain event is all a thread needs to wait on."""
        if self._arrival_on is None or self._arrival_on[0] is not channel:
            event = threading.Event()
            channel.in_buffer.set_event(event)
            self._arrival_on = (channel, event)
        return self._arrival_on[1]
