"""The Asterisk platform is additive (issue 11): the core names nothing of it, and a copy of
fleetaudit without its files (its package, its checks, its templates, its demo hosts)
still imports, lists its checks, scans and audits a site over SSH.

What belongs to the platform is :data:`ASTERISK_FILES`; what else the tree holds of it is
tests and documentation.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
IOS_NAT = ROOT / "tests" / "checks" / "ALG001" / "fail-ios-nat-default" / "show_running-config.txt"
PBX_FOLDER = ROOT / "inventory" / "lab" / "office1-pbx"

#: the platform's own files, relative to the repository: remove them and it is gone
ASTERISK_FILES = (
    "fleetaudit/platforms/asterisk",
    "checks/ast0*_asterisk_*.py",
    "templates/asterisk",
    "inventory/lab/*-pbx*",
    # and its hosts in inventory/hosts.yaml (platform: asterisk)
)

#: words only the Asterisk platform has reason to write
ASTERISK_WORDS = re.compile(
    r"asterisk|freepbx|pjsip|chan_sip|sip\.conf|sip_nat|rtp\.conf|extensions\.conf|iax"
    r"|md5_cred|\bAST\d{3}\b|\bpbx\b",
    re.IGNORECASE,
)
#: where the core may say such a word, and why (the words it may say there)
GENERIC = (
    # the headers Asterisk puts on the SIP it sends: read from captures by sip-trace whatever
    # the PBX, with or without the platform
    ("fleetaudit/trace/", re.compile(r"x-asterisk-[\w.()-]*", re.IGNORECASE)),
    # the provider profile's `voip.targets.pbx` (issue 3): where a trunk ends, any vendor's
    # PBX or SBC, read by the firewall checks
    ("fleetaudit/policy.py", re.compile(r"\bpbx\b", re.IGNORECASE)),
    ("fleetaudit/rules/", re.compile(r"\bpbx\b", re.IGNORECASE)),
    ("fleetaudit/settings.py", re.compile(r"^\s*pbx: Any = None$")),
)


def _core_files() -> list[Path]:
    own = ROOT / "fleetaudit" / "platforms" / "asterisk"
    sources = [p for p in (ROOT / "fleetaudit").rglob("*") if p.suffix in (".py", ".toml", ".txt")]
    return [ROOT / "pyproject.toml", *sorted(p for p in sources if own not in p.parents)]


def test_the_core_names_nothing_of_asterisk() -> None:
    found = []
    for path in _core_files():
        relative = path.relative_to(ROOT).as_posix()
        allowed = [pattern for prefix, pattern in GENERIC if relative.startswith(prefix)]
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for pattern in allowed:
                line = pattern.sub("", line)
            if ASTERISK_WORDS.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_the_asterisk_files_are_there() -> None:
    """:data:`ASTERISK_FILES` names real files (the removal below removes something)."""
    for pattern in ASTERISK_FILES:
        assert list(ROOT.glob(pattern)), pattern


def _without_asterisk(dest: Path) -> Path:
    tree = dest / "tree"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in ("fleetaudit", "checks", "templates", "inventory"):
        shutil.copytree(ROOT / part, tree / part, ignore=skip)
    for pattern in ASTERISK_FILES:
        for path in tree.glob(pattern):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    yaml = YAML()
    hosts_file = tree / "inventory" / "hosts.yaml"
    hosts = yaml.load(hosts_file)
    for name in [n for n, host in hosts.items() if host.get("platform") == "asterisk"]:
        del hosts[name]
    yaml.dump(hosts, hosts_file)
    # an install made before the removal still declares the package in its metadata
    stale = dest / "stale" / "fleetaudit_old-0.1.dist-info"
    stale.mkdir(parents=True)
    (stale / "METADATA").write_text("Metadata-Version: 2.1\nName: fleetaudit-old\nVersion: 0.1\n")
    (stale / "entry_points.txt").write_text(
        "[fleetaudit.platforms]\nasterisk = fleetaudit.platforms.asterisk:PLATFORM\n"
    )
    return tree


def _run(tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tree), str(tree.parent / "stale")]),
        "FLEETAUDIT_HOME": str(tree.parent / "home"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, cwd=tree, timeout=300
    )


IMPORT_ALL = """
import importlib, pkgutil, fleetaudit
assert fleetaudit.__file__.startswith({tree!r}), fleetaudit.__file__
for module in pkgutil.walk_packages(fleetaudit.__path__, "fleetaudit."):
    importlib.import_module(module.name)
from fleetaudit import platforms
print(" ".join(platforms.names()))
print(" ".join(platforms.roles()))
"""

AUDIT_OFFICE2 = """
import sys
from pathlib import Path
from fleetaudit.cli import main
from fleetaudit.lab import Lab
tree = Path.cwd()
with Lab(tree / "inventory", site="office2", ephemeral_ports=True) as lab:
    served = lab.write_inventory(tree / "served")
    sys.exit(main(["run", "--site", "office2", "--inventory", str(served), "--format", "json",
                   "--no-store", "--quiet", "--output", str(tree / "office2.json")]))
"""


def test_fleetaudit_works_without_the_asterisk_platform(tmp_path: Path) -> None:
    tree = _without_asterisk(tmp_path)

    imported = _run(tree, "-c", IMPORT_ALL.format(tree=str(tree)))
    assert imported.returncode == 0, imported.stderr
    names, roles = imported.stdout.splitlines()
    assert "asterisk" not in names.split() and "cisco_ios" in names.split()
    assert "pbx" not in roles.split() and "gateway" in roles.split()

    listed = _run(tree, "-m", "fleetaudit.cli", "checks", "list")
    assert listed.returncode == 0, listed.stderr
    assert "ALG001" in listed.stdout and "AST0" not in listed.stdout

    scan_ios = ("scan", str(IOS_NAT), "--platform", "cisco_ios", "--format", "json")
    scanned = _run(tree, "-m", "fleetaudit.cli", *scan_ios)
    assert scanned.returncode == 1, scanned.stderr
    findings = json.loads(scanned.stdout)["findings"]
    assert {(f["check"], f["status"]) for f in findings if f["check"] == "ALG001"} == {
        ("ALG001", "fail")
    }

    for refused in (
        ("scan", str(PBX_FOLDER), "--platform", "asterisk"),
        ("scan", str(IOS_NAT), "--platform", "cisco_ios", "--role", "pbx"),
    ):
        done = _run(tree, "-m", "fleetaudit.cli", *refused)
        assert done.returncode == 2, done.stderr
        assert "invalid choice" in done.stderr and "Traceback" not in done.stderr

    audited = _run(tree, "-c", AUDIT_OFFICE2)
    assert audited.returncode in (0, 1), audited.stderr
    report = json.loads((tree / "office2.json").read_text())
    hosts = {h["name"]: (h["platform"], h["status"]) for h in report["hosts"]}
    assert "office2-gw1" in hosts and "office2-pbx" not in hosts
    assert {status for _, status in hosts.values()} == {"ok"}, hosts
    assert not [f for f in report["findings"] if f["check"].startswith("AST")]
