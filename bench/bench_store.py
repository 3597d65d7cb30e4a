"""Benchmark: the history store's write and read times, on SQLite or PostgreSQL.

A real run (office2: 9 hosts, their facts, every finding and all evidence, from
tests/history/data/store-v1.sqlite) is saved ``--runs`` times under new ids, one
transaction each, then read back (wall and CPU time) as ``fleetaudit history`` (every run's summary) and
``drift`` (the latest two runs' hosts and findings) do. Works with the store before
migrations too (only the public methods are used), for before/after figures. Not a test.

    python bench/bench_store.py [--runs 100] [--db postgresql://...]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from fleetaudit.store import Store

READS = 5  # each read is timed over this many repeats
FIXTURE = Path(__file__).parents[1] / "tests" / "history" / "data" / "store-v1.sqlite"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--db", help="the store to fill (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        source_path = Path(work) / "source.sqlite"
        shutil.copyfile(FIXTURE, source_path)
        with Store.open(source_path) as source:
            run_id = source.runs()[0].id
            report, collections = source.report(run_id), source.collections(run_id)
        db = args.db or str(Path(work) / "bench.sqlite")
        with Store.open(db) as store:
            saves, cpu = [], time.process_time()
            for n in range(args.runs):
                copy = replace(report, run_id=f"bench-{time.time_ns()}-{n}")
                started = time.perf_counter()
                store.save(copy, collections)
                saves.append(time.perf_counter() - started)
            save_cpu = (time.process_time() - cpu) / args.runs
            started, cpu = time.perf_counter(), time.process_time()
            for _ in range(READS):
                listed = store.runs()
            history = (time.perf_counter() - started) / READS
            history_cpu = (time.process_time() - cpu) / READS
            started, cpu = time.perf_counter(), time.process_time()
            for _ in range(READS):
                for run in store.runs(report.site)[:2]:
                    store.hosts(run.id, report.site)
                    store.findings(run.id)
            drift = (time.perf_counter() - started) / READS
            drift_cpu = (time.process_time() - cpu) / READS
    print(
        f"{args.runs} runs of {len(report.hosts)} hosts, {len(report.findings)} findings, "
        f"{sum(len(c.evidence) for c in collections)} outputs each; store {db.split('@')[-1]}"
    )
    print(
        f"save: median {statistics.median(saves) * 1000:.1f} ms (CPU {save_cpu * 1000:.1f} ms); "
        f"history of {len(listed)} runs: {history * 1000:.0f} ms (CPU {history_cpu * 1000:.0f} ms); "
        f"drift reads: {drift * 1000:.0f} ms (CPU {drift_cpu * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
