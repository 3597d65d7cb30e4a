"""The Asterisk outputs as facts: one normaliser per command, registered with the parse
stage the way the other platforms' are (template-less: each reads ``Output.text``).

Facts, by command: ``asterisk_version``, ``sip_peers``, ``sip_registry``, ``sip_settings``,
``pjsip_endpoints``, ``pjsip_contacts``, ``pjsip_registrations``, ``pjsip_aors``,
``pjsip_transports``, ``pjsip_identifies``, ``rtp_settings``; each ``.conf`` file read is
``conf:<name>`` (a :class:`ConfFile`, ``text=None`` when the file does not exist). A
command Asterisk refused ("No such command") gives its :class:`Refused`; an output that
does not read makes the fact unknown with the parser's reason.

``SAVED`` (what ``scan`` reads a file as) holds a transcript of ``asterisk -rx`` / ``*CLI>``
commands or a configuration file; it yields the facts of whatever it holds.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable
from typing import Any, get_args, get_type_hints

from fleetaudit.facts import Ref, declare, declare_family
from fleetaudit.normalise import Output, Unreadable, normaliser, source
from fleetaudit.platforms.asterisk import CONF_FILES, SAVED
from fleetaudit.platforms.asterisk.facts import Refused, Unknown
from fleetaudit.platforms.asterisk.files import ConfFile
from fleetaudit.platforms.asterisk.grammar import SHOW_COMMANDS, cat, rx
from fleetaudit.platforms.asterisk.parsers import PARSERS, slug
from fleetaudit.platforms.asterisk.parsers.transcript import split_transcript

PLATFORM = "asterisk"

#: CLI command -> the fact its output gives
FACTS = {
    "core show version": "asterisk_version",
    **{command: "_".join(command.split()[::2]) for command in SHOW_COMMANDS[1:]},
}
FACTS["sip show registry"] = "sip_registry"


def _fact_type(command: str) -> Any:
    """What a command's fact holds: its parser's result, less :class:`Unknown` (which
    makes the fact unknown instead)."""
    returned = get_type_hints(PARSERS[slug(command)])["return"]
    kept = [t for t in get_args(returned) if t is not Unknown] or [returned]
    return functools.reduce(operator.or_, kept)


for _command, _fact in FACTS.items():
    declare(_fact, _fact_type(_command), f"Asterisk `{_command}`")
declare_family("conf:", ConfFile, "an Asterisk configuration file as read (`conf:pjsip.conf`)")

_NO_FILE = re.compile(r"^cat: \S+: No such file or directory\s*$", re.MULTILINE)
_DAEMON_DOWN = "daemon_down"


def read_show(command: str, text: str) -> dict[str, Any]:
    """The fact of one CLI command's output; unknown (:class:`Unreadable`) when unread."""
    result = PARSERS[slug(command)](text)
    if isinstance(result, Unknown):
        raise Unreadable(result.reason)
    if isinstance(result, Refused) and result.kind != "no_such_command":
        raise Unreadable(f"{result.reason}: {result.line}")
    return {FACTS[command]: result}


def read_conf(name: str, text: str, source_name: str) -> dict[str, Any]:
    if _NO_FILE.search(text) and len(text.strip().splitlines()) == 1:
        return {f"conf:{name}": ConfFile(name, None, Ref(source_name, 1, text.strip()))}
    return {f"conf:{name}": ConfFile(name, text, None)}


def _show_normaliser(command: str) -> Callable[[Any, Output], dict[str, Any]]:
    def normalise(parsed: Any, out: Output) -> dict[str, Any]:
        return read_show(command, out.text)

    return normalise


def _conf_normaliser(name: str) -> Callable[[Any, Output], dict[str, Any]]:
    def normalise(parsed: Any, out: Output) -> dict[str, Any]:
        return read_conf(name, out.text, out.command)

    return normalise


for _command in SHOW_COMMANDS:
    normaliser(PLATFORM, rx(_command))(_show_normaliser(_command))
for _name in CONF_FILES:
    normaliser(PLATFORM, cat(_name))(_conf_normaliser(_name))


# -------------------------------------------------------------------- saved outputs

#: which root file a lone configuration file stands for, by what it holds
_ROOTS = (
    ("pjsip.conf", re.compile(r"^\s*type\s*=>?\s*(?:endpoint|transport|aor|registration)", re.M)),
    ("sip.conf", re.compile(r"^\s*(?:type\s*=>?\s*(?:peer|friend|user)|register\s*=>)", re.M)),
    ("rtp.conf", re.compile(r"^\s*rtp(?:start|end)\s*=", re.M)),
)


@source(PLATFORM, SAVED, facts=())
def saved(parsed: Any, out: Output) -> dict[str, Any]:
    """A saved transcript (its commands' facts), a configuration file (as the root files
    whose objects it holds: pjsip.conf, sip.conf, rtp.conf) or bare pasted tables."""
    parts = split_transcript(out.text)
    if parts:
        found: dict[str, Any] = {}
        for part in parts:
            if part.command in FACTS:
                try:
                    found.update(read_show(part.command, part.output))
                except Unreadable:
                    continue  # another part may hold it; else it stays unknown
        # tables under another command line (`pjsip show endpoint <name>`, a command typed
        # twice) still read by their own headers
        for fact, value in _bare_outputs(out.text).items():
            found.setdefault(fact, value)
        if not found:
            raise Unreadable("the transcript holds none of the commands the audit reads")
        return found
    roots = [name for name, pattern in _ROOTS if pattern.search(out.text)]
    if not roots:
        bare = _bare_outputs(out.text)
        if bare:
            return bare
        raise Unreadable(
            'neither a transcript (`asterisk -rx "…"` or `*CLI>` lines) nor an Asterisk '
            "configuration file (pjsip.conf, sip.conf or rtp.conf objects)"
        )
    return {key: value for name in roots for key, value in read_conf(name, out.text, SAVED).items()}


def _bare_outputs(text: str) -> dict[str, Any]:
    """The facts of CLI outputs pasted without the command that printed them: each
    parser looks for its own header, so only the tables the text holds give facts."""
    found: dict[str, Any] = {}
    for command, fact in FACTS.items():
        result = PARSERS[slug(command)](text)
        if not isinstance(result, Unknown | Refused):
            found[fact] = result
    return found
