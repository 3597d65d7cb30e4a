"""Inventories read the same on every machine (fleetaudit/yamlfile.py)."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fleetaudit import fast_inventory_yaml
from fleetaudit.errors import UsageError
from fleetaudit.lab.inventory import load_hosts, write_inventory
from fleetaudit.paths import builtin_dir
from fleetaudit.yamlfile import inventory_yaml, load_yaml, parse_yaml


def test_a_url_in_a_flow_mapping_is_yaml_1_2_whichever_ruamel_build_is_installed() -> None:
    # libyaml (ruamel.yaml.clib) refuses this line; YAML 1.2, and Nornir's pure reader, accept it
    text = b"phone1:\n  data: {role: phone, phone: {config_server: http://127.0.0.1:10031}}\n"
    loaded = parse_yaml(text, Path("hosts.yaml"), "inventory", nornir=True)
    assert loaded["phone1"]["data"]["phone"]["config_server"] == "http://127.0.0.1:10031"


def test_inventory_off_stays_text_as_nornir_reads_it() -> None:
    loaded = parse_yaml(b"a: {cdp: off}\n", Path("hosts.yaml"), "inventory", nornir=True)
    assert loaded == {"a": {"cdp": "off"}}


def test_the_demo_inventory_loads() -> None:
    hosts = load_yaml(builtin_dir("inventory") / "hosts.yaml", "inventory", nornir=True)
    assert "office1-phone1" in hosts


# -- the libyaml path gives exactly what ruamel's YAML 1.2 safe loader gives ------------

REPO = Path(__file__).resolve().parent.parent
ERROR = object()


def ruamel_reads(text: str) -> Any:
    try:
        return inventory_yaml().load(text)
    except Exception:  # noqa: BLE001 (any refusal: the fast path must defer then)
        return ERROR


def identical(a: Any, b: Any) -> bool:
    """Equal values of identical types all the way down (``1 == 1.0 == True`` is not)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(
            identical(k, j) and identical(a[k], b[j]) for k, j in zip(a, b, strict=True)
        )
    if isinstance(a, list):
        return len(a) == len(b) and all(identical(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def assert_reads_as_ruamel(text: str) -> bool:
    """The fast path's document is ruamel's, or it defers; True when it did not defer."""
    fast = fast_inventory_yaml.load(text)
    if fast is fast_inventory_yaml.DEFER:
        return False
    expected = ruamel_reads(text)
    assert expected is not ERROR, f"libyaml read what ruamel refuses:\n{text}"
    assert identical(fast, expected), f"{fast!r} != ruamel's {expected!r} for:\n{text}"
    return True


def repo_yaml_files() -> list[Path]:
    return sorted(
        p
        for pattern in ("*.yaml", "*.yml")
        for p in REPO.rglob(pattern)
        if not {".venv", ".git", "node_modules"} & set(p.relative_to(REPO).parts)
    )


def test_every_yaml_file_in_the_repo_reads_as_ruamel_reads_it() -> None:
    files = repo_yaml_files()
    assert len(files) > 100
    fast = [p for p in files if assert_reads_as_ruamel(p.read_text(encoding="utf-8"))]
    inventories = [p for p in files if p.name in ("hosts.yaml", "groups.yaml")]
    assert set(inventories) <= set(fast), "an inventory fell back to the slow reader"


def test_the_lab_written_inventories_read_as_ruamel_reads_them(tmp_path: Path) -> None:
    demo = builtin_dir("inventory")
    hosts = load_hosts(demo, None, devices=12, sites=3)
    ports = {host.name: 20000 + i for i, host in enumerate(hosts)}
    written = write_inventory(demo, tmp_path, hosts, ports, "127.0.0.1")
    for name in ("hosts.yaml", "groups.yaml", "defaults.yaml"):
        assert assert_reads_as_ruamel((written / name).read_text(encoding="utf-8"))


def words(text: str) -> list[str]:
    return text.split()


# Scalars where YAML 1.1 (PyYAML) and 1.2 (ruamel) disagree, or that look typed.
TRICKY = [
    *words("yes no on off y n Yes NO On OFF true True TRUE false False FALSE"),
    *words("~ null Null NULL nULL <<  = - + . .. ... -- --- 0 -0 +0 00 010 0o17 0O17 0o"),
    *words("08 09 0b101 0B1 0x1F 0xg -0x1 1_000 _1 1_ 1__0 +1_2 1:20 1:20:30 190:20:30"),
    *words("1.5 1. .5 -.5 +1.5 1.5e3 1e3 1E-3 1.2.3 1_0.5 0.1_2 .inf -.inf +.INF .Inf .nan .NaN"),
    *words(
        ".NAN inf nan 2024-01-01 2024-1-1 2024-13-45 2024-01-01T10:00:00 2001-12-14t21:59:43.10-05:00"
    ),
    "2024-01-01 10:00:00",
    "2024-01-01 10:00:00 +1",
    *words("12:30:00 10.0.0.1 192.0.2.0/24 2001:db8::1 ::1 fe80::1%eth0 00:11:22:33:44:55"),
    *words("http://127.0.0.1:10031 https://x/y?a=b#c udp:5060 10000-65535 80,443 G.711 PCMU/8000"),
    *words("a#b a\\tb @x `x %x &x *x !x |x >x ?x ?"),
    "'quoted'",
    '"double"',
    "'1.5'",
    '"010"',
    '"yes"',
    "!!str 12",
    "!!int 12",
    "!!float 1",
    "!!bool yes",
    "!!null ''",
    "!!binary aGk=",
    "!custom x",
    "a b",
    "a: b",
    "a :b",
    "x # comment",
    "",
]
names = st.sampled_from(
    ["a", "gw1", "1", "true", "~", "yes", "010", "1.0", "? a", "- a", "'q'", "a b"]
)
scalars = st.sampled_from(TRICKY) | st.text(
    alphabet=st.sampled_from(list("aZ09 :-#,[]{}\"'!&*._/\t%@`|>?~<=+\\e\n")), max_size=8
)
trees = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(names | scalars, inner, max_size=3),
    max_leaves=8,
)


def as_block(tree: Any, indent: str = "") -> str:
    """YAML text of ``tree`` with every scalar written as it is (plain, unquoted)."""
    if isinstance(tree, dict):
        if not tree:
            return " {}\n"
        body = "".join(
            f"{indent}{key}:{as_block(value, indent + '  ')}" for key, value in tree.items()
        )
        return "\n" + body
    if isinstance(tree, list):
        if not tree:
            return " []\n"
        return "\n" + "".join(f"{indent}-{as_block(item, indent + '  ')}" for item in tree)
    return f" {tree}\n"


def as_flow(tree: Any) -> str:
    if isinstance(tree, dict):
        return "{" + ", ".join(f"{key}: {as_flow(value)}" for key, value in tree.items()) + "}"
    if isinstance(tree, list):
        return "[" + ", ".join(as_flow(item) for item in tree) + "]"
    return str(tree)


@given(trees, st.booleans())
def test_generated_documents_read_as_ruamel_reads_them(tree: Any, flow: bool) -> None:
    document = {"doc": tree}
    assert_reads_as_ruamel(as_flow(document) + "\n" if flow else as_block(document).lstrip("\n"))


@pytest.mark.parametrize("scalar", TRICKY)
def test_each_tricky_scalar_reads_as_ruamel_reads_it(scalar: str) -> None:
    for text in (f"key: {scalar}\n", f"- {scalar}\n", f"{{key: [{scalar}]}}\n", f"{scalar}: v\n"):
        assert_reads_as_ruamel(text)


# Texts the two readers were found to read differently (drawn by the test above): ruamel's.
DISAGREED = [
    "doc: \t\n",  # ruamel refuses a tab between tokens
    "doc: >#\n",  # ruamel wants a space before a block header's comment
    "&x: v\n",  # libyaml ends the anchor name at ':'
    "{doc: [' ]?':]}\n",  # a single pair in a flow sequence, its value empty
    "{doc: [?,:/!]}\n",  # an explicit key in a flow sequence
]


@pytest.mark.parametrize("text", DISAGREED)
def test_texts_the_readers_disagree_on_are_read_by_ruamel(text: str) -> None:
    assert fast_inventory_yaml.load(text) is fast_inventory_yaml.DEFER
    expected = ruamel_reads(text)
    if expected is ERROR:
        with pytest.raises(UsageError, match="hosts.yaml: not valid YAML"):
            parse_yaml(text.encode(), Path("hosts.yaml"), "inventory", nornir=True)
    else:
        loaded = parse_yaml(text.encode(), Path("hosts.yaml"), "inventory", nornir=True)
        assert identical(loaded, expected)


def test_the_common_typed_scalars_need_no_fallback() -> None:
    text = "a: [010, -3, 1.5, true, False, ~, null, 2024-01-01, off, yes, 1:20, 10.0.0.1]\n"
    assert assert_reads_as_ruamel(text)


def test_duplicate_keys_are_refused_with_ruamels_message() -> None:
    with pytest.raises(UsageError, match="hosts.yaml: not valid YAML .*duplicate key"):
        parse_yaml(
            b"gw1: {port: 1}\ngw1: {port: 2}\n", Path("hosts.yaml"), "inventory", nornir=True
        )


def test_without_libyaml_ruamel_reads_the_inventory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast_inventory_yaml, "LIBYAML", False)
    assert fast_inventory_yaml.load("a: 1\n") is fast_inventory_yaml.DEFER
    loaded = parse_yaml(b"a: {cdp: off, n: 010}\n", Path("hosts.yaml"), "inventory", nornir=True)
    assert loaded == {"a": {"cdp": "off", "n": 10}}


@pytest.mark.parametrize(
    "text",
    ["a: !!str 12\n", "a: !foo 12\n", "a: !!int '1'\n", "a: !!binary aGk=\n", "a: !!set {x}\n"],
)
def test_explicit_tags_are_ruamels_even_past_the_text_prefilter(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fast_inventory_yaml, "_RUAMEL_ONLY_TEXT", re.compile(r"(?!)"))
    assert fast_inventory_yaml.load(text) is fast_inventory_yaml.DEFER
    assert fast_inventory_yaml.load("a: 12\n") == {"a": 12}
