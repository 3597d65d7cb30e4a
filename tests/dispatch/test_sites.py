"""Many sites without workers: the lab spreads clones over sites and zones, `run --all`
audits them site by site into one report, and a distributed run's mistakes exit 2 before
anything connects."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from fleetaudit.cli import main
from fleetaudit.dispatch.job import merge, not_assessed, report_of_json, report_to_json, sites_of
from fleetaudit.lab import Lab
from fleetaudit.paths import builtin_dir
from fleetaudit.store import Store
from fleetaudit.waivers import unassessed


@pytest.fixture(scope="module")
def three_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """12 clones of office1 over 3 sites, on ephemeral ports."""
    lab = Lab(builtin_dir("inventory"), site="bench", devices=12, sites=3, ephemeral_ports=True)
    with lab:
        yield lab.write_inventory(tmp_path_factory.mktemp("three-sites"))


def test_clones_are_spread_over_sites_with_alternating_zones(three_sites: Path) -> None:
    groups = yaml.safe_load((three_sites / "groups.yaml").read_text())
    assert [groups[f"site_bench0{i}"]["data"] for i in (1, 2, 3)] == [
        {"site": "bench01", "zone": "zone-a"},
        {"site": "bench02", "zone": "zone-b"},
        {"site": "bench03", "zone": "zone-a"},
    ]
    sites = sites_of(three_sites)
    assert [(s.name, s.zone, len(s.hosts)) for s in sites] == [
        ("bench01", "zone-a", 4),
        ("bench02", "zone-b", 4),
        ("bench03", "zone-a", 4),
    ]


def test_lab_sites_must_fit_the_devices(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lab", "serve", "--site", "bench", "--devices", "2", "--sites", "3"]) == 2
    assert "--sites must be between 1 and --devices (2)" in capsys.readouterr().err


def test_run_all_audits_site_by_site_into_one_report(
    three_sites: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "runs.sqlite"
    argv = ["run", "--all", "--inventory", str(three_sites), "--format", "json"]
    assert main([*argv, "--db", str(db), "--quiet"]) == 1  # office1's problems, cloned
    report = json.loads(capsys.readouterr().out)
    assert report["run"]["site"] is None
    assert Counter(h["site"] for h in report["hosts"]) == {"bench01": 4, "bench02": 4, "bench03": 4}
    assert all(h["status"] == "ok" for h in report["hosts"])
    alg = {
        f["host"] for f in report["findings"] if f["check"] == "ALG001" and f["status"] == "fail"
    }
    assert len(alg) == 9  # gw1, fw1, rtr1 of each of the three sites
    with Store.open(db) as store:  # one stored run per site, as `run --site` stores it
        assert sorted(r.site or "" for r in store.runs()) == ["bench01", "bench02", "bench03"]


def test_several_sites_by_name(three_sites: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["run", "--site", "bench03,bench01", "--inventory", str(three_sites)]
    assert main([*argv, "--format", "json", "--no-store", "--quiet"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert list(dict.fromkeys(h["site"] for h in report["hosts"])) == ["bench03", "bench01"]


def test_a_merged_report_round_trips_with_facts_and_judges_lost_sites(three_sites: Path) -> None:
    site = sites_of(three_sites)[0]
    lost = not_assessed(site, "delivered 4 times")
    back = report_of_json(json.loads(json.dumps(report_to_json(lost))))
    merged = merge([back], 0.0)
    assert [h.status for h in merged.hosts] == ["not_assessed"] * 4
    assert unassessed(merged)[0] == (site.hosts[0].name, "not_assessed")


@pytest.mark.parametrize(
    ("argv", "env", "said"),
    [
        (["run", "--all", "--dispatch", "celery"], {}, "FLEETAUDIT_BROKER_URL is not set"),
        (["worker"], {}, "FLEETAUDIT_BROKER_URL is not set"),
        (
            ["run", "--all", "--dispatch", "celery"],
            {"FLEETAUDIT_BROKER_URL": "amqp://x"},
            "FLEETAUDIT_BROKER_URL=amqp://x: only Redis is supported",
        ),
        (
            ["worker"],
            {"FLEETAUDIT_BROKER_URL": "redis://127.0.0.1:1/0", "FLEETAUDIT_MAX_DELIVERIES": "0"},
            "FLEETAUDIT_MAX_DELIVERIES=0: give a whole number, 1 or more",
        ),
        (["run", "--site", "office1", "--dispatch", "celery"], {}, "give --all or several"),
        (["run", "--site", "a,b", "--candidate", "x"], {}, "--candidate audits here, in one go"),
        (
            ["run", "--all", "--dispatch", "celery"],
            {"FLEETAUDIT_BROKER_URL": "redis://127.0.0.1:1/0"},
            "FLEETAUDIT_BROKER_URL=redis://127.0.0.1:1/0: Redis does not answer",
        ),
    ],
)
def test_distributed_mistakes_exit_2_before_connecting(
    argv: list[str],
    env: dict[str, str],
    said: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("FLEETAUDIT_BROKER_URL", "FLEETAUDIT_RESULT_URL", "FLEETAUDIT_MAX_DELIVERIES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(argv) == 2
    assert said in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "junit", "sarif", "fixes"])
def test_every_format_renders_the_merged_report(
    three_sites: Path, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"report.{fmt}"
    argv = ["run", "--site", "bench01,bench02", "--inventory", str(three_sites), "--no-store"]
    assert main([*argv, "--quiet", "--format", fmt, "--output", str(out)]) == 1
    text = out.read_text()
    assert "bench-0001-gw1" in text and "bench-0005-gw1" in text
