"""Inventories read the same on every machine (fleetaudit/yamlfile.py)."""

from __future__ import annotations

from pathlib import Path

from fleetaudit.paths import builtin_dir
from fleetaudit.yamlfile import load_yaml, parse_yaml


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
