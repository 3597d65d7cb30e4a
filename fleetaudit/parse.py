"""Parse stage: evidence (raw outputs) -> facts, through TTP templates and normalisers."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import Any

from fleetaudit.evidence import Evidence
from fleetaudit.normalise import Output, get_normaliser
from fleetaudit.templates import Template, templates_for

log = logging.getLogger(__name__)


def parse_output(template: Template, raw: str) -> dict[str, Any]:
    """Facts from one command's output. A template without a normaliser yields its TTP
    result under the name ``ttp:<command_slug>`` for user checks to read."""
    try:
        parsed = template.parse(raw)
    except Exception as exc:  # a template bug must not stop the run: the facts are unknown
        log.warning("template %s failed on %s: %s", template.path, template.command, exc)
        return dict.fromkeys(template.facts)
    normalise = get_normaliser(template.platform, template.command)
    if normalise is None:
        return {f"ttp:{template.slug}": parsed or None}
    facts = normalise(parsed, Output(template.command, raw))
    return {name: facts.get(name) for name in (*template.facts, *facts)}


@dataclasses.dataclass
class ParsedHost:
    facts: dict[str, Any]
    why_unknown: dict[str, str]  # fact -> reason it is None


def parse_host(
    platform: str,
    role: str | None,
    evidence: dict[str, Evidence],
    template_dirs: tuple[Path, ...] = (),
) -> ParsedHost:
    """All facts of one host from its evidence (keyed by command).

    Facts are merged in template order; a fact already known is not overwritten by an
    unknown one from another command.
    """
    facts: dict[str, Any] = {}
    why: dict[str, str] = {}
    for template in templates_for(platform, role, template_dirs):
        item = evidence.get(template.command)
        if item is None or item.status != "ok":
            reason = (
                f"`{template.command}` was not collected"
                if item is None
                else f"`{template.command}` {item.status}: {item.error or 'no output'}"
            )
            for name in template.facts:
                if facts.get(name) is None:
                    facts[name] = None
                    why.setdefault(name, reason)
            continue
        for name, value in parse_output(template, item.output).items():
            if value is not None or facts.get(name) is None:
                facts[name] = value
            if value is None:
                why.setdefault(name, f"`{template.command}` output could not be parsed")
            else:
                why.pop(name, None)
    for command, item in evidence.items():
        if command.startswith("napalm ") and item.status == "ok":
            for name, value in _parse_getter(platform, command, item.output).items():
                facts[name] = _merge(facts.get(name), value)
                why.pop(name, None)
    return ParsedHost(facts, why)


def _merge(old: Any, new: Any) -> Any:
    """A getter's fact over a template's: its known fields win, the template fills the rest."""
    if type(old) is not type(new) or not dataclasses.is_dataclass(new):
        return new
    known = {f.name: getattr(new, f.name) for f in dataclasses.fields(new)}
    return dataclasses.replace(old, **{k: v for k, v in known.items() if v is not None})


def _parse_getter(platform: str, command: str, output: str) -> dict[str, Any]:
    """A napalm getter's JSON; its known facts override the templates' (e.g. ``device``)."""
    normalise = get_normaliser(platform, command)
    if normalise is None:
        return {}
    try:
        parsed = json.loads(output)
    except json.JSONDecodeError:
        return {}
    return {k: v for k, v in normalise(parsed, Output(command, output)).items() if v is not None}


def to_data(value: Any) -> Any:
    """Facts as plain JSON-able data (dataclasses become dicts)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_data(v) for v in value]
    return value
