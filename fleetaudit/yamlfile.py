"""Reading the YAML files users write, once, with every way it can fail a usage error.

Inventories are read as Nornir reads them (ruamel, YAML 1.2: ``off`` is a string; by
libyaml where that gives the same document, see fleetaudit/fast_inventory_yaml.py);
waivers and ``--policy`` files as YAML 1.1 (PyYAML), but with dates left as text so a
date like ``2030-13-45`` is reported against its key instead of failing the parser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ruamel.yaml
import yaml
from ruamel.yaml.error import YAMLError as RuamelYAMLError

from fleetaudit import fast_inventory_yaml
from fleetaudit.errors import UsageError

TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _DatesAsText(yaml.SafeLoader):
    """PyYAML's safe loader without implicit timestamps (models parse the dates)."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def inventory_yaml() -> ruamel.yaml.YAML:
    """ruamel's YAML 1.2 safe loader, as Nornir reads inventories. Pure Python even where
    ruamel.yaml.clib is installed: its libyaml parser refuses plain scalars YAML 1.2 allows
    (``{url: http://host:80}`` in a flow mapping), so the same file would load or not
    depending on the machine."""
    return ruamel.yaml.YAML(typ="safe", pure=True)


def _inventory_document(text: str) -> Any:
    """libyaml where it gives exactly what ruamel gives (~6x faster), else ruamel itself,
    whose errors are the ones users see."""
    document = fast_inventory_yaml.load(text)
    return inventory_yaml().load(text) if document is fast_inventory_yaml.DEFER else document


def read_bytes(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the {what} ({exc.strerror or exc})") from None


def decode(raw: bytes, path: Path, what: str) -> str:
    """The file's bytes as UTF-8 text; binary or mis-encoded files are usage errors."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UsageError(
            f"{path}: line {line}: not UTF-8 text (byte {raw[exc.start]:#04x} at offset "
            f"{exc.start}); save the {what} as UTF-8"
        ) from None


def parse_yaml(raw: bytes, path: Path, what: str, *, nornir: bool = False) -> Any:
    """The YAML document in ``raw`` (``None`` when empty), read from ``path``."""
    text = decode(raw, path, what)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise UsageError(f"{path}: line {line}: a NUL byte; the {what} must be YAML text")
    try:
        if nornir:
            return _inventory_document(text)
        return yaml.load(text, Loader=_DatesAsText)  # noqa: S506 (a safe loader)
    except (yaml.YAMLError, RuamelYAMLError) as exc:
        detail = " ".join(str(exc).split())
        raise UsageError(f"{path}: not valid YAML ({detail}); fix the file") from None
    except ValueError as exc:  # a scalar the loader resolved but could not build
        raise UsageError(f"{path}: not valid YAML ({exc}); fix the file") from None


def load_yaml(path: Path, what: str, *, nornir: bool = False) -> Any:
    """The file's YAML document (``None`` when empty)."""
    return parse_yaml(read_bytes(path, what), path, what, nornir=nornir)
