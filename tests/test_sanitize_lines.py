"""The scrubber's line prefilter (fleetaudit.sanitize): a line-local filter applied to the
lines holding its words gives what it gives on the whole text, as netutils'
``sanitize_config`` applied it before."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from netutils.config.clean import sanitize_config

from fleetaudit import sanitize
from fleetaudit.paths import builtin_dir
from fleetaudit.sanitize import scrub
from tests.test_sanitize import SECRETS

HERE = Path(__file__).parent


def whole_text(text: str) -> str:
    """The scrubber as it was: each wanted filter over the whole text."""
    kind = sanitize.kind_of(text)
    lowered = text.lower()
    wanted = [
        dict(f)
        for f in sanitize.filters_of(kind)
        if any(n in lowered for n in f["when"].split("|"))
    ]
    text = sanitize_config(text, wanted)
    return sanitize.routeros_snmp_communities(text) if kind == "text" else text


def texts() -> list[Path]:
    roots = [HERE / "corpus", builtin_dir("inventory") / "lab", HERE / "data"]
    return sorted(p for root in roots if root.is_dir() for p in root.rglob("*") if p.is_file())


def test_every_saved_output_is_scrubbed_as_on_the_whole_text() -> None:
    checked = 0
    for path in texts():
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        assert scrub(text) == whole_text(text), path
        checked += 1
    assert checked > 100


FILLER = [
    "",
    "   ",
    "!",
    "interface GigabitEthernet0/0",
    " ip address 192.0.2.1 255.255.255.0",
    "key chain OSPF",
    " key 1",
    "  key-string 7 0822455D0A16",
    "   accept-lifetime 00:00:00 Jan 1 2020 infinite",
    "hostname key-secret-router",
    "/user add name=bob password=hunter2 \\",
    "    group=full",
    "/snmp community",
    "add name=SecretComm addresses=0.0.0.0/0",
    'set 0 name="Pub lic"',
    "crypto key generate rsa modulus 2048",
    "Password: Y",
    "sip:bob:pw@example.com",
    "  İstanbul key 7 ABC",
]
LINES = st.sampled_from(FILLER + [text for _, text, _ in SECRETS])


@settings(max_examples=400, deadline=None)
@given(st.lists(LINES, max_size=12), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_any_mix_of_lines_is_scrubbed_as_on_the_whole_text(
    lines: list[str], end: str, final_end: bool
) -> None:
    text = end.join(lines) + (end if final_end else "")
    assert scrub(text) == whole_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "key chain K\n key 1\n\n  \n  key-string 7 X",  # the lookahead past blank lines
        "key chain K\n key 1\n\n  \n hostname a",
        "username a password 7 X\n",
        " key 7\n",
    ],
)
def test_lookahead_across_lines_is_kept(text: str) -> None:
    assert scrub(text) == whole_text(text)
