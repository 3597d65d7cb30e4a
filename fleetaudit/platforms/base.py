"""What a platform is: one object that holds everything fleetaudit knows about it.

A platform package (``fleetaudit/platforms/<name>/``) declares one :class:`Platform`.
The stages ask the registry (:mod:`fleetaudit.platforms`) for it instead of keeping
tables of platform names: how to connect, which lines a session may send, which
commands are read-only, what a refusal and what a whole output look like.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Transport = Literal["ssh", "http"]
#: how the platform's configuration is written, which decides how a fix plan merges lines:
#: ``indented`` (indentation is the hierarchy, ``!`` comments), ``commands`` (each line a
#: whole ``/path verb args`` command, ``#`` comments), ``settings`` (key = value lines)
ConfigSyntax = Literal["indented", "commands", "settings"]
#: a session's own credentials, the only lines a set-up dialogue may answer with
Credential = Literal["username", "password", "secret"]

#: ``reason`` why a command may not be sent, or ``None`` when it is read-only
Grammar = Callable[[str], str | None]
#: ``reason`` why an output looks cut short or is not this command's, or ``None``
Completeness = Callable[[str, str], str | None]


def nothing_incomplete(command: str, output: str) -> str | None:
    return None


#: C0 controls but tab, line feed and carriage return; DEL; C1 controls; U+FFFD, which
#: stands for bytes that were not UTF-8 (saved files are decoded with errors="replace").
#: ESC counts too: fleetaudit asks no device for colours, so an ANSI sequence means the
#: terminal was not in the state the templates read.
_GARBAGE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_GARBAGE_NAMES = {
    "\x00": "a NUL byte",
    "\ufffd": "bytes that are not UTF-8",
    "\x1b": "an escape sequence",
}


def garbled(output: str) -> str | None:
    r"""Why ``output`` is not clean text (the same test on every platform), or ``None``.

    >>> garbled("interface Gi0/0\n ip nat out\x00side")
    'is garbled: a NUL byte on line 2'
    >>> garbled("ok\tfine\r\n") is None
    True
    """
    match = _GARBAGE.search(output)
    if match is None:
        return None
    char = match.group()
    what = _GARBAGE_NAMES.get(char, f"control character U+{ord(char):04X}")
    return f"is garbled: {what} on line {output.count(chr(10), 0, match.start()) + 1}"


def refuse_everything(command: str) -> str | None:
    return "this platform declares no read-only commands"


_LINE_ENDS = re.compile("\r\r\r\n|\r\r\n|\r\n|\n\r|\r")


def as_shell_output(output: str) -> str:
    r"""An exec channel's output as netmiko reads the same answer in a shell: line ends
    made ``\n`` and the line end before the prompt (the last line, dropped) gone.

    >>> as_shell_output("a\r\nb\r\n"), as_shell_output("a\r\n\r\n"), as_shell_output("")
    ('a\nb', 'a\n', '')
    """
    output = _LINE_ENDS.sub("\n", output)
    return output[:-1] if output.endswith("\n") else output


def as_routeros_shell_output(output: str) -> str:
    r"""An exec channel's output as netmiko's RouterOS driver reads it in a shell: line
    ends made ``\n``, blank space at both ends stripped (the driver strips it).

    >>> as_routeros_shell_output("\r\n   uptime: 6w\r\n  cpu: MIPS\r\n\r\n")
    'uptime: 6w\n  cpu: MIPS'
    """
    return _LINE_ENDS.sub("\n", output).strip()


@dataclass(frozen=True)
class ExecChannels:
    """How a platform runs its read-only commands without an interactive session: each
    on its own SSH exec channel (``ssh host "<command>"``) of one connection per host,
    the whole output read when the channel closes (:mod:`fleetaudit.exec_session`)."""

    #: channels open at once on the connection (the server's limit: OpenSSH MaxSessions)
    at_once: int = 1
    #: appended to the user name at login (RouterOS login options, ``+ct511w4098h``)
    login_options: str = ""
    #: the output made the same text the interactive path gives (its evidence, byte for
    #: byte: the parsers, completeness rules and saved captures expect that text)
    as_read: Callable[[str], str] = as_shell_output


@dataclass(frozen=True)
class Platform:
    name: str
    title: str  # "Cisco IOS / IOS-XE"
    transport: Transport
    config_command: str  # the command whose output is the device's configuration
    read_only: Grammar = refuse_everything
    #: lines the session set-up and log-out send besides read-only commands (paging,
    #: width, ``enable``, ``exit``)
    session_setup: tuple[str, ...] = ()
    #: set-up lines the device answers with prompts, and the credentials typed at them in
    #: order (``enable`` -> the enable secret); nothing else may answer a prompt
    dialogues: dict[str, tuple[Credential, ...]] = field(default_factory=dict)
    netmiko_device_type: str | None = None
    #: run each command on its own exec channel (asyncssh) instead of a netmiko session
    exec_channels: ExecChannels | None = None
    napalm_driver: str | None = None
    #: keyword arguments for netmiko's ConnectHandler (and napalm's optional_args)
    connection_options: dict[str, object] = field(default_factory=dict)
    #: ``module:Class`` of a :class:`fleetaudit.sessions.PromptSession` subclass setting
    #: up and reading the platform's netmiko sessions; ``None``: netmiko's own
    session: str | None = None
    #: what the device prints when it refuses a command (matched at a line's start)
    refusals: tuple[str, ...] = ()
    #: what the device prints when it does not have the feature a command shows (a module
    #: not loaded): a refusal that answers the question. The evidence is ``rejected``, yet
    #: the normalisers still read it (their facts say the feature is absent) and the host
    #: is not ``partial`` for it
    absent_feature: tuple[str, ...] = ()
    #: per command: why an output looks cut short (``"looks truncated: no `end` line"``)
    complete: Completeness = nothing_incomplete
    #: the family a platform belongs to when checks treat its members alike (``"phone"``)
    family: str = ""
    #: the device roles it serves (``data.role``, ``scan --role``): the inventory accepts
    #: any role a platform declares, so a platform's package brings its roles along
    roles: tuple[str, ...] = ()
    config_syntax: ConfigSyntax = "settings"
    #: how a fix plan comments a line, and the lines around configuration changes
    #: (``("configure terminal", "end")``), ``None`` when changes need no mode
    comment: str = "#"
    config_mode: tuple[str, str] | None = None
    #: modules whose import registers the platform's normalisers, template-less sources
    #: and preprocessor (``fleetaudit.normalise``); imported when the parse stage starts
    parsers: tuple[str, ...] = ()
    #: ``module:function`` collecting a host over HTTP (``transport="http"``), taking
    #: ``(host, connect_timeout, command_timeout)`` and returning a ``HostCollection``
    collector: str | None = None
    #: ``module:function`` compiling the host's rules into a pipeline (``fleetaudit.rules``)
    #: and the fact it reads them from, where the platform filters traffic
    firewall_planner: str | None = None
    firewall_fact: str | None = None
    #: per fact, fields that change without the configuration changing (drift ignores them)
    volatile: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: ``module:Class`` of the simulated device in the lab: a ``Shell`` for SSH platforms,
    #: an HTTP server class for HTTP ones; ``None``: the lab cannot serve this platform
    lab: str | None = None
    lab_ssh_version: str | None = None  # the SSH server's version string in the lab
    #: the lab serves the device's provisioning file too (``data.phone.config_server``)
    lab_serves_config: bool = False
    #: file names a saved device folder may use besides ``<command_slug>.txt`` (the plain
    #: command's name, a configuration file's own) -> the command whose output it holds
    saved_names: Mapping[str, str] = field(default_factory=dict)
    #: netutils ``sanitize_config`` filters (``{"regex", "replace", "when"}``) for secrets
    #: written in the platform's own formats; the scrubber applies every platform's filters
    #: to every text output (:mod:`fleetaudit.sanitize`), wherever the text came from
    secret_filters: tuple[Mapping[str, str], ...] = ()
    #: checks that do not name this platform but apply to it, each with its fix commands
    #: (check ID -> commands): how a platform added by a package joins existing checks
    check_fixes: Mapping[str, str] = field(default_factory=dict)

    def refuses_line(self, line: str) -> str | None:
        """Why a session may not send ``line`` (one line, its line end removed), or ``None``.

        A bare line end, a declared set-up line and a read-only command pass. The answers
        to a dialogue's prompts are judged by whoever knows the prompt is open.
        """
        if line == "" or line in self.session_setup:
            return None
        return self.read_only(line)

    def damaged(self, command: str, output: str) -> str | None:
        """Why ``output`` is not the whole, clean answer to ``command``, or ``None``.

        An empty output is left to the normalisers (it is no answer, not a damaged one).
        """
        if not output.strip():
            return None
        return garbled(output) or self.complete(command, output)

    def refusal(self, output: str) -> str | None:
        """The device's complaint when ``output`` is a refusal, else ``None``.

        Only the first lines count: a configuration may quote such a text further down.
        """
        head = output[:500]
        markers = self.refusals + self.absent_feature
        if not markers or not _refusal_pattern(markers).search(head):
            return None
        return output.strip().splitlines()[-1]

    def lacks_feature(self, output: str) -> bool:
        """Whether ``output`` is the device saying it does not have the feature (one of
        :attr:`absent_feature`, and none of the :attr:`refusals`)."""
        head = output[:500]
        if not self.absent_feature or not _refusal_pattern(self.absent_feature).search(head):
            return False
        return not self.refusals or not _refusal_pattern(self.refusals).search(head)

    def answered(self, status: str, output: str) -> bool:
        """Whether evidence of ``status`` holding ``output`` answers its command: ``ok``,
        or ``rejected`` because the device lacks the feature (see :attr:`absent_feature`)."""
        return status == "ok" or (status == "rejected" and self.lacks_feature(output))


def load(reference: str) -> Any:
    """The object a ``module:attribute`` reference names (imported on first use, so the
    registry stays cheap to load)."""
    module, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module), attribute)


_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _refusal_pattern(markers: tuple[str, ...]) -> re.Pattern[str]:
    if markers not in _PATTERNS:
        alternatives = "|".join(re.escape(m) for m in markers)
        _PATTERNS[markers] = re.compile(rf"^\s*(?:{alternatives})", re.MULTILINE)
    return _PATTERNS[markers]
