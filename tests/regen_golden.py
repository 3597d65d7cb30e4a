"""Write <case>.yml for golden cases that have none (review the result before committing!).

python tests/regen_golden.py [--force]
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from fleetaudit.parse import parse_output, to_data
from fleetaudit.templates import load_templates


def main(force: bool) -> None:
    for case in sorted(Path(__file__).parent.glob("templates/*/*/*.txt")):
        expected = case.with_suffix(".yml")
        if expected.exists() and not force:
            continue
        template = load_templates()[case.parent.parent.name][case.parent.name]
        facts = to_data(parse_output(template, case.read_text()))
        expected.write_text(yaml.safe_dump(facts, sort_keys=False, allow_unicode=True))
        print("wrote", expected)


if __name__ == "__main__":
    main("--force" in sys.argv)
