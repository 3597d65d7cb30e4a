"""A platform is a package: one added through the entry point audits like a built-in one,
and nothing outside ``fleetaudit/platforms/`` names a platform."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from fleetaudit import platforms

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
DEMO_PACKAGE = DATA / "demo_platform"  # the package and its .dist-info (entry point)
FLEETAUDIT = Path(sys.executable).with_name("fleetaudit")


def _scan(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(DEMO_PACKAGE), "FLEETAUDIT_HOME": str(tmp_path)}
    return subprocess.run(
        [str(FLEETAUDIT), "scan", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_a_platform_from_another_package_audits_a_saved_output(tmp_path: Path) -> None:
    done = _scan(
        str(DATA / "demo_os_edge1.conf"),
        "--platform",
        "demo_os",
        "--format",
        "json",
        tmp_path=tmp_path,
    )
    assert done.returncode == 1, done.stderr  # findings exist
    report = json.loads(done.stdout)
    [alg] = [f for f in report["findings"] if f["check"] == "ALG001"]
    assert alg["status"] == "fail"
    assert alg["host"] == "demo_os_edge1"
    assert alg["remediation"] == "set sip-alg disable"  # the platform's own fix
    assert alg["evidence"]["line"] == 2


def test_the_demo_platform_is_unknown_without_its_package(tmp_path: Path) -> None:
    env = {**os.environ, "FLEETAUDIT_HOME": str(tmp_path)}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [str(FLEETAUDIT), "scan", str(DATA / "demo_os_edge1.conf"), "--platform", "demo_os"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert "demo_os" in done.stderr


def test_the_built_in_platforms_are_declared_as_entry_points_too() -> None:
    from importlib.metadata import entry_points

    declared = set()
    for entry in entry_points(group=platforms.ENTRY_POINT_GROUP):
        loaded = entry.load()
        declared |= {p.name for p in (loaded if isinstance(loaded, tuple) else (loaded,))}
    assert set(platforms.names()) <= declared


def test_no_module_outside_the_platforms_package_names_a_platform() -> None:
    names = sorted(platforms.names(), key=len, reverse=True)
    packages = {p.parts[-2] for p in (ROOT / "fleetaudit" / "platforms").glob("*/__init__.py")}
    named = re.compile(
        r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])"
        r"|fleetaudit\.platforms\.(?:" + "|".join(sorted(packages)) + r")\b"
    )
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "fleetaudit").rglob("*.py"))
        if "platforms" not in path.relative_to(ROOT / "fleetaudit").parts[:1]
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if named.search(line)
    ]
    assert not found, "\n".join(found)
