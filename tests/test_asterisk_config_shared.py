"""The PBX's configs derived once per host and shared by the checks reading them
(``fleetaudit.platforms.asterisk.config``): the same result as deriving afresh, a new one
when a file changes, and nothing kept once the host's facts are gone."""

from __future__ import annotations

import dataclasses
import gc

from fleetaudit.audit import assess, evidence_from_path
from fleetaudit.parse import to_data
from fleetaudit.paths import builtin_dir
from fleetaudit.platforms.asterisk import config
from fleetaudit.platforms.asterisk.files import ConfFile
from fleetaudit.platforms.asterisk.parsers.conf_facts import pjsip_config


def pbx_facts(name: str = "office1-pbx") -> dict[str, object]:
    """A PBX's facts, the files its saved folder lacks read as absent (as a live run
    reads them), so that its configs are known."""
    found = evidence_from_path(builtin_dir("inventory") / "lab" / name, "asterisk", "pbx", ())
    facts = assess(found, ()).facts
    for fact, value in facts.items():
        if fact.startswith("conf:") and value is None:
            facts[fact] = ConfFile(fact.removeprefix("conf:"), None, None)
    return facts


def test_checks_share_one_derived_config_equal_to_a_fresh_one() -> None:
    facts = pbx_facts()
    first = config.pjsip(facts)
    assert first is not None and first is config.pjsip(facts)
    tree = config.parse_conf(config.conf_files(facts), f"{config.CONFIG_DIR}/pjsip.conf")
    assert to_data(first) == to_data(pjsip_config(tree))


def test_a_changed_file_is_derived_again() -> None:
    facts = pbx_facts()
    before = config.pjsip(facts)
    root = facts["conf:pjsip.conf"]
    assert isinstance(root, ConfFile) and root.text
    changed = dict(facts)
    changed["conf:pjsip.conf"] = dataclasses.replace(root, text="[global]\ntype=global\n")
    assert to_data(config.pjsip(changed)) != to_data(before)
    assert to_data(config.pjsip(facts)) == to_data(before)


def test_nothing_is_kept_once_the_facts_are_gone() -> None:
    gc.collect()
    kept = len(config.derived_configs())
    facts = pbx_facts("office2-pbx")
    assert config.sip(facts) is not None or config.pjsip(facts) is not None
    assert len(config.derived_configs()) > kept
    del facts
    gc.collect()
    assert len(config.derived_configs()) == kept
