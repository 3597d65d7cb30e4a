"""Normalisers: one small pure function per (platform, command) turning TTP results into facts.

Each normaliser receives the TTP result for one command and an :class:`Output` (the raw
text, to locate evidence lines) and returns ``{fact_name: value}``. It returns a fact as
``None`` when the output does not hold what it needs (empty, an error page, not this
command's output); it never turns "could not read" into "nothing configured".

This module is the registry the normalisers register with; it imports none of them (that
would be an import cycle). :mod:`fleetaudit.normalisers` imports them all and is where the
stages look normalisers up.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from fleetaudit.facts import Ref, require
from fleetaudit.model import role_applies

_WORD_RUN = re.compile(r"[\w.]+")


@dataclass(frozen=True)
class Output:
    """One command's raw output, with helpers to cite its lines."""

    command: str
    text: str

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def _squeezed(self) -> list[str]:
        """Lines with runs of whitespace made one space, for comparisons."""
        return [" ".join(line.split()) for line in self.lines]

    @cached_property
    def _numbers(self) -> dict[str, list[int]]:
        """Squeezed line -> its 1-based line numbers, ascending: built once per output, so
        citing a line costs a lookup, not a scan of the whole output."""
        index: dict[str, list[int]] = {}
        for number, line in enumerate(self._squeezed, start=1):
            index.setdefault(line, []).append(number)
        return index

    @cached_property
    def word_lines(self) -> dict[str, int]:
        """Each maximal run of word characters and dots (``reg.1.address``) -> the 1-based
        number of the first line holding it: where a parameter named so is written."""
        first: dict[str, int] = {}
        for number, line in enumerate(self.lines, start=1):
            for word in _WORD_RUN.findall(line):
                first.setdefault(word, number)
        return first

    def find(self, text: str, after: int = 0) -> int | None:
        r"""1-based number of the first line at or after line ``after`` whose stripped
        content equals ``text`` stripped; ``None`` when absent.

        >>> out = Output("show run", "interface Gi0/1\n  shutdown\ninterface Gi0/2\n shutdown")
        >>> out.find("shutdown"), out.find(" shutdown ", after=3), out.find("shutdown", 5)
        (2, 4, None)
        """
        numbers = self._numbers.get(" ".join(text.split()))
        if not numbers:
            return None
        position = bisect_left(numbers, after)
        return numbers[position] if position < len(numbers) else None

    def find_prefix(self, prefix: str, after: int = 0) -> int | None:
        wanted = " ".join(prefix.split())
        for number in range(max(after, 1), len(self._squeezed) + 1):
            if self._squeezed[number - 1].startswith(wanted):
                return number
        return None

    def ref(self, text: str, after: int = 0) -> Ref:
        """A reference to ``text`` (searched from line ``after``); line None if absent."""
        number = self.find(text, after)
        shown = self.lines[number - 1].strip() if number else " ".join(text.split())
        return Ref(source=self.command, line=number, text=shown)

    def ref_line(self, number: int) -> Ref:
        return Ref(source=self.command, line=number, text=self.lines[number - 1].strip())


Normaliser = Callable[[Any, Output], dict[str, Any]]


class Unreadable(ValueError):
    """A value is not what it claims (``address=192.168.20.1000/24``: an octet > 255).

    Raised by a normaliser, it makes every fact of that output unknown with this reason,
    rather than a fact built on the values that happened to read.
    """


@dataclass(frozen=True)
class Source:
    """A command (or API call, or getter) whose output becomes facts without a TTP
    template: its normaliser gets ``parsed=None`` and reads ``Output.text`` itself."""

    platform: str
    command: str
    facts: tuple[str, ...]
    roles: tuple[str, ...] = ()

    def applies_to(self, role: str | None) -> bool:
        return role_applies(self.roles, role)


_SOURCES: dict[tuple[str, str], Source] = {}
Preprocessor = Callable[[str], str]
_REGISTRY: dict[tuple[str, str], Normaliser] = {}
_PREPROCESSORS: dict[str, Preprocessor] = {}


def preprocessor(platform: str) -> Callable[[Preprocessor], Preprocessor]:
    """Register a text transform run before TTP for every output of a platform (e.g.
    joining RouterOS ``\\``-continued lines). Normalisers still see the original text."""

    def register(function: Preprocessor) -> Preprocessor:
        _PREPROCESSORS[platform] = function
        return function

    return register


def get_preprocessor(platform: str) -> Preprocessor | None:
    return _PREPROCESSORS.get(platform)


def normaliser(platform: str, command: str) -> Callable[[Normaliser], Normaliser]:
    def register(function: Normaliser) -> Normaliser:
        _REGISTRY[(platform, command)] = function
        return function

    return register


def source(
    platform: str, command: str, facts: tuple[str, ...], roles: tuple[str, ...] = ()
) -> Callable[[Normaliser], Normaliser]:
    """Register a template-less normaliser for ``command`` that yields ``facts`` (names
    declared in :mod:`fleetaudit.facts`)."""
    require(*facts)
    _SOURCES[(platform, command)] = Source(platform, command, facts, roles)
    return normaliser(platform, command)


def sources_for(platform: str, role: str | None) -> list[Source]:
    return [s for s in _SOURCES.values() if s.platform == platform and s.applies_to(role)]


def get_normaliser(platform: str, command: str) -> Normaliser | None:
    return _REGISTRY.get((platform, command))


def as_list(value: Any) -> list[Any]:
    """TTP returns a dict for one match and a list for several; always give a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
