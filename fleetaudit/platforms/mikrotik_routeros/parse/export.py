"""The export model: ``\\``-continued lines joined, commands tokenised by section,
and the lines cited as evidence (:class:`Export`).

An export lists commands per menu section (``/ip firewall nat`` then ``add ...``
lines); TTP captures the sections, this module turns them into commands
(:class:`Command`) and finds the physical line each was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import islice
from typing import Any

from fleetaudit.facts import Ref
from fleetaudit.normalise import Output, as_list, preprocessor
from fleetaudit.platforms.mikrotik_routeros import PLATFORM as ROUTEROS

PLATFORM = "mikrotik_routeros"
VERBS = ("add", "set", "disable", "enable", "remove", "unset", "move")
_ERRORS = ROUTEROS.refusals  # RouterOS console errors: the platform's own list
# the version where no `# ... by RouterOS X` header names it: `/system resource print`
# printed before the export (as Oxidized saves it), `version: 7.18.2 (stable)`
_RESOURCE_VERSION = re.compile(r"#?\s*(?:installed-)?version: (\d+)\.\S+(?: \(\w+\))?")
_HEADER_VERSION = re.compile(r" by RouterOS (\d+)\.")
# menus only RouterOS 7 has: an export saved without its header is v7 when it has one
V7_MENUS = ("/interface wifi", "/interface wireguard", "/routing id", "/routing table")
_ESCAPED = re.compile(r"\\(.)")
TOKEN = re.compile(r'\[[^\]]*\]|[^\s="]+="(?:[^"\\]|\\.)*"|"(?:[^"\\]|\\.)*"|\S+')


# --------------------------------------------------------------------------- text


def logical_lines(text: str) -> list[tuple[int, int, str]]:
    """Join ``\\``-continued lines: ``(first line, last line, joined text)``, 1-based.

    RouterOS wraps long commands at ~80 columns, ending a line with ``\\`` and indenting
    the continuation by four blanks; the break can fall inside a word or a quoted value,
    so the blanks are dropped and the pieces glued together.

    >>> logical_lines("add a=1 \\\\\\n    b=2\\nset c=\\\\\\n    3")
    [(1, 2, 'add a=1 b=2'), (3, 4, 'set c=3')]
    """
    return list(_logical_lines(text))


@lru_cache(maxsize=4)
def _logical_lines(text: str) -> tuple[tuple[int, int, str], ...]:
    """:func:`logical_lines`, once per text: the preprocessor (before TTP) and the
    normaliser's line cursor (after it) both read the same output's logical lines."""
    result: list[tuple[int, int, str]] = []
    pending: tuple[int, str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if pending is not None:
            start, head = pending
            line = head + line.lstrip()
        else:
            start = number
        if line.endswith("\\"):
            pending = (start, line[:-1])
            continue
        pending = None
        result.append((start, number, line))
    if pending is not None:
        result.append((pending[0], number, pending[1]))
    return tuple(result)


@preprocessor(PLATFORM)
def join_continuations(text: str) -> str:
    """The text TTP sees: one line per RouterOS command."""
    return "\n".join(line for _, _, line in _logical_lines(text))


def is_error_output(text: str) -> bool:
    """RouterOS console errors (``bad command name``, ``syntax error`` ...)."""
    head = islice((line.strip().lower() for line in text.splitlines() if line.strip()), 3)
    return any(line.startswith(_ERRORS) for line in head)


def tokens(text: str) -> list[str]:
    """The tokens of a command line; without quotes or brackets, its words (what
    ``TOKEN`` finds there too, at a fraction of the cost: most lines have neither)."""
    if '"' not in text and "[" not in text:
        return text.split()
    if "[" not in text and "\\" not in text:
        found = _quoted_words(text)
        if found is not None:
            return found
    return TOKEN.findall(text)


def _quoted_words(text: str) -> list[str] | None:
    """``TOKEN``'s tokens of a line without brackets or escapes whose every quoted value
    opens at a word's start or right after its ``key=`` and closes before a blank or the
    end (``comment="WAN link" name=x``): its words, each quoted value glued whole to its
    key. ``None`` for any other line (the pattern decides those)."""
    pieces = text.split('"')
    if len(pieces) % 2 == 0:  # a quote left open
        return None
    words: list[str] = []
    last = len(pieces) - 1
    for index in range(0, last + 1, 2):
        outside = pieces[index]
        if index and not (outside[:1].isspace() or (index == last and not outside)):
            return None  # a closing quote with more of its word after it
        if index == last:
            words += outside.split()
            return words
        quoted = f'"{pieces[index + 1]}"'
        if not outside or outside[-1].isspace():
            words += outside.split()
            words.append(quoted)
            continue
        *before, word = outside.split()
        if len(word) < 2 or word[-1] != "=" or "=" in word[:-1]:
            return None  # not `key=` right before the quote
        words += before
        words.append(word + quoted)
    return words


def unquote(value: str) -> str:
    r"""``"a \"b\""`` -> ``a "b"``; unquoted values are returned as they are."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        inner = value[1:-1]
        return _ESCAPED.sub(r"\1", inner) if "\\" in inner else inner
    return value


def is_yes(value: str | None) -> bool:
    return (value or "").lower() in ("yes", "true")


# --------------------------------------------------------------------------- commands


@dataclass
class Command:
    """One RouterOS command of the export, with where it was read."""

    section: str  # "ip firewall filter"
    verb: str  # "add", "set", "disable", ...
    args: dict[str, str]  # key=value as written (unquoted); `!key` (unset) dropped
    target: str | None  # positional item: "sip", "ether1", "0", "[ find default-name=ether1 ]"
    find: dict[str, str]  # key=value inside `[ find ... ]`
    line: int  # first physical line
    end: int  # last physical line
    text: str  # the joined command

    @property
    def compact(self) -> str:
        """The command without the ``!key`` (unset) markers of a verbose export."""
        return " ".join(t for t in tokens(self.text) if not t.startswith("!"))

    @property
    def disabled(self) -> bool:
        return is_yes(self.args.get("disabled"))

    def item(self) -> str | None:
        """What the command sets: ``sip``, ``ether1``; from ``[ find name=X ]`` too."""
        if self.target and not self.target.startswith("["):
            return self.target
        return self.find.get("name") or self.find.get("default-name")


def tokenise(args: str) -> tuple[dict[str, str], str | None, dict[str, str]]:
    """``key=value`` pairs, the positional item and the ``[ find ... ]`` filter.

    >>> tokenise('[ find default-name=ether1 ] comment="WAN link" !mtu name=ether1')
    ({'comment': 'WAN link', 'name': 'ether1'}, '[ find default-name=ether1 ]', \
{'default-name': 'ether1'})
    """
    values: dict[str, str] = {}
    target: str | None = None
    find: dict[str, str] = {}
    # a verbose export has hundreds of these a command: first characters over startswith,
    # and `unquote` inlined for key=value
    for token in tokens(args):
        head = token[0]
        if head == "[":
            target = target or token
            find = tokenise(token.strip("[] ").removeprefix("find").strip())[0]
        elif head == "!":
            continue
        elif head != '"' and "=" in token:
            key, _, value = token.partition("=")
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
                if "\\" in value:
                    value = _ESCAPED.sub(r"\1", value)
            values[key] = value
        elif target is None:
            target = unquote(token)
    return values, target, find


def _split_path(path: str) -> tuple[str, str | None]:
    """``ip firewall service-port set sip disabled=yes`` -> (section, inline command)."""
    words = path.split()
    for position, word in enumerate(words):
        if word in VERBS:
            return " ".join(words[:position]), " ".join(words[position:])
    return " ".join(words), None


class _Cursor:
    """Walks the logical lines in order to find the line of each TTP capture."""

    def __init__(self, text: str) -> None:
        self.lines = [
            (start, end, " ".join(line.split())) for start, end, line in _logical_lines(text)
        ]
        self.position = 0

    def take(self, key: str) -> tuple[int, int]:
        """The physical lines of the next logical line reading ``key`` (squeezed: single
        blanks, none at the ends); ``(0, 0)`` when none follows."""
        for index in range(self.position, len(self.lines)):
            start, end, line = self.lines[index]
            if line == key:
                self.position = index + 1
                return start, end
        return 0, 0


def commands(parsed: Any, text: str) -> list[Command]:
    """Every command of the export in order, from the TTP sections."""
    cursor = _Cursor(text)
    result: list[Command] = []
    for section in export_records(parsed, "sections"):
        path = clean_value(section.get("path"))
        start, end = cursor.take(f"/{path}")  # clean_value squeezed it
        name, inline = _split_path(path)
        entries = [(inline, start, end)] if inline else []
        for entry in (c for c in as_list(section.get("commands")) if isinstance(c, dict)):
            line = f"{clean_value(entry.get('verb'))} {clean_value(entry.get('args'))}".strip()
            entries.append((line, *cursor.take(line)))
        for line, first, last in entries:
            verb, _, rest = line.partition(" ")
            values, target, find = tokenise(rest)
            result.append(Command(name, verb, values, target, find, first, last, line))
    return result


def clean_value(value: Any) -> str:
    return " ".join(str(value or "").split())


def export_records(parsed: Any, key: str) -> list[dict[str, Any]]:
    if not isinstance(parsed, dict):
        return []
    return [item for item in as_list(parsed.get(key)) if isinstance(item, dict)]


# --------------------------------------------------------------------------- export


@dataclass
class Export:
    """One export, tokenised, with what the normalisers need to cite lines."""

    out: Output
    commands: list[Command]
    major: int | None  # RouterOS major version from the header; None when absent
    lists: dict[str, list[str]] = field(default_factory=dict)  # interface list -> members
    version_line: int | None = None  # the line naming the version (cited for defaults)

    def section(self, name: str) -> list[Command]:
        return list(self._sections.get(name, ()))

    @cached_property
    def _sections(self) -> dict[str, list[Command]]:
        """Section -> its commands in order, grouped once (the readers ask for ~20)."""
        grouped: dict[str, list[Command]] = {}
        for command in self.commands:
            grouped.setdefault(command.section, []).append(command)
        return grouped

    def ref(self, command: Command, containing: str | None = None) -> Ref:
        """The command's first physical line, or the one within it holding ``containing``."""
        number = command.line or None
        if number and containing:
            for candidate in range(command.line, command.end + 1):
                if containing in self.out.lines[candidate - 1]:
                    number = candidate
                    break
        if number is None or (not containing and command.end > command.line):
            # a `\`-continued command is cited whole, at its first line
            return Ref(
                source=self.out.command, line=number, text=f"/{command.section} {command.compact}"
            )
        return self.out.ref_line(number)


def _version(out: Output) -> tuple[int | None, int | None]:
    """RouterOS major version and the line naming it: the export header
    (``# ... by RouterOS 6.49.10``), else a ``version: 7.18.2`` line printed before it,
    else the first menu only RouterOS 7 has (``/interface wifi``)."""
    for number, line in enumerate(out.lines, start=1):
        header = _HEADER_VERSION.search(line) if line.startswith("#") else None
        if header:
            return int(header[1]), number
    for number, line in enumerate(out.lines, start=1):
        if line.startswith("/"):
            break
        resource = _RESOURCE_VERSION.fullmatch(line.strip())
        if resource:
            return int(resource[1]), number
    for number, line in enumerate(out.lines, start=1):
        if line.rstrip() in V7_MENUS:
            return 7, number
    return None, None


def read_export(parsed: Any, out: Output) -> Export:
    major, version_line = _version(out)
    export = Export(out, commands(parsed, out.text), major, version_line=version_line)
    for member in export.section("interface list member"):
        if member.verb == "add" and not member.disabled:
            name = member.args.get("list", "")
            export.lists.setdefault(name, []).append(member.args.get("interface", ""))
    return export


def is_export(parsed: Any, text: str) -> bool:
    if is_error_output(text):
        return False
    return bool(export_records(parsed, "header") or export_records(parsed, "sections"))
