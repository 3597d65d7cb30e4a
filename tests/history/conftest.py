"""Shared helpers for the history, drift, pre-change and report-format tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fleetaudit.cli import main
from fleetaudit.lab import Lab
from fleetaudit.paths import builtin_dir

FIXTURES = builtin_dir("inventory") / "lab"
ALG001_FAILING_CONFIG = (
    Path(__file__).parents[1]
    / "checks"
    / "ALG001"
    / "fail-ios-nat-default"
    / "show_running-config.txt"
)


def fixture_text(host: str, slug: str) -> str:
    return (FIXTURES / host / f"{slug}.txt").read_text(encoding="utf-8")


def cli(*args: str) -> int:
    return main(list(args))


def run_args(site: str, inventory: Path, *more: str) -> tuple[str, ...]:
    """The arguments of a quiet ``fleetaudit run`` of one site, then ``more``."""
    return ("run", "--site", site, "--inventory", str(inventory), "--quiet", *more)


def cli_json(out: Path, *args: str) -> tuple[int, dict[str, Any]]:
    code = main([*args, "--format", "json", "--output", str(out)])
    return code, json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def office_lab(tmp_path: Path) -> Iterator[tuple[Lab, Path]]:
    """A lab of its own (office1 and office2) whose outputs a test may change."""
    with Lab(builtin_dir("inventory"), ephemeral_ports=True) as lab:
        yield lab, lab.write_inventory(tmp_path / "inventory")
