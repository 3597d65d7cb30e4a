"""The Celery side, kept in this one module (Celery has no type information): the app with
the settings a lost worker needs (late acks, prefetch 1, reject on worker loss), the
one-site task (its deliveries kept in a :class:`Ledger`), and a worker's main loop."""

from __future__ import annotations

from typing import Any

import redis
from celery import Celery

from fleetaudit.dispatch.job import SiteJob, audit, pack_report
from fleetaudit.dispatch.ledger import Ledger
from fleetaudit.dispatch.settings import ClusterSettings, queue_of
from fleetaudit.errors import UsageError

TASK_NAME = "fleetaudit.audit_site"
AUDITING = "AUDITING"  # the task state while a worker audits the site (meta: worker, delivery)


def make_app(settings: ClusterSettings) -> Any:
    app = Celery("fleetaudit", broker=settings.broker_url, backend=settings.result_url)
    app.conf.update(
        task_acks_late=True,  # a site's task leaves the queue when audited, not when taken
        worker_prefetch_multiplier=1,  # a worker holds no site it has not started
        task_reject_on_worker_lost=True,  # a pool process killed mid-site: back to the queue
        task_default_queue=queue_of(None),
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=24 * 3600,
        result_extended=True,
        broker_transport_options={
            "visibility_timeout": settings.visibility_timeout_s,
            # look for a lost worker's tasks often (kombu's default: every 100 s)
            "unacked_restore_interval": max(1, min(10, settings.visibility_timeout_s // 4)),
            "unacked_restore_throttle": 1,
        },
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    counter = redis.Redis.from_url(settings.result_url)

    def audit_one_site(task: Any, job_data: dict[str, Any], max_deliveries: int) -> dict[str, Any]:
        worker = str(task.request.hostname)
        ledger = Ledger(counter, str(task.request.id))
        taken = ledger.take(worker)
        if isinstance(taken, dict):  # another delivery audited the site meanwhile
            return taken
        answer: dict[str, Any] = {"worker": worker, "delivery": taken}
        if taken > max_deliveries:
            answer["not_assessed"] = (
                f"delivered {taken} times: each earlier delivery's worker was lost "
                f"mid-site (bound FLEETAUDIT_MAX_DELIVERIES={max_deliveries})"
            )
        else:
            task.update_state(state=AUDITING, meta={"worker": worker, "delivery": taken})
            try:
                with ledger.alive():
                    answer["report"] = pack_report(audit(SiteJob.from_json(job_data)))
            except UsageError as exc:  # the worker's copy of the inventory, its store...
                answer["not_assessed"] = f"worker {worker}: {exc}"
        ledger.finish(answer)
        return answer

    app.task(name=TASK_NAME, bind=True)(audit_one_site)
    return app


def send(app: Any, job: SiteJob, zone: str | None, max_deliveries: int) -> Any:
    """Queue one site's audit on its zone's queue; returns its AsyncResult."""
    return app.send_task(TASK_NAME, args=[job.to_json(), max_deliveries], queue=queue_of(zone))


def poll(result: Any) -> tuple[str, dict[str, Any] | None, str | None]:
    """``(state, answer, worker)``: the answer once the task ended (``None`` before), the
    worker auditing it meanwhile. A task that raised answers ``{"not_assessed": why}``."""
    state = str(result.state)
    if state == "SUCCESS":
        answer = result.result
        return state, answer if isinstance(answer, dict) else {"not_assessed": "no answer"}, None
    if state in ("FAILURE", "REVOKED"):
        return state, {"not_assessed": f"the worker's task failed: {result.result!r}"}, None
    info = result.info
    worker = info.get("worker") if state == AUDITING and isinstance(info, dict) else None
    return state, None, worker


def listened(app: Any) -> set[str] | None:
    """The queues some worker consumes now (``None``: no worker answered in a second)."""
    answers = app.control.inspect(timeout=1.0).active_queues()
    if not answers:
        return None
    return {str(q["name"]) for queues in answers.values() for q in queues}


def revoke(app: Any, results: list[Any]) -> None:
    """Tasks given up on: no worker starts them any more."""
    if results:
        app.control.revoke([r.id for r in results])


def run_worker(
    settings: ClusterSettings, queues: list[str], concurrency: int, name: str | None
) -> None:
    """Run a worker in the foreground until it is stopped (SIGTERM: warm shutdown)."""
    app = make_app(settings)
    argv = ["worker", "--loglevel=INFO", f"--concurrency={concurrency}"]
    argv += ["--without-mingle", "--without-gossip"]  # workers share nothing but the broker
    argv.append("--queues=" + ",".join(queues))
    if name:
        argv.append(f"--hostname={name}")
    app.worker_main(argv=argv)
