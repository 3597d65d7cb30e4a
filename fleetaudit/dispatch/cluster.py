"""The dispatcher: one task per site on its zone's queue, every site's report gathered
(with progress across workers), merged into one report; and the same sites audited here,
one after another, when there are no workers."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fleetaudit import api
from fleetaudit.dispatch.job import Site, SiteJob, audit, merge, not_assessed, unpack_report
from fleetaudit.dispatch.settings import ClusterSettings, queue_of
from fleetaudit.model import Report

POLL_S = 0.5


@dataclass
class SiteDone:
    site: str
    worker: str | None  # None: audited in this process, or by no worker at all
    delivery: int
    assessed: bool
    stored: bool = False  # its run is in the history store


@dataclass
class Gathered:
    """A distributed run's outcome: the merged report and who audited what."""

    report: Report
    done: list[SiteDone] = field(default_factory=list)

    def not_stored(self) -> list[str]:
        """Sites audited whose run the history store could not keep."""
        return [d.site for d in self.done if d.assessed and not d.stored]

    def per_worker(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.done:
            if item.worker and item.assessed:
                counts[item.worker] = counts.get(item.worker, 0) + 1
        return dict(sorted(counts.items()))


@dataclass(frozen=True)
class Watch:
    """Callbacks while sites are audited (a progress display)."""

    on_start: Callable[[int], None] | None = None  # the number of sites
    on_auditing: Callable[[str, str], None] | None = None  # site, worker
    on_site_done: Callable[[SiteDone], None] | None = None
    on_note: Callable[[str], None] | None = None  # something the user should know


def in_process(
    sites: list[Site], job: SiteJob, watch: Watch = Watch(), progress: api.Progress | None = None
) -> Gathered:
    """``run --all`` without workers: each site audited here in turn, as a worker would."""
    started = time.time()
    if watch.on_start:
        watch.on_start(len(sites))
    reports, done = [], []
    for site in sites:
        report = audit(job.with_site(site.name), progress)
        reports.append(report)
        done.append(SiteDone(site.name, None, 1, True, report.stored))
        if watch.on_site_done:
            watch.on_site_done(done[-1])
    return Gathered(merge(reports, started), done)


def dispatch(
    settings: ClusterSettings,
    sites: list[Site],
    job: SiteJob,
    watch: Watch = Watch(),
    timeout_s: float | None = None,
) -> Gathered:
    """Send every site to the workers and wait for each one's report. When no site
    started or finished, and no worker was auditing one, for ``timeout_s`` (default: the
    visibility timeout once per allowed delivery, plus one), the sites still waiting are
    revoked and reported not assessed."""
    import redis  # Celery and Redis only load for a distributed run

    from fleetaudit.dispatch import celery_app
    from fleetaudit.dispatch.ledger import Ledger

    app = celery_app.make_app(settings)
    ledgers = redis.Redis.from_url(settings.result_url)
    started = time.time()
    limit = timeout_s or settings.visibility_timeout_s * (settings.max_deliveries + 1)
    pending: dict[str, Any] = {
        site.name: celery_app.send(
            app, job.with_site(site.name), site.zone, settings.max_deliveries
        )
        for site in sites
    }
    if watch.on_note:
        _note_unheard(app, sites, watch.on_note)
    if watch.on_start:
        watch.on_start(len(sites))
    by_name = {site.name: site for site in sites}
    reports: dict[str, Report] = {}
    done: list[SiteDone] = []
    seen: dict[str, str] = {}
    last_change = time.time()
    while pending:
        for name, result in list(pending.items()):
            _state, answer, worker = celery_app.poll(result)
            if worker and seen.get(name) != worker:
                seen[name] = worker
                last_change = time.time()
                if watch.on_auditing:
                    watch.on_auditing(name, worker)
            if answer is None:
                if worker and Ledger(ledgers, str(result.id)).auditing():
                    last_change = time.time()  # a live worker is on it, however long it takes
                continue
            del pending[name]
            last_change = time.time()
            report, item = _read(by_name[name], answer)
            reports[name] = report
            done.append(item)
            if watch.on_site_done:
                watch.on_site_done(item)
        if pending and time.time() - last_change > limit:
            celery_app.revoke(app, list(pending.values()))
            for name in list(pending):
                why = (
                    f"no site started or finished for {limit:.0f} s, and no worker audited "
                    "this one (is a worker on its queue?)"
                )
                reports[name] = not_assessed(by_name[name], why)
                done.append(SiteDone(name, seen.get(name), 0, False))
            pending.clear()
        elif pending:  # one Redis read per waiting site and poll: fewer polls when many wait
            time.sleep(min(5.0, max(POLL_S, len(pending) / 400)))
    ordered = [reports[site.name] for site in sites]
    return Gathered(merge(ordered, started), done)


def _note_unheard(app: Any, sites: list[Site], note: Callable[[str], None]) -> None:
    """Say which zones no worker listens to yet (their sites wait for one, or time out)."""
    from fleetaudit.dispatch import celery_app

    listened = celery_app.listened(app)
    if listened is None:
        note("no worker answers yet: the sites wait in their queues (start `fleetaudit worker`)")
        return
    unheard = sorted({s.zone or "default" for s in sites if queue_of(s.zone) not in listened})
    if unheard:
        note(
            f"no worker listens to zone(s) {', '.join(unheard)} yet: their sites wait "
            "(`fleetaudit worker --queue ZONE`)"
        )


def _read(site: Site, answer: dict[str, Any]) -> tuple[Report, SiteDone]:
    worker = answer.get("worker")
    delivery = int(answer.get("delivery") or 0)
    if "report" in answer:
        report = unpack_report(str(answer["report"]))
        return report, SiteDone(site.name, worker, delivery, True, report.stored)
    why = str(answer.get("not_assessed") or "the worker gave no report")
    return not_assessed(site, why), SiteDone(site.name, worker, delivery, False)
