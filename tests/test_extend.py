"""A user's own templates and checks, from their own folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fleetaudit.cli import main

TEMPLATE = """<doc>Parses show clock.</doc>
<input load="python">
commands = ["show clock"]
facts = ["ttp:show_clock"]
</input>
<group name="clock">
*{{ time }} {{ zone }} {{ weekday }} {{ month }} {{ day }} {{ year }}
</group>
"""

CHECK = '''"""Clock not in UTC.

## What it checks
The device clock zone.
## Why it breaks calls
Logs cannot be matched with the provider's.
## How to fix
Set the zone to UTC.
"""
from fleetaudit.checkkit import Check, fail, passed


def run(host, policy):
    zone = host["ttp:show_clock"]["clock"]["zone"]
    if zone != "UTC":
        yield fail("clock", f"clock zone is {zone}", remediation="clock timezone UTC 0")
    else:
        yield passed("clock", "UTC")


CHECK = Check(
    id="ZZZ001", slug="clock-not-utc", title="Clock not in UTC", severity="high",
    facts=("ttp:show_clock",), platforms=("cisco_ios",), run=run,
    why="Logs cannot be matched.", fix={"cisco_ios": "clock timezone UTC 0"},
)
'''


def test_user_template_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "templates" / "cisco_ios").mkdir(parents=True)
    (tmp_path / "templates" / "cisco_ios" / "show_clock.ttp").write_text(TEMPLATE)
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "zzz001_clock_not_utc.py").write_text(CHECK)
    device = tmp_path / "gw9"
    device.mkdir()
    (device / "show_clock.txt").write_text("*10:01:02.123 CET Sat Nov 21 2026\n")
    extra = [
        "--templates-dir",
        str(tmp_path / "templates"),
        "--checks-dir",
        str(tmp_path / "checks"),
    ]

    assert main(["checks", "list", "--checks-dir", str(tmp_path / "checks")]) == 0
    assert "ZZZ001" in capsys.readouterr().out
    code = main(
        [
            "scan",
            str(device),
            "--platform",
            "cisco_ios",
            "--format",
            "json",
            "--check",
            "ZZZ001",
            *extra,
        ]
    )
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert code == 1
    assert [(f["check"], f["status"], f["message"]) for f in findings] == [
        ("ZZZ001", "fail", "clock zone is CET")
    ]


def test_broken_user_check_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad_check.py").write_text("import nonexistent_module\n")
    assert main(["checks", "list", "--checks-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "bad_check.py" in err and "Traceback" not in err
