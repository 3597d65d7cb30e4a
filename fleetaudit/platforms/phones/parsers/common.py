"""Shared by the vendor parsers: codec and MAC names, reading parameters from any of the
shapes a configuration comes in, and citing the lines they stand on."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from typing import Any

from netutils.mac import is_valid_mac, mac_to_format

from fleetaudit.facts import Ref
from fleetaudit.normalise import Output

Params = dict[str, tuple[str, int | None]]  # name -> (value, 1-based line)

CODECS = {
    "pcmu": "PCMU",
    "g711u": "PCMU",
    "g711ulaw": "PCMU",
    "g711_mu": "PCMU",
    "pcma": "PCMA",
    "g711a": "PCMA",
    "g711alaw": "PCMA",
    "g711_a": "PCMA",
    "g729": "G729",
    "g729a": "G729",
    "g729ab": "G729",
    "g729_ab": "G729",
    "g722": "G722",
    "opus": "OPUS",
    "ilbc": "ILBC",
    "g723": "G723",
    "g723_53": "G723",
    "g723_63": "G723",
    "g726-32": "G726",
    "g726": "G726",
}


def codec_name(text: str) -> str:
    """A vendor's codec label in the provider profile's words.

    >>> codec_name("G711_Mu"), codec_name("g729a"), codec_name("PCMA")
    ('PCMU', 'G729', 'PCMA')
    """
    key = text.strip().lower().replace(".", "")
    return CODECS.get(key, text.strip().upper())


def normal_mac(text: str | None) -> str | None:
    """``0011.2233.4455`` / ``001122334455`` / ``00-11-...`` -> ``00:11:22:33:44:55``.

    >>> normal_mac("001122334455"), normal_mac("not a mac")
    ('00:11:22:33:44:55', None)
    """
    return _normal_mac(text.strip()) if text else None


@lru_cache(maxsize=4096)
def _normal_mac(text: str) -> str | None:
    """netutils tries a dozen patterns a MAC; one MAC is read in many outputs (the
    switches' tables and neighbours, the phone itself)."""
    if not text or not is_valid_mac(text):
        return None
    return str(mac_to_format(text, "MAC_COLON_TWO")).lower()


def to_int(text: str | None) -> int | None:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


_WORDS_ONLY = re.compile(r"[\w.]+")


def line_of(output: Output, key: str) -> int | None:
    """The first line naming ``key`` as a whole parameter (not a longer one)."""
    if _WORDS_ONLY.fullmatch(key):
        # a key of word characters and dots stands whole exactly where it is a maximal
        # run of them: one index per output, not one scan of it per key
        return output.word_lines.get(key)
    pattern = re.compile(r"(?<![\w.])" + re.escape(key) + r"(?![\w.])")
    for number, line in enumerate(output.lines, start=1):
        if pattern.search(line):
            return number
    return None


def line_ref(output: Output, line: int | None, fallback: str) -> Ref:
    if line:
        return output.ref_line(line)
    return Ref(source=output.command, line=None, text=fallback)


def key_ref(output: Output, key: str, value: object) -> Ref:
    """The line naming parameter ``key``; ``key value`` when no line names it."""
    return line_ref(output, line_of(output, key), f"{key} {value}")


def nth_line(output: Output, key: str, index: int) -> int | None:
    """The line of the ``index``-th (0-based) mention of ``key``."""
    seen = [n for n, line in enumerate(output.lines, start=1) if key in line]
    return seen[index] if index < len(seen) else None


# --- reading parameters from any of the shapes a configuration comes in -------------------


def json_body(output: Output) -> Any | None:
    try:
        return json.loads(output.text)
    except (json.JSONDecodeError, ValueError):
        return None


def params_from_mapping(output: Output, data: dict[str, Any]) -> Params:
    return {str(k): ("" if v is None else str(v), line_of(output, str(k))) for k, v in data.items()}


def params_from_xml_attributes(output: Output) -> Params | None:
    """Poly/Polycom provisioning XML: every attribute of every element is a parameter."""
    try:
        root = ET.fromstring(output.text.lstrip("\ufeff").strip())
    except ET.ParseError:
        return None
    found: dict[str, Any] = {}
    for element in root.iter():
        found.update(element.attrib)
    return params_from_mapping(output, found) if found else None


def params_from_xml_elements(output: Output) -> Params | None:
    """Grandstream XML provisioning: ``<config><P47>value</P47>...``."""
    try:
        root = ET.fromstring(output.text.strip())
    except ET.ParseError:
        return None
    found = {e.tag: (e.text or "").strip() for e in root.iter() if re.fullmatch(r"P\d+", e.tag)}
    return params_from_mapping(output, found) if found else None


KEY_VALUE = re.compile(r"^\s*([\w.\-]+)\s*=\s*(.*?)\s*$")


def params_from_key_values(output: Output) -> Params:
    """``key = value`` lines (Yealink ``.cfg``, Grandstream P-value text); ``#``/``;``
    comments. ``%NULL%`` (Yealink) is an empty value."""
    found: Params = {}
    for number, line in enumerate(output.lines, start=1):
        if line.lstrip().startswith(("#", ";", "!")):
            continue
        match = KEY_VALUE.match(line)
        if match:
            value = "" if match.group(2) == "%NULL%" else match.group(2)
            found[match.group(1)] = (value, number)
    return found


def param(params: Params, key: str, default: str | None = None) -> str | None:
    value = params.get(key)
    return value[0] if value is not None else default


def field_refs(output: Output, params: Params, fields: dict[str, str]) -> dict[str, Ref]:
    """``{field: Ref}`` for the parameters that hold each field."""
    refs = {}
    for name, key in fields.items():
        if key in params:
            refs[name] = line_ref(output, params[key][1], f"{key} = {params[key][0]}")
    return refs
