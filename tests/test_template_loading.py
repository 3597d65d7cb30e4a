"""Templates are read per platform when first looked up (a run compiles only its platforms'
templates), and a user's templates directory is still read whole before any connection."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fleetaudit.errors import UsageError
from fleetaudit.paths import builtin_dir
from fleetaudit.templates import load_template, load_templates

BUILTIN = builtin_dir("templates")


def read_all_at_once(directories: tuple[Path, ...]) -> dict[str, dict[str, object]]:
    """What loading every template eagerly gives (later directories override earlier)."""
    found: dict[str, dict[str, object]] = {}
    for directory in directories:
        for path in sorted(directory.glob("*/*.ttp")):
            template = load_template(path, path.parent.name)
            found.setdefault(template.platform, {})[template.slug] = template
    return found


CLOCK = """<input load="python">
commands = ["show clock"]
</input>
<group name="clock">
{{ time }} {{ zone }}
</group>
"""


def user_templates(tmp_path: Path) -> Path:
    """A user's directory: a new command for IOS, and a platform of its own."""
    folder = tmp_path / "mine"
    for platform in ("cisco_ios", "lab_box"):
        (folder / platform).mkdir(parents=True)
        (folder / platform / "show_clock.ttp").write_text(CLOCK, encoding="utf-8")
    return folder


def test_the_mapping_holds_what_reading_everything_gives(tmp_path: Path) -> None:
    extra = (user_templates(tmp_path),)
    for dirs in ((), extra):
        lazy = load_templates(dirs)
        eager = read_all_at_once((BUILTIN, *dirs))
        assert list(lazy) == list(eager)
        assert {p: dict(lazy[p]) for p in lazy} == eager
    assert "show_clock" in load_templates(extra)["lab_box"]
    assert load_templates().get("lab_box") is None


def test_a_broken_user_template_is_a_usage_error_at_load(tmp_path: Path) -> None:
    folder = tmp_path / "broken" / "cisco_asa"
    folder.mkdir(parents=True)
    (folder / "x.ttp").write_text(
        '<input load="python">\ncommands = ["show a", "show b"]\n</input>\n', encoding="utf-8"
    )
    with pytest.raises(UsageError, match=r"x\.ttp: its <input> must declare exactly one"):
        load_templates((folder.parent,))
    with pytest.raises(UsageError, match="does not exist"):
        load_templates((tmp_path / "absent",))


def test_a_platform_compiles_only_its_own_templates() -> None:
    probe = (
        "from fleetaudit import templates\n"
        "compiled = []\n"
        "real = templates.ttp\n"
        "templates.ttp = lambda **kw: compiled.append(1) or real(**kw)\n"
        "templates.load_templates()\n"
        "print(len(compiled))\n"
        "ios = templates.templates_for('cisco_ios', None)\n"
        "print(len(compiled) == len(ios) > 0)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == ["0", "True"]
