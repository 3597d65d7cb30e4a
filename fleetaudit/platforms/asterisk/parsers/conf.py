"""Asterisk ``.conf`` files into a :class:`ConfTree`, the way ``main/config.c`` reads them.

- ``;`` starts a comment unless escaped (``\\;``); ``;--`` ... ``--;`` is a block comment;
- ``[name]`` opens a section; ``[name](!)`` a template; ``[name](tpl1,tpl2)`` copies the
  templates' variables first (``inherited_from`` says so); ``[name](+)`` adds to the first
  section of that name already read, ``[name](+type=endpoint)`` to the first whose variables
  match; options combine (``(!,tpl)``). A missing template or ``(+)`` target makes Asterisk
  refuse the whole file: recorded in ``problems``;
- ``key = value`` and ``key => value`` are the same; repeated keys are all kept, in order;
- ``#include file`` / ``#tryinclude file`` read another file in place: its lines continue the
  current section (FreePBX relies on this: ``[general]`` then ``#include sip_nat.conf``).
  Names are relative to /etc/asterisk unless absolute, may be quoted, and may be globs.
  A missing ``#include`` is recorded (Asterisk refuses the file); ``#tryinclude`` is not.

Files are given as a mapping of file name (``pjsip.conf``, ``/etc/asterisk/rtp.conf``) to text.
The same section name may occur more than once: res_pjsip's ``[6001]`` endpoint, aor and auth
are three objects, so sections stay a list.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from fleetaudit.platforms.asterisk.facts import ConfInclude, ConfItem, ConfSection, ConfTree

CONFIG_DIR = "/etc/asterisk"
SECTION = re.compile(r"^\[(?P<name>[^\]]*)\]\s*(?:\((?P<options>[^)]*)\))?\s*$")
DIRECTIVE = re.compile(r"^#\s*(?P<word>include|tryinclude|exec)\s*(?P<arg>.*)$", re.IGNORECASE)
MAX_DEPTH = 20


@dataclass
class _Section:
    name: str
    file: str
    line: int
    template: bool
    inherits: tuple[str, ...]
    items: list[ConfItem] = field(default_factory=list)

    def freeze(self) -> ConfSection:
        return ConfSection(
            self.name, self.file, self.line, self.template, self.inherits, tuple(self.items)
        )


@dataclass
class _Reader:
    files: Mapping[str, str]
    sections: list[_Section] = field(default_factory=list)
    includes: list[ConfInclude] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    current: _Section | None = None

    def read(self, name: str, stack: tuple[str, ...]) -> None:
        text = self.files[name]
        in_block_comment = False
        for number, raw in enumerate(text.splitlines(), start=1):
            line, in_block_comment = strip_comment(raw, in_block_comment)
            if not line:
                continue
            if line.startswith("["):
                self._section(line, name, number)
            elif line.startswith("#"):
                self._directive(line, name, number, stack)
            else:
                self._variable(line, name, number)

    def _section(self, line: str, file: str, number: int) -> None:
        match = SECTION.match(line)
        if match is None:
            self.problems.append(f"{file}:{number}: malformed section line {line!r}")
            return
        name = match["name"].strip()
        options = [opt.strip() for opt in (match["options"] or "").split(",") if opt.strip()]
        additions = [opt for opt in options if opt.startswith("+")]
        if additions:
            existing = _first(self.sections, name, additions[0][1:])
            if existing is not None:
                existing.template = existing.template or "!" in options
                self.current = existing
                return
            self.problems.append(
                f"{file}:{number}: [{name}]({additions[0]}) adds to a section not read before it"
                " (Asterisk refuses the file)"
            )
        templates = tuple(opt for opt in options if opt != "!" and not opt.startswith("+"))
        section = _Section(name, file, number, "!" in options, templates)
        for template in templates:
            base = _first(self.sections, template, "")
            if base is None:
                self.problems.append(
                    f"{file}:{number}: [{name}] inherits from '{template}', which is not defined"
                    " before it (Asterisk refuses the file)"
                )
                continue
            section.items.extend(
                ConfItem(
                    item.key, item.value, item.file, item.line, item.inherited_from or template
                )
                for item in base.items
            )
        self.sections.append(section)
        self.current = section

    def _directive(self, line: str, file: str, number: int, stack: tuple[str, ...]) -> None:
        match = DIRECTIVE.match(line)
        if match is None:
            self.problems.append(f"{file}:{number}: unknown directive {line!r}")
            return
        word = match["word"].lower()
        if word == "exec":
            self.problems.append(f"{file}:{number}: #exec output is not read: {line!r}")
            return
        target = match["arg"].strip().strip("\"'<>").strip()
        found = self._resolve(target, file)
        self.includes.append(
            ConfInclude(
                "include" if word == "include" else "tryinclude", target, file, number, found
            )
        )
        for included in found:
            if included in stack or len(stack) >= MAX_DEPTH:
                self.problems.append(f"{file}:{number}: #include loop through {included}")
                continue
            self.read(included, (*stack, included))

    def _resolve(self, target: str, including: str) -> tuple[str, ...]:
        wanted = _normal(target, including)
        return tuple(
            sorted(name for name in self.files if fnmatch.fnmatchcase(_normal(name, ""), wanted))
        )

    def _variable(self, line: str, file: str, number: int) -> None:
        key, equals, value = line.partition("=")
        if not equals:
            self.problems.append(f"{file}:{number}: no '=' in {line!r}")
            return
        value = value[1:] if value.startswith(">") else value  # "=>" is "="
        if self.current is None:
            self.problems.append(f"{file}:{number}: {key.strip()} outside any [section]")
            return
        self.current.items.append(ConfItem(key.strip(), value.strip(), file, number))


def parse_conf(files: Mapping[str, str], root: str) -> ConfTree:
    """Read ``root`` (one of ``files``) and everything it includes."""
    reader = _Reader(files)
    resolved = reader._resolve(root, "")
    if not resolved:
        return ConfTree(root, (), (), (f"{root}: not among the files given",))
    reader.read(resolved[0], (resolved[0],))
    return ConfTree(
        root=resolved[0],
        sections=tuple(section.freeze() for section in reader.sections),
        includes=tuple(reader.includes),
        problems=tuple(reader.problems),
    )


def _first(sections: list[_Section], name: str, filter_: str) -> _Section | None:
    """The first section of that name (``category_get_sep``), optionally the first whose
    ``key=value`` pairs (``&``-joined, as in ``[name](+type=endpoint)``) all match."""
    wanted = [pair.partition("=") for pair in filter_.split("&") if pair]
    for section in sections:
        if section.name != name:
            continue
        values = {item.key: item.value for item in section.items}
        if all(values.get(key.strip()) == value.strip() for key, _, value in wanted):
            return section
    return None


def _normal(name: str, including: str) -> str:
    """An absolute path for a file name: relative names live in /etc/asterisk."""
    if not posixpath.isabs(name):
        name = posixpath.join(CONFIG_DIR, name)
    return posixpath.normpath(name)


def strip_comment(raw: str, in_block: bool) -> tuple[str, bool]:
    """A config line without its ``;`` comment (``\\;`` is a semicolon) and whether a
    ``;-- ... --;`` block comment is still open after it."""
    if not in_block and ";" not in raw:  # most lines: nothing to strip
        return raw.strip(), False
    if not in_block and "\\" not in raw and ";--" not in raw:
        return raw[: raw.index(";")].strip(), False
    return scan_comment(raw, in_block)


def scan_comment(raw: str, in_block: bool) -> tuple[str, bool]:
    """:func:`strip_comment` character by character: what its shortcuts must equal."""
    out: list[str] = []
    i = 0
    while i < len(raw):
        if in_block:
            end = raw.find("--;", i)
            if end < 0:
                return "".join(out).strip(), True
            i, in_block = end + 3, False
            continue
        char = raw[i]
        if char == "\\" and raw[i + 1 : i + 2] == ";":
            out.append(";")
            i += 2
            continue
        if char == ";":
            if raw.startswith(";--", i):
                in_block, i = True, i + 3
                continue
            break
        out.append(char)
        i += 1
    return "".join(out).strip(), in_block
