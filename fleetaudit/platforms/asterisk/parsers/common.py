"""What every Asterisk output parser shares: lines with their numbers, the noise a console
or a pasted capture puts around and inside a table, and the refusals.

Outputs reach the parsers as saved by the collector (``asterisk -rx "..."``), or as an admin
pasted them: with shell or ``*CLI>`` prompts, the remote console's banner, log lines that
the console prints between (or inside) outputs, comments, and sometimes with every run of
spaces collapsed into one by a web page. Parsers look for their own header anywhere in the
text and read rows from there, so what surrounds a table does not matter; inside a table,
log lines are skipped and a prompt ends the output.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from fleetaudit.facts import Ref
from fleetaudit.platforms.asterisk.facts import Refused, Unknown

#: a shell or console prompt, optionally followed by the command typed at it
PROMPT = re.compile(
    r"""^\s*(?:
        [\w.-]*\*CLI>                      # pbx*CLI>
      | [\w.-]+@[\w.-]+:[^\s#$]*[\#$]      # root@pbx:~#
      | \[[\w.-]+@[\w.-]+\ [^\]]*\][\#$]   # [root@pbx ~]#
      | [\#$](?=\s+\S)                     # "# asterisk -rx ..." / "$ cat ..."
    )""",
    re.VERBOSE,
)

#: ``asterisk -rx "cmd"`` as typed (ASCII, typographic or guillemet quotes)
ASTERISK_RX = re.compile(
    r"""asterisk\s+(?:-\w+\s+)*-r?x\s*["'«“‘„](?P<cmd>[^"'»”’“]+)["'»”’“]""",
)

_LOG_LEVELS = r"(?:NOTICE|WARNING|ERROR|VERBOSE|DEBUG|DTMF|SECURITY|EVENT)"
#: ``[2015-04-23 09:24:11] NOTICE[16674] chan_sip.c: ...`` or ``[Nov 30 10:00:00] WARNING[12]: ...``
LOG_LINE = re.compile(
    r"^\s*\[(?:\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?|[A-Z][a-z]{2}\s+\d+\s+\d\d:\d\d:\d\d)\]\s+"
    + _LOG_LEVELS
    + r"\[\d+\]"
)
#: console verbose lines: ``    -- Executing [s@...]``, ``  == Using SIP RTP CoS mark 5``
VERBOSE_LINE = re.compile(r"^\s*(?:--|==|>)\s+\S")

NO_SUCH_COMMAND = re.compile(r"No such command '(?P<cmd>[^']*)'")
DAEMON_DOWN = re.compile(r"Unable to connect to remote asterisk")
NOT_INSTALLED = re.compile(r"asterisk: (?:command )?not found|No such file or directory.*asterisk")
PERMISSION = re.compile(r"Permission denied")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, in the text given to the parser
    text: str

    def ref(self, source: str) -> Ref:
        return Ref(source=source, line=self.number, text=self.text.strip())


def lines_of(text: str) -> list[Line]:
    return [Line(i, raw.rstrip("\r")) for i, raw in enumerate(text.split("\n"), start=1)]


def is_noise(line: Line) -> bool:
    """Lines a console prints inside an output without being part of it."""
    return bool(LOG_LINE.match(line.text) or VERBOSE_LINE.match(line.text))


def is_prompt(line: Line) -> bool:
    return bool(PROMPT.match(line.text))


def body(lines: list[Line], start: int) -> Iterator[Line]:
    """Lines after ``start`` (an index) up to the next prompt, log lines left out."""
    for line in lines[start:]:
        if is_prompt(line):
            return
        if is_noise(line):
            continue
        yield line


def refusal(text: str) -> Refused | None:
    """The refusal in an output that lacks the expected header, if there is one."""
    for line in lines_of(text):
        if is_noise(line):
            continue
        if match := NO_SUCH_COMMAND.search(line.text):
            return Refused(
                kind="no_such_command", reason=_not_loaded(match["cmd"]), line=line.text.strip()
            )
        if DAEMON_DOWN.search(line.text):
            return Refused("daemon_down", "the Asterisk daemon is not running", line.text.strip())
        if NOT_INSTALLED.search(line.text):
            return Refused("not_installed", "no asterisk binary on this host", line.text.strip())
        if PERMISSION.search(line.text):
            return Refused(
                "permission_denied",
                "the login may not talk to the Asterisk control socket",
                line.text.strip(),
            )
    return None


#: the module behind each family of show commands, by the command's first word
MODULES = {"sip": "chan_sip", "pjsip": "res_pjsip", "rtp": "res_rtp_asterisk"}


def _not_loaded(command: str) -> str:
    """``"sip show peers"`` -> "chan_sip not loaded (Asterisk does not know 'sip show
    peers': removed in Asterisk 21, or its module not loaded)"."""
    module = MODULES.get(command.split()[0] if command.split() else "")
    why = "removed in Asterisk 21, or not loaded" if module == "chan_sip" else "not loaded"
    head = f"{module} not loaded" if module else "module not loaded"
    return f"{head} (Asterisk does not know '{command}': {why})"


def not_found(text: str, command: str, header: str) -> Refused | Unknown:
    """What an output without ``header`` is: a refusal, or unreadable."""
    refused = refusal(text)
    if refused is not None:
        return refused
    if not text.strip():
        return Unknown(f"empty output for '{command}'")
    return Unknown(f"no '{header}' header in the output of '{command}': not this command's output")


def split_words(text: str) -> list[str]:
    return text.split()


def find(lines: list[Line], pattern: re.Pattern[str]) -> tuple[int, re.Match[str]] | None:
    """Index and match of the first line that ``pattern`` matches."""
    for index, line in enumerate(lines):
        if match := pattern.match(line.text):
            return index, match
    return None
