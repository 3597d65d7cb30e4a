"""Per vendor: the fixture answers of each lab phone -> the facts in golden/<phone>.yml.

Regenerate a missing golden file with ``python -m tests.phones.test_golden`` and review it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetaudit.audit import evidence_from_path
from fleetaudit.parse import parse_host, to_data
from fleetaudit.paths import builtin_dir

GOLDEN = Path(__file__).parent / "golden"
PHONES = {
    f"{site}-phone{n}": platform
    for site in ("office1", "office2")
    for n, platform in enumerate(
        ("cisco_phone", "yealink_phone", "poly_phone", "grandstream_phone"), start=1
    )
}


def facts_of(name: str, platform: str) -> dict[str, Any]:
    collection = evidence_from_path(builtin_dir("inventory") / "lab" / name, platform, "phone", ())
    parsed = parse_host(platform, "phone", collection.evidence)
    return {k: to_data(v) for k, v in sorted(parsed.facts.items())}


@pytest.mark.parametrize("name", sorted(PHONES))
def test_phone_answers_to_facts(name: str) -> None:
    facts = facts_of(name, PHONES[name])
    assert all(v is not None for v in facts.values()), facts
    assert facts == yaml.safe_load((GOLDEN / f"{name}.yml").read_text())


if __name__ == "__main__":
    GOLDEN.mkdir(exist_ok=True)
    for phone, platform in PHONES.items():
        path = GOLDEN / f"{phone}.yml"
        if not path.exists():
            path.write_text(yaml.safe_dump(facts_of(phone, platform), sort_keys=False))
            print("wrote", path)
