"""A run is written in batches of rows (one host's evidence at a time): what reads back is
the run whole, in order, whatever the batch size."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from fleetaudit import store as store_module
from fleetaudit.audit import Options, analyse, evidence_from_path
from fleetaudit.paths import builtin_dir
from fleetaudit.policy import VoipPolicy
from fleetaudit.store import Store

LAB = builtin_dir("inventory") / "lab"


@pytest.mark.parametrize("batch", [1, 3, 500])
def test_a_run_written_in_batches_reads_back_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    monkeypatch.setattr(store_module, "BATCH_ROWS", batch)
    items = [
        evidence_from_path(LAB / name, "cisco_ios", role, ())
        for name, role in (("office1-gw1", "gateway"), ("office1-sw1", "switch"))
    ]
    policies = dict.fromkeys((i.name for i in items), VoipPolicy())
    report = analyse(items, policies, Options(), "office1", "offline", time.time())
    assert len(report.findings) > 3 and sum(len(i.evidence) for i in items) > 3

    with Store.open(tmp_path / "runs.sqlite") as store:
        store.save(report, items)
        assert store.report_data(report.run_id) == json.loads(json.dumps(report.to_json()))
        assert store.findings(report.run_id) == [f.to_json() for f in report.findings]
        assert [h.name for h in store.hosts(report.run_id)] == [i.name for i in items]
        back = store.collections(report.run_id)
    assert [(c.name, list(c.evidence)) for c in back] == [(i.name, list(i.evidence)) for i in items]
    assert [e.output for c in back for e in c.evidence.values()] == [
        e.output for i in items for e in i.evidence.values()
    ]
