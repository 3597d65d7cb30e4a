"""A live audit writes each host's facts, once its checks are run, where the store and the
JSON report read them back one host at a time: the same report and rows as facts held in
memory, and the same findings in the same order."""

from __future__ import annotations

import json
import time
from pathlib import Path

import yaml

from fleetaudit.audit import Options, analyse, evidence_from_path
from fleetaudit.evidence import HostCollection
from fleetaudit.model import SpooledFacts, packed_facts
from fleetaudit.paths import builtin_dir
from fleetaudit.reportjson import report_pieces
from fleetaudit.spool import FactsSpool
from fleetaudit.store import Store

INVENTORY = builtin_dir("inventory")


def _office1() -> list[HostCollection]:
    hosts = yaml.safe_load((INVENTORY / "hosts.yaml").read_text())
    items = []
    for name, host in hosts.items():
        if name.startswith("office1-"):
            role = (host.get("data") or {}).get("role")
            item = evidence_from_path(INVENTORY / "lab" / name, host["platform"], role, ())
            item.site = "office1"
            items.append(item)
    return items


def _text(report: object, indent: int | None) -> str:
    text = "".join(report_pieces(report, facts=True, indent=indent))  # type: ignore[arg-type]
    document = json.loads(text)
    document["run"].update(id="-", started="-", duration_s=0)
    return json.dumps(document, indent=indent)


def test_spooled_facts_give_the_same_report_store_rows_and_findings(tmp_path: Path) -> None:
    from fleetaudit.api import site_policies

    _, policies = site_policies(INVENTORY, "office1")
    held = analyse(_office1(), policies, Options(), "office1", "live", time.time())
    spooled = analyse(_office1(), policies, Options(), "office1", "live", time.time(), FactsSpool())

    assert all(isinstance(h.facts, SpooledFacts) for h in spooled.hosts)
    assert not any(isinstance(h.facts, SpooledFacts) for h in held.hosts)
    assert [f.to_json() for f in spooled.findings] == [f.to_json() for f in held.findings]
    assert any(f.check in ("AST004", "NAT001", "PHN002", "PSEC001") for f in held.findings)
    for indent in (None, 2):
        assert _text(spooled, indent) == _text(held, indent)
    for a, b in zip(spooled.hosts, held.hosts, strict=True):
        assert packed_facts(a.facts) == packed_facts(b.facts)  # the store's row, byte for byte
        assert list(a.facts) == list(b.facts)
        assert a.facts.get("device") == b.facts.get("device")  # kept in memory
        for name in ("interfaces", "nat", "phone_accounts"):
            assert (name in a.facts) == (name in b.facts)
            if b.facts.get(name) is not None:
                assert a.facts[name] == b.facts[name]  # read back as its type

    with Store.open(tmp_path / "runs.sqlite") as store:
        store.save(spooled, _office1())
        stored = {h.name: h.facts for h in store.hosts(spooled.run_id)}
    assert list(stored) == [h.name for h in held.hosts]
    assert all(stored[h.name] == dict(h.facts) for h in held.hosts)
