"""A platform is a package: one added through the entry point audits like a built-in one,
and nothing outside ``fleetaudit/platforms/`` names a platform."""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
import tomllib
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


def test_built_in_platforms_are_found_in_the_platforms_package_not_listed() -> None:
    """Every sub-package of ``fleetaudit/platforms/`` exporting ``PLATFORM``/``PLATFORMS``
    is registered; neither the registry nor pyproject.toml lists one (issue 11: this test
    said the built-ins were declared as entry points too)."""
    exported = set()
    for init in (ROOT / "fleetaudit" / "platforms").glob("*/__init__.py"):
        package = importlib.import_module(f"fleetaudit.platforms.{init.parent.name}")
        found = getattr(package, "PLATFORM", None) or getattr(package, "PLATFORMS", ())
        exported |= {p.name for p in (found if isinstance(found, tuple) else (found,))}
    assert exported == set(platforms.names())

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    group = pyproject["project"].get("entry-points", {}).get(platforms.ENTRY_POINT_GROUP, {})
    assert not [v for v in group.values() if v.startswith("fleetaudit.")], group
    registry_source = (ROOT / "fleetaudit" / "platforms" / "__init__.py").read_text()
    assert not re.search(
        r"\b(?:" + "|".join(map(re.escape, platforms.names())) + r")\b", registry_source
    )


def test_roles_come_from_the_platforms(tmp_path: Path) -> None:
    """A platform's package brings its roles: ``--role edge`` is a choice with the demo
    package installed and an unknown role without it."""
    assert set(platforms.roles()) == {r for p in platforms.registry().values() for r in p.roles}
    assert {"gateway", "router", "firewall", "switch", "phone", "pbx"} <= set(platforms.roles())
    config = str(DATA / "demo_os_edge1.conf")
    done = _scan(config, "--platform", "demo_os", "--role", "edge", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr  # ALG001 is for gateways, routers, firewalls
    env = {**os.environ, "FLEETAUDIT_HOME": str(tmp_path)}
    env.pop("PYTHONPATH", None)
    refused = subprocess.run(
        [str(FLEETAUDIT), "scan", config, "--platform", "cisco_ios", "--role", "edge"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert refused.returncode == 2
    assert "--role: invalid choice: 'edge'" in refused.stderr


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
