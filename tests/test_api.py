"""fleetaudit from Python: whole audits through ``fleetaudit.api``, no argparse anywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fleetaudit import api
from fleetaudit.errors import UsageError
from fleetaudit.evidence import HostCollection
from fleetaudit.paths import builtin_dir
from fleetaudit.report.render import report_text
from fleetaudit.store import Store

OFFICE1 = {"office1-gw1", "office1-fw1", "office1-rtr1", "office1-sw1", "office1-pbx"} | {
    f"office1-phone{n}" for n in range(1, 5)
}
LAB = builtin_dir("inventory") / "lab"


def test_audit_site_runs_a_whole_office1_audit(lab_inventory: Path, tmp_path: Path) -> None:
    started: list[int] = []
    done: list[str] = []

    def host_done(item: HostCollection) -> None:
        done.append(item.name)

    db = tmp_path / "runs.sqlite"
    report = api.audit_site(
        lab_inventory,
        "office1",
        db=db,
        progress=api.Progress(on_start=started.append, on_host_done=host_done),
    )
    assert started == [len(OFFICE1)] and set(done) == OFFICE1
    assert report.site == "office1" and report.mode == "live" and report.stored
    assert {h.name: h.status for h in report.hosts} == dict.fromkeys(OFFICE1, "ok")
    failing = {(f.check, f.host) for f in report.failing("high")}
    assert {("ALG001", "office1-gw1"), ("ALG001", "office1-fw1")} <= failing
    assert report.candidate is None and report.sources is None and report.baseline is None
    with Store.open(db) as store:
        assert [r.id for r in store.runs("office1")] == [report.run_id]
    assert len(api.readiness_trend("office1", db)) == 1

    again = api.audit_site(
        lab_inventory,
        "office1",
        db=db,
        gates=api.Gates(baseline="latest"),
        options=api.Options(only_checks=("ALG001",)),
    )
    assert {f.check for f in again.findings} == {"ALG001"}
    assert again.baseline is not None and again.baseline["new"] == []
    document = json.loads(report_text(again, "json"))
    assert document["baseline"] == again.baseline  # a named field, written as before
    change = api.drift("office1", db=db)
    assert change.site == "office1"


def test_a_usage_mistake_is_raised_before_any_connection(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--check NOPE999"):
        api.audit_site(tmp_path, "office1", options=api.Options(only_checks=("NOPE999",)))
    with pytest.raises(UsageError, match="--workers"):
        api.audit_site(tmp_path, "office1", workers=0)


def test_scan_and_compare_with_return_typed_sections(tmp_path: Path) -> None:
    running = LAB / "office1-gw1" / "show_running-config.txt"
    report = api.scan([running], "cisco_ios", role="gateway")
    assert report.mode == "offline"
    assert report.sources == {running.stem: {"show running-config": str(running)}}
    assert {f.check for f in report.failing("high")} >= {"ALG001"}

    fixed = tmp_path / "gw1.cfg"
    nat = "ip nat inside source list NAT"
    alg_off = "no ip nat service sip udp port 5060\nno ip nat service sip tcp port 5060\n"
    fixed.write_text(running.read_text().replace(nat, alg_off + nat))
    change = api.scan([fixed], "cisco_ios", compare_with=running)
    assert change.candidate is not None
    assert [d["check"] for d in change.candidate["resolved"]] == ["ALG001"]
    assert change.candidate["introduced"] == []
