"""The offline scan's shortcuts (line indexes, fast paths) answer what the plain scans they
replace answered, on any text: each is checked against that plain scan here."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from fleetaudit.normalise import Output
from fleetaudit.platforms.asterisk.parsers.conf import scan_comment, strip_comment
from fleetaudit.platforms.asterisk.parsers.pjsip_objects import NEXT_TITLE, TITLES
from fleetaudit.platforms.cisco_asa.parse.common import ConfigLines, spelled_out
from fleetaudit.platforms.cisco_asa.parse.contexts import CHANGETO, as_printed, contexts_of
from fleetaudit.platforms.mikrotik_routeros.parse.export import TOKEN, logical_lines, tokens
from fleetaudit.platforms.phones.parsers.common import line_of

# the characters the shortcuts look for, and the line ends str.splitlines knows
_WORDS = st.sampled_from(
    ["int", "int ", "interf ", "interface", "inside", "nameif", "changeto context a", "end"]
)
_CHARS = st.sampled_from(list(' \t\n\r\x0b\x1c\x85"[]=!\\ab#/'))
TEXT = st.lists(st.one_of(_WORDS, _CHARS), max_size=40).map("".join)


def plain_find(out: Output, text: str, after: int = 0) -> int | None:
    wanted = " ".join(text.split())
    squeezed = [" ".join(line.split()) for line in out.lines]
    for number in range(max(after, 1), len(squeezed) + 1):
        if squeezed[number - 1] == wanted:
            return number
    return None


def plain_asa_find(out: Output, text: str, after: int, indented: bool | None) -> int | None:
    wanted = " ".join(text.split())
    for number, line in enumerate(out.lines, start=1):
        if number < after or spelled_out(" ".join(line.split())) != wanted:
            continue
        if indented is None or line[:1].isspace() == indented:
            return number
    return None


def plain_as_printed(text: str) -> str:
    lines = []
    for line in text.splitlines():
        body = line.lstrip("\t")
        lines.append(" " * (len(line) - len(body)) + spelled_out(body))
    return "\n".join(lines)


@given(TEXT, TEXT, st.integers(-1, 12))
def test_output_find_by_index_is_the_plain_scan(text: str, wanted: str, after: int) -> None:
    out = Output("show running-config", text)
    for line in [wanted, *out.lines]:
        assert out.find(line, after) == plain_find(out, line, after)


@given(TEXT, TEXT, st.integers(-1, 12), st.sampled_from([None, True, False]))
def test_asa_config_lines_by_index_are_the_plain_scan(
    text: str, wanted: str, after: int, indented: bool | None
) -> None:
    out = Output("show running-config", text)
    lines = ConfigLines(out)
    for line in [wanted, *out.lines]:
        assert lines.find(line, after, indented) == plain_asa_find(out, line, after, indented)


@given(TEXT)
def test_asa_shortcuts_are_the_plain_scans(text: str) -> None:
    assert as_printed(text) == plain_as_printed(text)
    out = Output("show running-config", text)
    starts = [n for n, line in enumerate(out.lines, start=1) if CHANGETO.fullmatch(line)]
    assert list(contexts_of(out).starts) == starts


@given(TEXT)
def test_routeros_tokens_are_the_token_pattern(text: str) -> None:
    assert tokens(text) == TOKEN.findall(text)


@given(TEXT)
def test_routeros_cut_continuation_ends_at_the_last_line(text: str) -> None:
    found = logical_lines(text)
    if found:
        assert found[-1][1] == len(text.splitlines())


_KEY_TEXT = st.lists(
    st.one_of(
        st.sampled_from(["reg.1.address", "reg.1", "P47", "p47", "a-b", "é", "_x", " key "]),
        st.sampled_from(list(' \t\n\r\x85.=-_<>"/aZ9é')),
    ),
    max_size=30,
).map("".join)


def plain_line_of(out: Output, key: str) -> int | None:
    pattern = re.compile(r"(?<![\w.])" + re.escape(key) + r"(?![\w.])")
    for number, line in enumerate(out.lines, start=1):
        if pattern.search(line):
            return number
    return None


@given(_KEY_TEXT, _KEY_TEXT)
def test_phone_parameter_line_by_index_is_the_plain_scan(text: str, key: str) -> None:
    out = Output("config", text)
    for wanted in [key, *out.lines, *out.text.split()]:
        assert line_of(out, wanted) == plain_line_of(out, wanted)


_QUOTED = st.lists(
    st.sampled_from(['comment="', '"', "key=", "=", "a", " ", "  ", "\t", "\x85", 'x="a b"']),
    max_size=24,
).map("".join)


@given(_QUOTED)
def test_routeros_quoted_values_are_the_token_pattern(text: str) -> None:
    assert tokens(text) == TOKEN.findall(text)


_PJSIP_TEXT = st.lists(
    st.sampled_from(
        ["Endpoint:", "Aor:", "Contact:", "Endpoint", ":", " ", "   ", "\t", "\n", "x"]
    ),
    max_size=30,
).map("".join)


@given(_PJSIP_TEXT)
def test_pjsip_title_split_is_the_plain_pattern(text: str) -> None:
    plain = re.compile(r"\s+(?=" + TITLES + r":\s)")
    assert NEXT_TITLE.split(text) == plain.split(text)


_CONF_LINE = st.lists(
    st.sampled_from([";", ";--", "--;", "\\", "\\;", "-", " ", "\t", "a", "key=value", "\\\\"]),
    max_size=20,
).map("".join)


@given(_CONF_LINE, st.booleans())
def test_asterisk_comment_shortcuts_are_the_plain_scan(raw: str, in_block: bool) -> None:
    assert strip_comment(raw, in_block) == scan_comment(raw, in_block)
