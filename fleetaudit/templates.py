"""TTP templates that declare their own commands.

A template lives at ``<templates dir>/<platform>/<command_slug>.ttp`` and says, in its
``<input>`` block, which command it parses, which device roles run it and which facts
its normaliser produces::

    <input load="python">
    commands = ["show sip-ua status"]
    roles = ["gateway"]          # optional; every role when absent
    facts = ["sip_ua_status"]
    </input>

The collector derives each platform's command list from these declarations, so adding
a template adds a command.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ttp import ttp
from ttp.ttp import _parser_class

from fleetaudit.errors import UsageError
from fleetaudit.evidence import command_slug
from fleetaudit.facts import UnknownFact, require
from fleetaudit.model import role_applies
from fleetaudit.normalisers import get_preprocessor
from fleetaudit.paths import builtin_dir


@dataclass(frozen=True)
class Template:
    platform: str
    command: str
    roles: tuple[str, ...]  # empty: every role
    facts: tuple[str, ...]
    path: Path
    text: str

    @property
    def slug(self) -> str:
        return command_slug(self.command)

    def applies_to(self, role: str | None) -> bool:
        return role_applies(self.roles, role)

    def parse(self, raw: str) -> Any:
        """Run TTP on one command's output; returns the template's result dict."""
        prepare = get_preprocessor(self.platform)
        parser, lock = _compiled(self.text)
        text = prepare(raw) if prepare else raw
        with lock:  # a compiled TTP parser holds its input and results: one use at a time
            return ttp_result(parser, text)


def ttp_result(parser: Any, text: str) -> Any:
    """The result of a compiled one-template parser on ``text``: what ``add_input``,
    ``parse`` and ``result()[0][0]`` give, without their detours. ``add_input`` first
    asks the file system whether the text is a path (two ``stat`` calls per output) and
    parses that file instead when it is: an output reading ``/etc/hostname`` would give
    this machine's file. Templates with outputters or per-template results, or a TTP
    whose internals differ, take TTP's public path (with the text as data, never a path).
    """
    lean = _lean_parts(parser)
    if lean is None:
        return _public_result(parser, text)
    template, data_input = lean
    parser._ttp_["macro"] = template.macro
    parser._ttp_["template_obj"] = template
    runner = _parser_class(
        lookups=template.lookups, vars=template.vars, groups=template.groups, _ttp_=parser._ttp_
    )
    runner.set_data(("text_data", text), main_results={}, input_functions=data_input.functions)
    runner.parse(groups_indexes=data_input.groups_indexes)
    template.form_results(runner.main_results)  # merges an _anonymous_ group as TTP does
    return template.results.pop()


def _lean_parts(parser: Any) -> tuple[Any, Any] | None:
    templates = getattr(parser, "_templates", None)
    if not templates or len(templates) != 1:
        return None
    template = templates[0]
    inputs = getattr(template, "inputs", {})
    if (
        getattr(template, "results_method", None) != "per_input"
        or getattr(template, "outputs", True)
        or getattr(template, "results", True)
        or len(inputs) != 1
        or "Default_Input" not in inputs
        or inputs["Default_Input"].data
    ):
        return None
    return template, inputs["Default_Input"]


def _public_result(parser: Any, text: str) -> Any:
    for template in parser._templates:  # as add_input does, but the text is the data
        if template.name == "_root_template_":
            template.update_input(data=[("text_data", text)])
    try:
        parser.parse(one=True)
        result = parser.result()
        # one template, one input: [[{...}]]; taken before clear_result() empties it
        return result[0][0] if result and result[0] else {}
    finally:
        parser.clear_input()
        parser.clear_result()


_COMPILED: dict[str, tuple[Any, threading.Lock, dict[str, Any]]] = {}
_COMPILING = threading.Lock()


def _compile(text: str) -> tuple[Any, threading.Lock, dict[str, Any]]:
    """Compiling a TTP template costs more than parsing one output with it: do it once per
    process. Also returns the template's ``<input>`` declarations, read at compile time
    (a parser that has parsed no longer tells them)."""
    with _COMPILING:
        found = _COMPILED.get(text)
        if found is None:
            parser = ttp(template=text, log_level="CRITICAL")
            inputs = copy.deepcopy(parser.get_input_load())
            found = _COMPILED[text] = (parser, threading.Lock(), inputs)
        return found


def _compiled(text: str) -> tuple[Any, threading.Lock]:
    parser, lock, _ = _compile(text)
    return parser, lock


def load_template(path: Path, platform: str) -> Template:
    """One template file, its `<input>` declarations read (a usage error when invalid)."""
    text = path.read_text(encoding="utf-8")
    try:
        inputs = _compile(text)[2]
    except Exception as exc:  # TTP raises bare exceptions on malformed XML
        raise UsageError(f"{path}: not a valid TTP template ({exc}); fix its XML") from exc
    declared = next(iter(next(iter(inputs.values()), {}).values()), None) or {}
    commands = declared.get("commands") or []
    if len(commands) != 1:
        raise UsageError(
            f"{path}: its <input> must declare exactly one command, e.g. "
            f'commands = ["show running-config"]'
        )
    facts = tuple(declared.get("facts", ()))
    try:
        require(*facts)
    except UnknownFact as exc:
        raise UsageError(
            f"{path}: its <input> facts = [...] names {exc}; use a declared fact, or "
            f'"ttp:<name>" for a template without a normaliser'
        ) from None
    return Template(
        platform=platform,
        command=commands[0],
        roles=tuple(declared.get("roles", ())),
        facts=facts,
        path=path,
        text=text,
    )


def template_dirs(extra: tuple[Path, ...] = ()) -> tuple[Path, ...]:
    """Built-in templates first; a user's directory can add or override templates."""
    return (builtin_dir("templates"), *extra)


class Templates(Mapping[str, dict[str, Template]]):
    """``{platform: {command_slug: Template}}``; later directories override earlier. A
    platform's templates are read (and compiled) when it is first looked up: a run of
    routers and switches compiles none of the platforms it does not reach (27 of the 41
    built-in templates, ~65 ms of CPU)."""

    def __init__(self, extra: tuple[Path, ...]) -> None:
        self.directories = template_dirs(extra)
        names = (p.parent.name for d in self.directories for p in sorted(d.glob("*/*.ttp")))
        self.platforms = tuple(dict.fromkeys(names))  # in the order the directories give

    def __getitem__(self, platform: str) -> dict[str, Template]:
        if platform not in self.platforms:
            raise KeyError(platform)
        return _platform_templates(self.directories, platform)

    def __iter__(self) -> Iterator[str]:
        return iter(self.platforms)

    def __len__(self) -> int:
        return len(self.platforms)


@cache
def _platform_templates(directories: tuple[Path, ...], platform: str) -> dict[str, Template]:
    found: dict[str, Template] = {}
    for directory in directories:
        for path in sorted(directory.glob(f"{platform}/*.ttp")):
            template = load_template(path, platform)
            found[template.slug] = template
    return found


@cache
def load_templates(extra: tuple[Path, ...] = ()) -> Templates:
    """Every platform's templates. A user's directory is read whole here, so that a broken
    template of theirs is a usage error before any connection; the built-in ones (held
    valid by the tests) are read when a platform is first looked up."""
    for directory in extra:
        if not directory.is_dir():
            raise UsageError(f"templates directory {directory} does not exist; fix the path")
    templates = Templates(extra)
    for directory in extra:
        for platform in dict.fromkeys(p.parent.name for p in directory.glob("*/*.ttp")):
            templates[platform]
    return templates


def templates_for(platform: str, role: str | None, extra: tuple[Path, ...] = ()) -> list[Template]:
    return [t for t in load_templates(extra).get(platform, {}).values() if t.applies_to(role)]
