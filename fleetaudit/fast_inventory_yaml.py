"""Inventories read by libyaml, giving exactly what ruamel's YAML 1.2 safe loader gives.

Nornir reads inventories with ruamel (YAML 1.2); its pure-Python loader costs ~0.7 ms per
host. PyYAML's libyaml parser and a small builder give the same document in ~0.1 ms per
host when its scalars are resolved by the YAML 1.2 core-schema rules ruamel applies (ruamel 0.18/0.19
``resolver.implicit_resolvers``, the 1.2 entries; ``SafeConstructor``):

- bool: only ``true|True|TRUE|false|False|FALSE`` (``yes``, ``on``, ``off`` are text);
- null: ``~``, ``null|Null|NULL`` and the empty scalar;
- int: ``[-+]?0b[01_]+``, ``[-+]?0o?[0-7_]+``, ``[-+]?[0-9_]+``, ``[-+]?0x[0-9a-fA-F_]+``
  (``010`` is ten, ``0o17`` fifteen, underscores dropped);
- float: digits with a ``.`` and/or an exponent, ``.5``, ``.inf``, ``.nan`` (underscores too);
- timestamp: ``YYYY-MM-DD`` (a ``date``) or with a time (a ``datetime``);
- ``<<`` (merge) and ``=`` (value) are tags of their own; duplicate keys are refused.

This loader builds only the forms it is sure of: text, bool, null, decimal ints, plain
decimal floats and ``YYYY-MM-DD`` dates. Any other scalar ruamel would type, an explicit
tag, an anchor or alias, an explicit key, a single-pair mapping in a flow sequence, a
merge key, a duplicate key, a ``%YAML`` directive, a tab, a character ruamel's reader
refuses, or anything libyaml refuses (it refuses ``{url: http://host:80}`` in a flow
mapping, which YAML 1.2 allows) gives :data:`DEFER`: the caller then reads the text with
ruamel, whose result (or error message) is the reference. Where the two scanners were
found to disagree (tests/test_yamlfile.py draws documents to find such cases), the text
is deferred too.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any, Final

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

LIBYAML: bool = yaml.__with_libyaml__
DEFER: Final = object()  # the text must be read by ruamel

STR, BOOL, NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
INT, FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
TIMESTAMP, OTHER = "tag:yaml.org,2002:timestamp", "tag:fleetaudit:ruamel-decides"
SEQ, MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"

_BOOLS = {"true": True, "True": True, "TRUE": True}
_BOOLS |= {"false": False, "False": False, "FALSE": False}
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_NUMBER_START = frozenset("-+.0123456789")

_DECIMAL_INT = re.compile(r"[-+]?[0-9]+\Z")
_DECIMAL_FLOAT = re.compile(r"[-+]?[0-9]+\.[0-9]+\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
# Everything else that ruamel's YAML 1.2 rules type (int, float, timestamp); anything a
# plain scalar starting with one of _NUMBER_START that matches none of these is text.
_TYPED_BY_RUAMEL = re.compile(
    r"""(?:[-+]?0b[0-1_]+
    |[-+]?0o?[0-7_]+
    |[-+]?[0-9_]+
    |[-+]?0x[0-9a-fA-F_]+
    |[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN)
    |[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?
     (?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?
    )\Z""",
    re.X,
)
# A %YAML directive (ruamel would switch to 1.1 rules), a tab (ruamel's scanner refuses
# tabs between tokens that libyaml accepts), a character ruamel's reader refuses (libyaml's
# list differs), a byte-order mark, or what may start an anchor, alias, tag or block scalar
# (the two scanners end names and headers differently: ``&x: v``, ``>#``), or an explicit
# key ``?`` (they read ``[?,:x]`` differently).
_RUAMEL_ONLY_TEXT = re.compile(
    "^%"
    "|[^\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    "|(?:^|[ \\[{,:?\"'-])[&*!|>]"
    "|(?:^|[ \\[{,])\\?(?:[ ,\\]}]|$)",
    re.M,
)


def plain_tag(value: str) -> str:
    """The tag of a plain (unquoted) scalar: what ruamel gives it where this loader
    builds that type, :data:`OTHER` where ruamel types it otherwise."""
    if value in _BOOLS:
        return BOOL
    if value in _NULLS:
        return NULL
    first = value[0]
    if first in _NUMBER_START:
        if _DECIMAL_INT.match(value):
            return INT
        if _DECIMAL_FLOAT.match(value):
            return FLOAT
        if _DATE.match(value):
            return TIMESTAMP
        if _TYPED_BY_RUAMEL.match(value):
            return OTHER
    elif value in ("<<", "="):
        return OTHER
    return STR


class _Defer(Exception):
    """This document is ruamel's to read."""


_PARSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # only used with libyaml


class _Core12Composer(_PARSER):  # type: ignore[misc]
    """libyaml's parser and composer with YAML 1.2 core-schema tags on plain scalars; it
    counts them, as a plain scalar it did not tag had an explicit tag (``!!str 12``)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.implicitly_tagged = 0

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0]:
            self.implicitly_tagged += 1
            return plain_tag(value)
        return str(super().resolve(kind, value, implicit))


_SCALARS: dict[str, Callable[[str], Any]] = {
    STR: str,
    BOOL: _BOOLS.__getitem__,
    NULL: lambda _: None,
    INT: int,
    FLOAT: float,
    TIMESTAMP: lambda value: datetime.date.fromisoformat(value),
}


class _Builder:
    """Python objects from the composed nodes (PyYAML's constructor, 8x slower, is not
    needed: no anchors, tags or merge keys reach here)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.plain = 0

    def build(self, node: Node) -> Any:
        if isinstance(node, ScalarNode):
            if node.style:  # quoted or block: text, unless explicitly tagged
                if node.tag != STR:
                    raise _Defer
            else:
                self.plain += 1
            return _SCALARS[node.tag](node.value)  # KeyError: a tag ruamel decides
        if isinstance(node, SequenceNode):
            if node.tag != SEQ:
                raise _Defer
            return [self.build(item) for item in node.value]
        if not isinstance(node, MappingNode) or node.tag != MAP:
            raise _Defer
        if node.flow_style and self.text[node.start_mark.index] != "{":
            raise _Defer  # a single pair in a flow sequence, ``[a: b]``: the readers differ
        mapping = {self.build(key): self.build(value) for key, value in node.value}
        if len(mapping) != len(node.value):  # a duplicate key: ruamel refuses it
            raise _Defer
        return mapping


def load(text: str) -> Any:
    """The document in ``text`` as ruamel's YAML 1.2 safe loader gives it, or
    :data:`DEFER` when only ruamel can say (see the module's docstring)."""
    if not LIBYAML or _RUAMEL_ONLY_TEXT.search(text):
        return DEFER
    composer = _Core12Composer(text)
    try:
        node = composer.get_single_node()
        if node is None:
            return None
        builder = _Builder(text)
        document = builder.build(node)
        if builder.plain != composer.implicitly_tagged:
            return DEFER  # a plain scalar with an explicit tag
        return document
    except Exception:  # noqa: BLE001 (whatever libyaml or the builder refuses, ruamel judges)
        return DEFER
    finally:
        composer.dispose()
