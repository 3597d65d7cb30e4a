"""fleetaudit calls a compiled TTP parser without ``add_input``/``parse``/``result``
(:func:`fleetaudit.templates.ttp_result`): it must give what TTP's public calls give, on
every built-in template and every output the lab and the corpus hold, and it must never
take an output for a path on this machine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ttp import ttp

from fleetaudit.normalisers import get_preprocessor
from fleetaudit.paths import builtin_dir
from fleetaudit.templates import Template, load_templates, ttp_result

ROOT = Path(__file__).parent
TEXTS = sorted(
    [
        *(builtin_dir("inventory") / "lab").rglob("*.txt"),
        *(ROOT / "corpus").rglob("*.raw"),
        *(ROOT / "corpus" / "configs").rglob("config.txt"),
    ]
)
ODD = ["", "\n", "\n\n\n", "% Invalid input detected at '^' marker.", "end"]


def public_result(template: str | Any, text: str) -> Any:
    """TTP's public calls, as fleetaudit made them before (on a compiled parser, reused)."""
    parser = ttp(template=template, log_level="CRITICAL") if isinstance(template, str) else template
    parser.add_input(text)
    try:
        parser.parse()
        result = parser.result()
        return result[0][0] if result and result[0] else {}  # before clear_result empties it
    finally:
        parser.clear_input()
        parser.clear_result()


def builtin_templates() -> list[Template]:
    return [t for by_slug in load_templates().values() for t in by_slug.values()]


@pytest.mark.parametrize("template", builtin_templates(), ids=lambda t: f"{t.platform}/{t.slug}")
def test_the_lean_call_gives_what_ttp_public_calls_give(template: Template) -> None:
    parser = ttp(template=template.text, log_level="CRITICAL")  # reused, as fleetaudit does
    public = ttp(template=template.text, log_level="CRITICAL")
    prepare = get_preprocessor(template.platform)
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in TEXTS] + ODD
    for raw in texts:
        text = prepare(raw) if prepare else raw
        assert ttp_result(parser, text) == public_result(public, text), raw[:60]


def test_an_output_naming_a_file_is_parsed_as_text(tmp_path: Path) -> None:
    on_disk = tmp_path / "config.txt"
    on_disk.write_text("hostname read-from-this-machine\n", encoding="utf-8")
    # TTP's add_input would parse the file an output names; the output is the data
    assert public_result("hostname {{ name }}", str(on_disk)) == {"name": "read-from-this-machine"}
    parser = ttp(template="hostname {{ name }}", log_level="CRITICAL")
    assert ttp_result(parser, str(on_disk)) == {}
    assert ttp_result(parser, "hostname gw1") == {"name": "gw1"}


def test_a_template_with_an_outputter_takes_ttp_public_path() -> None:
    template = (
        'hostname {{ name }}\n<output macro="upper"/>\n'
        '<macro>\ndef upper(data):\n    return [[{"name": "X"}]]\n</macro>'
    )
    parser = ttp(template=template, log_level="CRITICAL")
    assert ttp_result(parser, "hostname gw1") == public_result(template, "hostname gw1")
    assert ttp_result(parser, "hostname gw2") == public_result(template, "hostname gw2")
