"""A worker killed mid-site (SIGKILL, its pool too): two real workers on a real Redis, the
lab with latency so a site lasts long enough to kill; the lost site goes to the other
worker — or, past the redelivery bound, is reported not assessed (exit 4). Never lost."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from fleetaudit.cli import main
from fleetaudit.dispatch.ledger import Ledger
from fleetaudit.lab import Lab
from fleetaudit.paths import builtin_dir

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_S = 12  # a lost worker's site goes back to the queue after this long
LATENCY_MS = 250  # each command answered late: a site lasts a few seconds
ZONES = ("zone-a", "zone-b")  # the lab's sites alternate over these
SUCCEEDED = re.compile(r"Task fleetaudit\.audit_site\[([0-9a-f-]+)\] succeeded")


def _service(action: str, folder: Path, port: int | None = None) -> str:
    script = ROOT / "scripts" / "services" / "redis.sh"
    argv = ["bash", str(script), action, str(folder), *([str(port)] if port else [])]
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("redis")
    port = _free_port()  # not a fixed one: test sessions may run at once on one machine
    url = _service("start", folder, port).splitlines()[-1]
    try:
        try:  # redis.sh prints the URL even when the port was taken
            redis.Redis.from_url(url, socket_connect_timeout=3).ping()
        except redis.RedisError as exc:
            pytest.fail(f"no Redis on port {port} (taken by something else?): {exc}")
        yield url.rsplit("/", 1)[0]  # each test picks its own database
    finally:
        _service("stop", folder)


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    lab = Lab(
        builtin_dir("inventory"),
        site="bench",
        devices=10,
        sites=2,
        ephemeral_ports=True,
        latency_ms=LATENCY_MS,
    )
    with lab:
        yield lab.write_inventory(tmp_path_factory.mktemp("two-sites"))


class Worker:
    def __init__(
        self, name: str, env: dict[str, str], folder: Path, zones: tuple[str, ...] = ZONES
    ) -> None:
        self.name = name
        self.log = folder / f"{name}.log"
        home = folder / name
        home.mkdir()
        argv = [sys.executable, "-m", "fleetaudit.cli", "worker", "--name", f"{name}@test"]
        argv += ["--concurrency", "1", *(f"--queue={zone}" for zone in zones)]
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                argv,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**env, "FLEETAUDIT_HOME": str(home), "FLEETAUDIT_DB": str(home / "runs.db")},
                start_new_session=True,  # its own group: SIGKILL reaches the pool too
            )

    def said(self, text: str) -> int:
        return self.log.read_text(errors="replace").count(text)

    def finished(self) -> set[str]:
        """The ids of the site tasks it finished (a slow site's task may be delivered
        again after the visibility timeout, and answer at once from the ledger)."""
        return set(SUCCEEDED.findall(self.log.read_text(errors="replace")))

    def wait_for(self, text: str, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while not self.said(text):
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, f"{self.name} never said {text!r}"
            time.sleep(0.1)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def _run_killing_one(
    inventory: Path, broker: str, folder: Path, max_deliveries: int, *extra: str
) -> tuple[subprocess.CompletedProcess[str], Worker, Worker]:
    env = {
        **os.environ,
        "FLEETAUDIT_BROKER_URL": broker,
        "FLEETAUDIT_VISIBILITY_TIMEOUT": str(VISIBILITY_S),
        "FLEETAUDIT_MAX_DELIVERIES": str(max_deliveries),
    }
    workers = [Worker(name, env, folder) for name in ("w1", "w2")]
    try:
        for worker in workers:
            worker.wait_for(" ready.")
        argv = [sys.executable, "-m", "fleetaudit.cli", "run", "--all", "--dispatch", "celery"]
        argv += ["--inventory", str(inventory), "--format", "json", "--quiet", *extra]
        dispatcher = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**env, "FLEETAUDIT_HOME": str(folder / "dispatcher")},
        )
        victim, other = workers
        for worker in workers:  # prefetch 1, one process each: one site each
            worker.wait_for("fleetaudit.audit_site[", timeout_s=30)
        time.sleep(1.0)  # well into the site: a site takes several seconds
        assert not victim.said("succeeded"), "the site ended before the kill: raise LATENCY_MS"
        victim.kill()
        out, err = dispatcher.communicate(timeout=VISIBILITY_S * (max_deliveries + 2) + 60)
        done = subprocess.CompletedProcess(argv, dispatcher.returncode, out, err)
        return done, victim, other
    finally:
        for worker in workers:
            worker.stop()


def test_a_killed_workers_site_is_audited_by_the_other_worker(
    two_sites: Path, redis_url: str, tmp_path: Path
) -> None:
    done, victim, other = _run_killing_one(two_sites, f"{redis_url}/1", tmp_path, 3)
    assert done.returncode == 1, done.stderr  # office1's problems, cloned: every site assessed
    report = json.loads(done.stdout)
    assert {h["site"] for h in report["hosts"]} == {"bench01", "bench02"}
    assert all(h["status"] == "ok" for h in report["hosts"]), report["hosts"]
    assert victim.said("succeeded") == 0
    assert len(other.finished()) == 2  # its own site, then the killed worker's
    assert "'delivery': 2" in other.log.read_text()


def test_past_the_redelivery_bound_the_site_is_not_assessed(
    two_sites: Path, redis_url: str, tmp_path: Path
) -> None:
    # one delivery allowed: the killed worker's site is not audited again; the other site
    # has only failing findings below critical, so exit 4 shows the site not assessed
    done, victim, other = _run_killing_one(
        two_sites, f"{redis_url}/2", tmp_path, 1, "--fail-on", "critical"
    )
    assert done.returncode == 4, done.stderr
    report = json.loads(done.stdout)
    lost = [h for h in report["hosts"] if h["status"] == "not_assessed"]
    assert len(lost) == 5 and len({h["site"] for h in lost}) == 1
    assert "delivered 2 times" in lost[0]["error"]
    assert "FLEETAUDIT_MAX_DELIVERIES=1" in lost[0]["error"]
    assert sum(h["status"] == "ok" for h in report["hosts"]) == 5
    assert "5 host(s) not assessed" in done.stderr


def test_a_delivery_while_another_is_alive_waits_for_its_answer(redis_url: str) -> None:
    """Redis redelivers a slow site's task once the visibility timeout passed: the second
    delivery does not audit the site again, nor count as a lost worker."""
    client = redis.Redis.from_url(f"{redis_url}/3")
    first, second = Ledger(client, "slow-site"), Ledger(client, "slow-site")
    assert first.take("w1") == 1
    answers: list[object] = []
    waiting = threading.Thread(target=lambda: answers.append(second.take("w2", poll_s=0.05)))
    with first.alive():
        waiting.start()
        time.sleep(0.3)
        assert not answers  # still waiting: w1's claim is alive
        first.finish({"worker": "w1", "delivery": 1, "report": {}})
    waiting.join(timeout=5)
    assert answers == [{"worker": "w1", "delivery": 1, "report": {}}]
    client.flushdb()


def test_no_worker_at_all_the_sites_time_out_not_assessed(
    two_sites: Path,
    redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FLEETAUDIT_BROKER_URL", f"{redis_url}/4")
    monkeypatch.setenv("FLEETAUDIT_VISIBILITY_TIMEOUT", "1")
    monkeypatch.setenv("FLEETAUDIT_MAX_DELIVERIES", "1")  # given up after 2 s
    argv = ["run", "--all", "--dispatch", "celery", "--inventory", str(two_sites)]
    assert main([*argv, "--format", "json"]) == 4
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert {h["status"] for h in report["hosts"]} == {"not_assessed"}
    assert "no site started or finished for 2 s" in report["hosts"][0]["error"]
    assert "no worker answers yet" in captured.err
    assert "10 host(s) not assessed" in captured.err
    redis.Redis.from_url(f"{redis_url}/4").flushdb()


def test_a_zones_sites_wait_for_a_worker_of_that_zone(
    two_sites: Path, redis_url: str, tmp_path: Path
) -> None:
    """bench01 is in zone-a, bench02 in zone-b; the only worker listens to zone-a: it
    audits bench01 (longer than the stall timeout: its live claim keeps the run waiting),
    and bench02, never started, is not assessed once nothing moved for the timeout."""
    env = {
        **os.environ,
        "FLEETAUDIT_BROKER_URL": f"{redis_url}/5",
        "FLEETAUDIT_VISIBILITY_TIMEOUT": "2",
        "FLEETAUDIT_MAX_DELIVERIES": "1",  # the stall timeout: 4 s
    }
    worker = Worker("a1", env, tmp_path, zones=("zone-a",))
    try:
        worker.wait_for(" ready.")
        argv = [sys.executable, "-m", "fleetaudit.cli", "run", "--all", "--dispatch", "celery"]
        argv += ["--inventory", str(two_sites), "--format", "json", "--fail-on", "critical"]
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=180,
            env={**env, "FLEETAUDIT_HOME": str(tmp_path / "dispatcher")},
        )
    finally:
        worker.stop()
    assert done.returncode == 4, done.stderr
    report = json.loads(done.stdout)
    status = {(h["site"], h["status"]) for h in report["hosts"]}
    assert status == {("bench01", "ok"), ("bench02", "not_assessed")}
    assert "no worker listens to zone(s) zone-b yet" in done.stderr
    assert "sites per worker: a1@test: 1; not assessed: bench02" in done.stderr


def test_a_killed_pool_process_gives_the_site_back_at_once(
    two_sites: Path, redis_url: str, tmp_path: Path
) -> None:
    """Only the process auditing the site dies (the worker lives): task_reject_on_worker_lost
    puts the site back in the queue without waiting for the visibility timeout."""
    env = {
        **os.environ,
        "FLEETAUDIT_BROKER_URL": f"{redis_url}/6",
        "FLEETAUDIT_VISIBILITY_TIMEOUT": "600",  # so only the rejection can bring it back
    }
    worker = Worker("p1", env, tmp_path)
    try:
        worker.wait_for(" ready.")
        argv = [sys.executable, "-m", "fleetaudit.cli", "run", "--all", "--dispatch", "celery"]
        argv += ["--inventory", str(two_sites), "--format", "json", "--quiet"]
        dispatcher = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**env, "FLEETAUDIT_HOME": str(tmp_path / "dispatcher")},
        )
        worker.wait_for("fleetaudit.audit_site[", timeout_s=30)
        time.sleep(1.0)
        assert not worker.said("succeeded")
        children = Path(f"/proc/{worker.process.pid}/task/{worker.process.pid}/children")
        (pool,) = children.read_text().split()  # --concurrency 1: one pool process
        os.kill(int(pool), signal.SIGKILL)
        out, err = dispatcher.communicate(timeout=180)
    finally:
        worker.stop()
    assert dispatcher.returncode == 1, err
    report = json.loads(out)
    assert all(h["status"] == "ok" for h in report["hosts"]), report["hosts"]
    assert worker.said("WorkerLostError")
    assert len(worker.finished()) == 2
    assert "'delivery': 2" in worker.log.read_text()
