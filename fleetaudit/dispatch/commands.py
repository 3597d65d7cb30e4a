"""What ``fleetaudit run --all [--dispatch celery]`` and ``fleetaudit worker`` do once the
CLI parsed their arguments."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fleetaudit.audit import Options
from fleetaudit.dispatch.cluster import Gathered, dispatch, in_process
from fleetaudit.dispatch.display import SitesProgress
from fleetaudit.dispatch.job import SiteJob, sites_of
from fleetaudit.dispatch.settings import SITE_LOGINS, from_environment, queue_of, reachable
from fleetaudit.errors import UsageError
from fleetaudit.inventory import load_nornir, site_of
from fleetaudit.model import Report


def run_sites(
    args: argparse.Namespace, inventory: Path, wanted: list[str] | None, options: Options
) -> tuple[Report, list[str]]:
    """Every site (or the ``wanted`` ones), site by site, here or on workers; the merged
    report and the sites whose run could not be stored."""
    settings = from_environment() if args.dispatch else None  # before anything connects
    if settings is not None:
        reachable(settings)
    if wanted is None:
        _every_host_has_a_site(inventory)
    sites = sites_of(inventory, wanted)
    if not sites:
        raise UsageError(f"{inventory / 'hosts.yaml'}: no host has a site (data `site`)")
    job = _job(args, inventory, options)
    display = SitesProgress(enabled=not args.quiet and sys.stderr.isatty())
    with display:
        if settings is not None:
            gathered = dispatch(settings, sites, job, display.watch())
        else:
            gathered = in_process(sites, job, display.watch())
    if settings is not None and not args.quiet:
        _summary(gathered)
    return gathered.report, [] if args.no_store else gathered.not_stored()


def _job(args: argparse.Namespace, inventory: Path, options: Options) -> SiteJob:
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be 1 or more")
    return SiteJob(
        inventory=str(inventory.resolve()),
        site="",
        template_dirs=tuple(str(p.resolve()) for p in options.template_dirs),
        check_dirs=tuple(str(p.resolve()) for p in options.check_dirs),
        only_checks=options.only_checks,
        host_key_policy=options.host_key_policy,
        known_hosts=str(options.known_hosts.resolve()) if options.known_hosts else None,
        limit=options.limit,
        waivers=str(args.waivers.resolve()) if args.waivers else None,
        use_waivers=not args.no_waivers,
        baseline=args.baseline,
        logins=args.workers or (SITE_LOGINS if args.dispatch else None),
        store=not args.no_store,
        db=args.db,
        keep=args.keep,
    )


def _every_host_has_a_site(inventory: Path) -> None:
    hosts = load_nornir(inventory, 1, read_only=True).inventory.hosts
    lost = [name for name, host in hosts.items() if not site_of(host)]
    if lost:
        raise UsageError(
            f"{inventory / 'hosts.yaml'}: {', '.join(lost[:5])} ha{'s' if len(lost) == 1 else 've'} "
            "no site, and --all audits site by site: give each data `site` (or a group "
            "site_<name>), or audit them with --site"
        )


def _summary(gathered: Gathered) -> None:
    per_worker = gathered.per_worker()
    lost = [d.site for d in gathered.done if not d.assessed]
    counts = ", ".join(f"{w}: {n}" for w, n in per_worker.items()) or "none"
    print(
        f"fleetaudit: {len(gathered.done)} site(s) in {gathered.report.duration_s:.1f} s; "
        f"sites per worker: {counts}" + (f"; not assessed: {', '.join(lost)}" if lost else ""),
        file=sys.stderr,
    )


def worker(args: argparse.Namespace) -> int:
    from fleetaudit.dispatch.celery_app import run_worker

    settings = from_environment()
    if args.concurrency < 1:
        raise UsageError("--concurrency must be 1 or more")
    reachable(settings)
    queues = [queue_of(None if zone == "default" else zone) for zone in args.queue or ["default"]]
    run_worker(settings, queues, args.concurrency, args.name)
    return 0
