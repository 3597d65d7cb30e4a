"""Command line: ``fleetaudit run | scan | lab serve | checks list | checks explain``.

Exit codes: 0 no failing finding at or above ``--fail-on``; 1 there is one; 2 usage,
inventory or config error (the message says how to fix it). No traceback reaches a user.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import yaml

from fleetaudit import __version__
from fleetaudit.audit import CONFIG_COMMANDS, Options, audit_live, audit_offline
from fleetaudit.errors import UsageError
from fleetaudit.model import SEVERITIES, Report
from fleetaudit.paths import default_inventory, home
from fleetaudit.policy import load_policy

FORMATS = ("table", "json")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table", help="report format")
    parser.add_argument("--output", type=Path, help="write the report to FILE instead of stdout")
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        default="high",
        help="exit 1 when a failing finding is at or above this severity (default high)",
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
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress, report only")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fleetaudit", description="Audit the network a VoIP service runs over."
    )
    parser.add_argument("--version", action="version", version=f"fleetaudit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="audit a site live over SSH")
    where = run.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--site", help="the site to audit (inventory data `site` or group site_<name>)"
    )
    where.add_argument("--all", action="store_true", help="every site in the inventory")
    run.add_argument("--inventory", type=Path, help="Nornir inventory folder (default ./inventory)")
    run.add_argument("--workers", type=int, help="parallel SSH sessions (default: hosts, max 20)")
    run.add_argument("--no-store", action="store_true", help="do not keep the run's evidence")
    _common(run)

    scan = sub.add_parser("scan", help="audit saved configs or command outputs offline")
    scan.add_argument("paths", nargs="+", type=Path, help="config files or per-device folders")
    scan.add_argument("--platform", required=True, choices=sorted(CONFIG_COMMANDS))
    scan.add_argument("--role", choices=("gateway", "router", "firewall", "switch"))
    scan.add_argument("--policy", type=Path, help="YAML file holding a `voip:` provider profile")
    _common(scan)

    lab = sub.add_parser("lab", help="the simulated network").add_subparsers(
        dest="lab_command", required=True
    )
    serve = lab.add_parser("serve", help="serve the demo sites over SSH until Ctrl-C")
    serve.add_argument("--site", help="only this site (default: every demo site)")
    serve.add_argument("--devices", type=int, default=0, help="also serve N clones of office1")
    serve.add_argument("--inventory", type=Path, help="inventory folder (default: the demo)")

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
    return Options(tuple(args.templates_dir), tuple(args.checks_dir), tuple(args.check))


def _emit(report: Report, args: argparse.Namespace, note: str) -> int:
    if args.format == "json":
        text = json.dumps(report.to_json(), indent=2)
        if args.output:
            args.output.write_text(text + "\n", encoding="utf-8")
        else:
            print(text)
    else:
        from fleetaudit.report.console import make_console, render

        stream = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
        render(report, make_console(stream), note)
        if args.output:
            stream.close()
    return 1 if report.failing(args.fail_on) else 0


def cmd_run(args: argparse.Namespace) -> int:
    from fleetaudit.progress import Progress

    inventory = args.inventory or default_inventory()
    site = None if args.all else args.site
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be 1 or more")
    progress = Progress(enabled=not args.quiet and sys.stderr.isatty())
    with progress:
        report, collections = audit_live(
            inventory, site, args.workers, _options(args), progress.start, progress.host_done
        )
    if not args.no_store:
        from fleetaudit.store import save_run

        save_run(home(), report, collections)
    return _emit(report, args, f"inventory {inventory}")


def cmd_scan(args: argparse.Namespace) -> int:
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    data: Any = {}
    if args.policy:
        try:
            data = yaml.safe_load(args.policy.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise UsageError(f"{args.policy}: cannot read the policy ({exc})") from None
    policy = load_policy(data.get("voip") if isinstance(data, dict) else None, str(args.policy))
    report = audit_offline(list(args.paths), args.platform, args.role, policy, _options(args))
    return _emit(report, args, policy.describe())


def cmd_lab(args: argparse.Namespace) -> int:
    from fleetaudit.lab import serve_forever

    if args.devices < 0:
        raise UsageError("--devices must be 0 or more")
    inventory = args.inventory or default_inventory()
    serve_forever(inventory, args.site, args.devices, lambda line: print(line, flush=True))
    return 0


def cmd_checks(args: argparse.Namespace) -> int:
    from fleetaudit.report.checks import explain, listing
    from fleetaudit.report.console import make_console

    console = make_console(sys.stdout)
    if args.checks_command == "list":
        listing(console, tuple(args.checks_dir))
    else:
        explain(console, args.id, tuple(args.checks_dir))
    return 0


COMMANDS = {"run": cmd_run, "scan": cmd_scan, "lab": cmd_lab, "checks": cmd_checks}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # a bad flag exits 2 with argparse's usage line
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"fleetaudit: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("fleetaudit: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # our bug: say so plainly, no traceback unless asked
        if os.environ.get("FLEETAUDIT_DEBUG"):
            raise
        print(
            f"fleetaudit: internal error: {type(exc).__name__}: {exc} "
            "(set FLEETAUDIT_DEBUG=1 for the traceback and report it)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
