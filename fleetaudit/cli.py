"""Command line: ``fleetaudit run | scan | history | drift | sip-trace | lab serve | checks
list|explain | schema report|drift``.

Exit codes (``EXIT_CODES``): 0 no failing finding at or above ``--fail-on`` and every host
assessed; 1 a failing finding at or above ``--fail-on``; 2 usage, inventory or
configuration error, found before any connection (the message names the file, the key and
the fix); 3 internal error; 4 no failing finding, but some host (or scanned file) could not
be assessed (``--allow-unassessed`` turns 4 into 0). No traceback reaches a user.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, overload

from fleetaudit import __version__
from fleetaudit.errors import UsageError
from fleetaudit.paths import default_inventory

if TYPE_CHECKING:
    from fleetaudit import api
    from fleetaudit.audit import Options
    from fleetaudit.hostkeys import HostKeyPolicy
    from fleetaudit.model import Report, Severity

# The CLI imports a stage where a command runs it: `checks list` must not pay for netmiko,
# SQLAlchemy or TTP (tests/test_startup.py holds the list). Choices that live in those
# modules are read when argparse checks or shows them.
DEFAULT_POLICY: HostKeyPolicy = "accept-new"  # = hostkeys.DEFAULT_POLICY (a test says so)


class LazyChoices(Sequence[str]):
    """argparse ``choices`` computed on first use (a value to check, ``--help`` to show)."""

    def __init__(self, compute: Callable[[], Iterable[str]]) -> None:
        self._compute = compute

    @cached_property
    def _values(self) -> tuple[str, ...]:
        return tuple(self._compute())

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._values[index]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __contains__(self, value: object) -> bool:
        return value in self._values


def _severities() -> tuple[str, ...]:
    from fleetaudit.model import SEVERITIES

    return SEVERITIES


def _policies() -> tuple[str, ...]:
    from fleetaudit.hostkeys import POLICIES

    return POLICIES


def _config_platforms() -> list[str]:
    from fleetaudit.audit import CONFIG_COMMANDS

    return sorted(CONFIG_COMMANDS)


def _roles() -> list[str]:
    from fleetaudit import platforms

    return sorted(platforms.roles())


SEVERITIES = LazyChoices(_severities)

FORMATS = ("table", "json", "markdown", "html", "junit", "sarif", "fixes")
EXIT_OK, EXIT_FAILING, EXIT_USAGE, EXIT_INTERNAL, EXIT_UNASSESSED = 0, 1, 2, 3, 4
EXIT_CODES = """exit codes:
  0  no failing finding at or above --fail-on, and every host assessed
  1  a failing finding at or above --fail-on (default high)
  2  usage, inventory or configuration error (found before any connection)
  3  internal error (a bug: FLEETAUDIT_DEBUG=1 shows the traceback)
  4  no failing finding, but some host (or scanned file) could not be assessed
     (unreachable, auth_failed, timeout, partial, host key mismatch, not_assessed,
     nothing readable);
     --allow-unassessed turns 4 into 0"""


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table", help="report format")
    parser.add_argument("--output", type=Path, help="write the report to FILE instead of stdout")
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        metavar="SEVERITY",
        default="high",
        help="exit 1 when a failing finding is at or above this severity: %(choices)s "
        "(default high)",
    )
    parser.add_argument(
        "--templates-dir",
        type=Path,
        action="append",
        default=[],
        help="extra TTP templates (<dir>/<platform>/<command_slug>.ttp); repeatable",
    )
    parser.add_argument(
        "--checks-dir",
        type=Path,
        action="append",
        default=[],
        help="extra check modules (<dir>/*.py); repeatable",
    )
    parser.add_argument("--check", action="append", default=[], help="run only this check ID")
    parser.add_argument(
        "--facts",
        action="store_true",
        help="json: each host's facts under hosts[].facts (what fleetaudit saw)",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress, report only")
    parser.add_argument("--verbose", "-v", action="store_true", help="table: list passes too")
    parser.add_argument(
        "--allow-unassessed",
        action="store_true",
        help="exit 0 instead of 4 when some host (or file) could not be assessed",
    )
    parser.add_argument(
        "--waivers",
        type=Path,
        help="waivers file (default for run: <inventory>/waivers.yaml when present)",
    )
    parser.add_argument("--no-waivers", action="store_true", help="ignore every waiver")
    parser.add_argument(
        "--metrics-file",
        type=Path,
        metavar="FILE",
        help="also write Prometheus textfile-collector metrics to FILE (atomically)",
    )
    parser.add_argument(
        "--baseline",
        metavar="RUN",
        help="fail only on findings not in RUN (a stored run id, `latest`, or a JSON report)",
    )
    _db(parser)


def _ssh(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--known-hosts",
        type=Path,
        metavar="FILE",
        help="SSH host keys, OpenSSH known_hosts format (default $FLEETAUDIT_HOME/known_hosts; "
        "per host or group: data.known_hosts)",
    )
    parser.add_argument(
        "--host-key-policy",
        choices=LazyChoices(_policies),
        metavar="POLICY",
        default=DEFAULT_POLICY,
        help="accept-new (default): learn unknown keys, refuse changed ones; strict: refuse "
        "unknown keys too; off: no check (says so per host). A refused host is "
        "host_key_mismatch and gets no credentials. Per host or group: data.host_key_policy",
    )


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="history store (default $FLEETAUDIT_DB, else $FLEETAUDIT_HOME/fleetaudit.sqlite)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fleetaudit",
        description="Audit the network a VoIP service runs over.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"fleetaudit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run",
        help="audit a site live over SSH",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    where = run.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--site",
        help="the site to audit (inventory data `site` or group site_<name>); several: "
        "comma-separated, audited site by site into one report",
    )
    where.add_argument(
        "--all", action="store_true", help="every site in the inventory, site by site"
    )
    run.add_argument(
        "--dispatch",
        choices=("celery",),
        help="with --all or several --site: one task per site on Celery workers "
        "(`fleetaudit worker`; broker from $FLEETAUDIT_BROKER_URL), one merged report",
    )
    run.add_argument(
        "--inventory",
        type=Path,
        help="Nornir inventory folder (default ./inventory), or a source of truth: "
        "nautobot://HOST[:PORT] ($NAUTOBOT_TOKEN) or netbox://HOST[:PORT] ($NETBOX_TOKEN)",
    )
    run.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="HOST|GROUP|ROLE",
        help="audit only hosts with this name, group or role (comma-separated; repeatable)",
    )
    run.add_argument(
        "--workers",
        type=int,
        help="parallel SSH sessions within a site (default: hosts, max 20; dispatched: 10)",
    )
    run.add_argument("--no-store", action="store_true", help="do not keep the run's evidence")
    run.add_argument(
        "--candidate",
        type=Path,
        metavar="DIR",
        help="pre-change audit: candidate configs named by host (<host>.cfg) replace the "
        "devices' running configs; reports what the change introduces / resolves",
    )
    run.add_argument(
        "--offline",
        action="store_true",
        help="with --candidate: other devices' evidence from the latest stored run, no SSH",
    )
    run.add_argument(
        "--keep", type=int, metavar="N", help="after storing, keep only the site's newest N runs"
    )
    _ssh(run)
    _common(run)

    scan = sub.add_parser(
        "scan",
        help="audit saved configs or command outputs offline",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scan.add_argument("paths", nargs="+", type=Path, help="config files or per-device folders")
    scan.add_argument(
        "--platform",
        required=True,
        choices=LazyChoices(_config_platforms),
        metavar="PLATFORM",
        help="%(choices)s",
    )
    scan.add_argument("--role", choices=LazyChoices(_roles), metavar="ROLE", help="%(choices)s")
    scan.add_argument("--policy", type=Path, help="YAML file holding a `voip:` provider profile")
    scan.add_argument(
        "--compare-with",
        type=Path,
        metavar="OLD",
        help="pre-change audit of one device: what PATH (the candidate) introduces or "
        "resolves against OLD (its current config)",
    )
    _common(scan)

    history = sub.add_parser("history", help="stored runs: list, show one, prune, export")
    history.add_argument("--site", help="only runs that audited this site")
    history.add_argument("--limit", type=int, default=20, help="newest N runs (default 20)")
    history.add_argument("--format", choices=("table", "json"), default="table")
    history.add_argument("--output", type=Path)
    _db(history)
    steps = history.add_subparsers(dest="history_command")
    show = steps.add_parser("show", help="one stored run's report, in any format")
    show.add_argument("run", help="run id (or a unique prefix, `latest`, `latest~1`)")
    show.add_argument("--site", help="resolve `latest` among this site's runs")
    show.add_argument("--format", choices=FORMATS, default="table")
    show.add_argument("--output", type=Path)
    _db(show)
    prune = steps.add_parser("prune", help="delete old runs (retention)")
    prune.add_argument("--keep", type=int, metavar="N", help="keep the newest N runs")
    prune.add_argument(
        "--older-than", metavar="AGE", help="delete runs older than AGE (30d, 12w, 2025-01-01)"
    )
    prune.add_argument("--site", help="only this site's runs (default: every site's)")
    prune.add_argument("--yes", "-y", action="store_true", help="delete without asking")
    _db(prune)
    export = steps.add_parser(
        "export", help="write a run's evidence as <host>/<command_slug>.txt (what scan reads)"
    )
    export.add_argument("run", help="run id (or a unique prefix, `latest`, `latest~1`)")
    export.add_argument("dir", type=Path, metavar="DIR", help="a new or empty folder")
    export.add_argument("--site", help="only this site's hosts (and `latest` among its runs)")
    _db(export)

    drift = sub.add_parser("drift", help="what changed at a site between two stored runs")
    drift.add_argument("--site", required=True, help="the site")
    span = drift.add_mutually_exclusive_group()
    span.add_argument("--since", metavar="AGE", help="against the site's state AGE ago (7d, 24h)")
    span.add_argument("--from", dest="from_run", metavar="RUN", help="the earlier run")
    drift.add_argument("--to", dest="to_run", metavar="RUN", help="the later run (default latest)")
    drift.add_argument("--format", choices=("table", "json", "markdown", "html"), default="table")
    drift.add_argument("--output", type=Path)
    drift.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        metavar="SEVERITY",
        default="high",
        help="exit 1 when a new failing finding is at or above this severity: %(choices)s "
        "(default high)",
    )
    _db(drift)

    lab = sub.add_parser("lab", help="the simulated network").add_subparsers(
        dest="lab_command", required=True
    )
    serve = lab.add_parser("serve", help="serve the demo sites over SSH until Ctrl-C")
    serve.add_argument("--site", help="only this site (default: every demo site)")
    serve.add_argument("--devices", type=int, default=0, help="also serve N clones of office1")
    serve.add_argument(
        "--sites",
        type=int,
        default=1,
        metavar="S",
        help="spread the clones over S sites bench01..benchS (data `zone` alternating "
        "zone-a, zone-b); default 1: site `bench`. `--site bench` serves the clones alone",
    )
    serve.add_argument(
        "--inventory-out",
        type=Path,
        metavar="DIR",
        help="write a Nornir inventory of the served devices (clones: site `bench`) to DIR",
    )
    serve.add_argument(
        "--latency", type=float, default=0, metavar="MS", help="delay every command's answer"
    )
    serve.add_argument(
        "--ephemeral-ports",
        action="store_true",
        help="listen on free ports instead of the inventory's (see --inventory-out)",
    )
    serve.add_argument("--inventory", type=Path, help="inventory folder (default: the demo)")
    serve.add_argument(
        "--host-keys",
        type=Path,
        metavar="DIR",
        help="the devices' SSH host keys, generated there when absent, reused when present "
        "(default $FLEETAUDIT_HOME/lab/host_keys)",
    )
    serve.add_argument(
        "--log",
        type=Path,
        metavar="FILE",
        help="append every line each device receives to FILE, one JSON object a line "
        '({"device", "line", "violation", ...}; passwords as <password>)',
    )

    trace = sub.add_parser(
        "sip-trace",
        help="read tcpdump captures: SIP ladders and findings (TRC checks)",
        epilog=EXIT_CODES.replace("(or scanned file)", "(or capture)")
        + "\n  (sip-trace: 2 also when a FILE is not a capture; 4 when no FILE holds SIP)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    trace.add_argument("files", nargs="+", type=Path, metavar="FILE", help="pcap or pcapng")
    trace.add_argument("--format", choices=("table", "json", "markdown", "html"), default="table")
    trace.add_argument("--output", type=Path, help="write the report to FILE instead of stdout")
    trace.add_argument(
        "--site", help="link findings to this site's latest stored audit (NAT timeout, ALG)"
    )
    trace.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        metavar="SEVERITY",
        default="low",
        help="exit 1 when a failing finding is at or above this severity: %(choices)s "
        "(default low: "
        "a capture shows failures that already happened)",
    )
    trace.add_argument("--allow-unassessed", action="store_true", help="exit 0 instead of 4")
    _db(trace)

    worker = sub.add_parser(
        "worker",
        help="audit sites sent by `run --dispatch celery` (a Celery worker)",
        description="A Celery worker: audits one site per task and stores the run in the "
        "history store ($FLEETAUDIT_DB). Broker: $FLEETAUDIT_BROKER_URL (redis://...); results: "
        "$FLEETAUDIT_RESULT_URL (default the broker); a site whose worker was lost more than "
        "$FLEETAUDIT_MAX_DELIVERIES times (3) is reported not assessed; Redis gives a lost "
        "worker's site to another after $FLEETAUDIT_VISIBILITY_TIMEOUT seconds (600).",
    )
    worker.add_argument(
        "--queue",
        action="append",
        default=[],
        metavar="ZONE",
        help="take the sites of this reachability zone (inventory data `zone`); repeatable; "
        "`default` is the queue of sites without a zone (the default when none is given)",
    )
    worker.add_argument(
        "--concurrency", type=int, default=2, metavar="N", help="sites audited at once (2)"
    )
    worker.add_argument("--name", help="the worker's name (default: celery@HOST)")

    schema = sub.add_parser("schema", help="the JSON Schema of a JSON document fleetaudit writes")
    schema.add_argument(
        "document", choices=("report", "drift"), help="fleetaudit.report/1, .drift/1"
    )

    checks = sub.add_parser("checks", help="what fleetaudit checks").add_subparsers(
        dest="checks_command", required=True
    )
    listing = checks.add_parser("list", help="every check with its ID, severity and title")
    listing.add_argument("--checks-dir", type=Path, action="append", default=[])
    explain = checks.add_parser("explain", help="what a check looks at, why, and the fix")
    explain.add_argument("id", help="check ID or slug, e.g. ALG001")
    explain.add_argument("--checks-dir", type=Path, action="append", default=[])
    return parser


def _options(args: argparse.Namespace) -> Options:
    from fleetaudit.audit import Options

    return Options(
        tuple(args.templates_dir),
        tuple(args.checks_dir),
        tuple(args.check),
        host_key_policy=getattr(args, "host_key_policy", DEFAULT_POLICY),
        known_hosts=getattr(args, "known_hosts", None),
        limit=tuple(getattr(args, "limit", None) or ()),
    )


def _gates(args: argparse.Namespace) -> api.Gates:
    from fleetaudit import api

    return api.Gates(waivers=args.waivers, use_waivers=not args.no_waivers, baseline=args.baseline)


def _check_output(output: Path | None, metrics: Path | None = None, flag: str = "--output") -> None:
    """``--output`` (and ``--metrics-file``) must be writable before the audit runs, not
    after it was stored."""
    if metrics is not None:
        _check_output(metrics, flag="--metrics-file")
    if output is None:
        return
    if output.is_dir():
        raise UsageError(f"{flag} {output}: is a folder; give a file name inside it")
    if output.exists():  # an existing file, or /dev/null
        if not os.access(output, os.W_OK):
            raise UsageError(f"{flag} {output}: not writable; write the report elsewhere")
        return
    folder = output.parent
    if not folder.is_dir():
        raise UsageError(
            f"{flag} {output}: the folder {folder} does not exist; create it "
            f"(mkdir -p {folder}) or write the report elsewhere"
        )
    if not os.access(folder, os.W_OK):
        raise UsageError(f"{flag} {output}: the folder {folder} is not writable")


def _check_facts(args: argparse.Namespace) -> None:
    if args.facts and args.format != "json":
        raise UsageError(
            f"--facts shows facts in the JSON report: add --format json (not {args.format})"
        )


def exit_code(report: Report, fail_on: Severity, allow_unassessed: bool) -> int:
    """1 on a failing finding; else 4 when a host could not be assessed; else 0."""
    from fleetaudit.waivers import gate, unassessed

    if gate(report, fail_on):
        return EXIT_FAILING
    missed = unassessed(report)
    if missed and not allow_unassessed:
        listed = ", ".join(f"{name} ({why})" for name, why in missed[:10])
        more = f" and {len(missed) - 10} more" if len(missed) > 10 else ""
        print(
            f"fleetaudit: {len(missed)} host(s) not assessed: {listed}{more}; exit 4 "
            "(--allow-unassessed accepts this)",
            file=sys.stderr,
        )
        return EXIT_UNASSESSED
    return EXIT_OK


def _emit(
    report: Report, args: argparse.Namespace, note: str, trend: list[int] | None = None
) -> int:
    from fleetaudit.report.render import emit_report

    emit_report(
        report,
        args.format,
        args.output,
        note,
        tuple(args.checks_dir),
        args.verbose,
        trend,
        facts=args.facts,
    )
    if args.metrics_file is not None:
        from fleetaudit.report import metrics

        metrics.write(report, args.metrics_file)
    return exit_code(report, args.fail_on, args.allow_unassessed)


def cmd_run(args: argparse.Namespace) -> int:
    inventory = args.inventory or default_inventory()
    site = None if args.all else args.site
    _check_output(args.output, args.metrics_file)
    if args.metrics_file is not None and args.candidate is not None:
        raise UsageError(
            "--metrics-file describes the site as audited; a --candidate audit is hypothetical"
        )
    _check_facts(args)
    if args.offline and args.candidate is None:
        raise UsageError(
            "--offline goes with --candidate DIR (audit candidates on stored evidence)"
        )
    sites = [s.strip() for s in (args.site or "").split(",") if s.strip()]
    if args.dispatch and not (args.all or len(sites) > 1):
        raise UsageError(
            "--dispatch spreads sites over workers: give --all or several sites "
            "(--site a,b); one site runs here with --site NAME alone"
        )
    if args.candidate is not None and (args.dispatch or len(sites) > 1):
        raise UsageError("--candidate audits here, in one go: give one --site (or --all)")
    if (args.all and args.candidate is None) or len(sites) > 1:
        from fleetaudit.dispatch.commands import run_sites

        report, not_stored = run_sites(args, inventory, sites or None, _options(args))
        if not_stored:
            print(
                f"fleetaudit: warning: the history store could not keep the run of "
                f"{', '.join(not_stored)} (the report is complete; see the store's location "
                "and the workers' logs)",
                file=sys.stderr,
            )
        return _emit(report, args, f"inventory folder {inventory}")
    site = sites[0] if sites else site
    from fleetaudit import api
    from fleetaudit.progress import Progress

    bar = Progress(enabled=not args.quiet and sys.stderr.isatty())
    progress = api.Progress(bar.start, bar.host_done)
    from fleetaudit.inventory_sources import source_of

    source = source_of(inventory)
    note = f"inventory folder {inventory}" if source is None else f"inventory {source}"
    if args.candidate is not None:  # a candidate audit is hypothetical: never stored
        with bar:
            report = api.candidate(
                inventory,
                site,
                args.candidate,
                offline=args.offline,
                options=_options(args),
                gates=_gates(args),
                workers=args.workers,
                db=args.db,
                progress=progress,
            )
        return _emit(report, args, note)
    try:
        with bar:
            report = api.audit_site(
                inventory,
                site,
                options=_options(args),
                gates=_gates(args),
                workers=args.workers,
                store=not args.no_store,
                db=args.db,
                keep=args.keep,
                progress=progress,
            )
    except api.NotStored as failed:
        _emit(failed.report, args, note)
        where = f"in {args.output}" if args.output else "above"
        print(f"fleetaudit: error: {failed}; the report {where} is complete", file=sys.stderr)
        return EXIT_USAGE
    trend = api.readiness_trend(site, args.db) if report.stored else None
    return _emit(report, args, note, trend)


def cmd_scan(args: argparse.Namespace) -> int:
    from fleetaudit import api

    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    _check_output(args.output, args.metrics_file)
    _check_facts(args)
    policy = api.policy_file(args.policy)
    report = api.scan(
        list(args.paths),
        args.platform,
        role=args.role,
        policy=policy,
        compare_with=args.compare_with,
        options=_options(args),
        gates=_gates(args),
        db=args.db,
    )
    return _emit(report, args, policy.describe())


def cmd_lab(args: argparse.Namespace) -> int:
    from fleetaudit.lab import serve_forever

    if args.devices < 0:
        raise UsageError("--devices must be 0 or more")
    if args.latency < 0:
        raise UsageError("--latency must be 0 or more milliseconds")
    inventory = args.inventory or default_inventory()
    serve_forever(
        inventory,
        args.site,
        args.devices,
        lambda line: print(line, flush=True),
        log=args.log,
        host_keys=args.host_keys,
        inventory_out=args.inventory_out,
        latency_ms=args.latency,
        ephemeral_ports=args.ephemeral_ports,
        sites=args.sites,
    )
    return 0


def cmd_checks(args: argparse.Namespace) -> int:
    from fleetaudit.report.checks import explain, listing
    from fleetaudit.report.terminal import make_console

    console = make_console(sys.stdout)
    if args.checks_command == "list":
        listing(console, tuple(args.checks_dir))
    else:
        explain(console, args.id, tuple(args.checks_dir))
    return 0


def cmd_sip_trace(args: argparse.Namespace) -> int:
    from fleetaudit.trace.command import NothingToAssess, run

    _check_output(args.output)
    try:
        report, _trace = run(args.files, args.format, args.output, args.site, args.db)
    except NothingToAssess as exc:
        print(f"fleetaudit: {exc}", file=sys.stderr)
        return EXIT_OK if args.allow_unassessed else EXIT_UNASSESSED
    return exit_code(report, args.fail_on, args.allow_unassessed)


def cmd_history(args: argparse.Namespace) -> int:
    from fleetaudit.history import parse_age
    from fleetaudit.report.render import emit_history, emit_report
    from fleetaudit.store import Store

    _check_output(getattr(args, "output", None))
    with Store.open(args.db) as store:
        if args.history_command == "export":
            from fleetaudit.export import export_run

            done = export_run(store, args.run, args.dir, args.site)
            print(f"run {done.run}: {done.files} output(s) of {done.hosts} host(s) in {args.dir}")
        elif args.history_command == "show":
            run = store.resolve(args.run, args.site)
            stored = store.report(run.id)
            stored.stored = True
            emit_report(stored, args.format, args.output, f"stored in {store.path}")
        elif args.history_command == "prune":
            if args.keep is not None and args.keep < 1:
                raise UsageError("--keep must be 1 or more")
            older = parse_age(args.older_than, "--older-than") if args.older_than else None
            doomed = store.prune(args.keep, older, args.site, dry_run=True)
            scope = f"site {args.site}" if args.site else "EVERY site"
            if (
                doomed
                and not args.yes
                and not _confirm(
                    f"delete {len(doomed)} run(s) of {scope} from {store.path} "
                    f"({', '.join(doomed[:5])}{' ...' if len(doomed) > 5 else ''})?"
                )
            ):
                print("nothing deleted (--yes deletes without asking)", file=sys.stderr)
                return EXIT_USAGE
            gone = store.prune(args.keep, older, args.site)
            print(f"deleted {len(gone)} run(s) of {scope} from {store.path}")
        else:
            if args.limit < 1:
                raise UsageError("--limit must be 1 or more")
            emit_history(store.runs(args.site, args.limit), args.format, args.output, store.path)
    return 0


def _confirm(question: str) -> bool:
    """Ask on a terminal; refuse (no deletion) when nobody can answer."""
    if not sys.stdin.isatty():
        print(f"fleetaudit: {question} not on a terminal: pass --yes to confirm", file=sys.stderr)
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def cmd_drift(args: argparse.Namespace) -> int:
    from fleetaudit import api
    from fleetaudit.report.render import emit_drift

    _check_output(args.output)
    result = api.drift(
        args.site, since=args.since, from_run=args.from_run, to_run=args.to_run, db=args.db
    )
    emit_drift(result, args.format, args.output, api.readiness_trend(args.site, args.db))
    return EXIT_FAILING if result.failing(args.fail_on) else EXIT_OK


def cmd_worker(args: argparse.Namespace) -> int:
    from fleetaudit.dispatch.commands import worker

    return worker(args)


def cmd_schema(args: argparse.Namespace) -> int:
    import json

    from fleetaudit.report.schemas import SCHEMAS

    print(json.dumps(SCHEMAS[args.document], indent=2))
    return 0


COMMANDS = {
    "run": cmd_run,
    "scan": cmd_scan,
    "lab": cmd_lab,
    "checks": cmd_checks,
    "history": cmd_history,
    "drift": cmd_drift,
    "sip-trace": cmd_sip_trace,
    "schema": cmd_schema,
    "worker": cmd_worker,
}


def main(argv: list[str] | None = None) -> int:
    from fleetaudit.lazy import DEFERRED, defer

    defer(*DEFERRED)  # before parsing: checking --host-key-policy's choices imports paramiko
    args = build_parser().parse_args(argv)  # a bad flag exits 2 with argparse's usage line
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"fleetaudit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("fleetaudit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `fleetaudit run | head`: the reader left; nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # our bug: say so plainly, no traceback unless asked
        if os.environ.get("FLEETAUDIT_DEBUG"):
            raise
        print(
            f"fleetaudit: internal error: {type(exc).__name__}: {exc} "
            "(set FLEETAUDIT_DEBUG=1 for the traceback and report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
