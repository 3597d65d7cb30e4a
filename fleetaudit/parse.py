"""Parse stage: evidence (raw outputs) -> facts, through TTP templates and normalisers."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from fleetaudit import platforms
from fleetaudit.evidence import Evidence
from fleetaudit.facts.registry import plain
from fleetaudit.normalise import Output, Unreadable
from fleetaudit.normalisers import get_normaliser, sources_for
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
    facts = normalise(parsed, Output(template.command, raw))  # may raise ValueError
    return {name: facts.get(name) for name in (*template.facts, *facts)}


@dataclasses.dataclass
class ParsedHost:
    facts: dict[str, Any]
    why_unknown: dict[str, str]  # fact -> reason it is None

    def unknown(self, names: tuple[str, ...], reason: str) -> None:
        for name in names:
            if self.facts.get(name) is None:
                self.facts[name] = None
                self.why_unknown.setdefault(name, reason)

    def learn(self, command: str, found: dict[str, Any]) -> None:
        for name, value in found.items():
            if value is None:
                self.unknown((name,), f"`{command}` output could not be parsed")
            else:
                self.facts[name] = _merge(self.facts.get(name), value)
                self.why_unknown.pop(name, None)


def parse_host(
    platform: str,
    role: str | None,
    evidence: dict[str, Evidence],
    template_dirs: tuple[Path, ...] = (),
) -> ParsedHost:
    """All facts of one host from its evidence (keyed by command).

    Templates run first, in order; then template-less sources (phone APIs). A fact
    assembled from several outputs (a phone's ``phone`` from its device, network and
    port pages) takes each later output's known fields over the earlier ones'; a fact
    already known is never overwritten by an unknown one from another command.
    """
    parsed = ParsedHost({}, {})
    evidence = {command: _judged(platform, item) for command, item in evidence.items()}
    answered = platforms.get(platform).answered  # "ok", or refused for a feature it lacks
    for template in templates_for(platform, role, template_dirs):
        item = evidence.get(template.command)
        if item is None or not answered(item.status, item.output):
            parsed.unknown(template.facts, _missing(template.command, item))
            continue
        try:
            found = parse_output(template, item.output)
        except ValueError as exc:  # a value not what it claims: these facts are unknown
            parsed.unknown(template.facts, _unreadable(template.command, exc))
            continue
        parsed.learn(template.command, found)
    for src in sources_for(platform, role):
        item = evidence.get(src.command)
        normalise = get_normaliser(platform, src.command)
        if item is None or not answered(item.status, item.output) or normalise is None:
            parsed.unknown(src.facts, _missing(src.command, item))
            continue
        try:
            found = normalise(None, Output(src.command, item.output))
        except ValueError as exc:
            parsed.unknown(src.facts, _unreadable(src.command, exc))
            continue
        parsed.learn(src.command, {name: found.get(name) for name in (*src.facts, *found)})
    return parsed


def _judged(platform: str, item: Evidence) -> Evidence:
    """Evidence that reached here as ``ok`` without the collector's judgement (phone
    answers, napalm getters, runs stored before it) is judged now: nothing cut short or
    garbled gives facts, whichever way it came."""
    if item.status != "ok" or item.judged:
        return item
    damage = platforms.get(platform).damaged(item.command, item.output)
    if damage is None:
        return item
    return dataclasses.replace(item, status="incomplete", error=f"`{item.command}` {damage}")


def _unreadable(command: str, exc: ValueError) -> str:
    """The reason for facts a normaliser could not build: ``ipaddress`` and ``int`` raise
    ValueError on values that are not what they claim (an octet > 255)."""
    if isinstance(exc, Unreadable):
        return f"`{command}` {exc}"
    return f"`{command}` holds a value that does not read: {exc}"


def _missing(command: str, item: Evidence | None) -> str:
    if item is None:
        return f"`{command}` was not collected"
    if item.status == "incomplete" and item.error:
        return item.error
    return f"`{command}` {item.status}: {item.error or 'no output'}"


def _merge(old: Any, new: Any) -> Any:
    """One fact read in parts from several outputs: the later part's known fields win,
    the earlier fills the rest. (Never two parsers of one output: each platform reads
    each fact once, see its package.)"""
    if type(old) is not type(new) or not dataclasses.is_dataclass(new):
        return new
    known = {f.name: getattr(new, f.name) for f in dataclasses.fields(new)}
    return dataclasses.replace(old, **{k: v for k, v in known.items() if v is not None})


def to_data(value: Any) -> Any:
    """Facts as plain JSON-able data (dataclasses become dicts); the same JSON as each
    fact's declared type gives (:func:`fleetaudit.facts.dump_facts`)."""
    return plain(value)
