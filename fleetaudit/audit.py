"""The pipeline: collect (live) or load (offline) evidence -> parse -> check -> report.

Live and offline audits differ only in where the evidence comes from.
"""

from __future__ import annotations

import secrets
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from fleetaudit import __version__, platforms
from fleetaudit.checkkit import Check, CheckRun, load_checks
from fleetaudit.collect import collect
from fleetaudit.evidence import Evidence, HostCollection, command_slug
from fleetaudit.heap import release_freed_heap, share_arenas
from fleetaudit.hostkeys import DEFAULT_POLICY, HostKeyPolicy, HostKeySettings, settings_of_hosts
from fleetaudit.inventory import load_nornir, policy_of, resolve_credentials, select
from fleetaudit.judgement import judged
from fleetaudit.model import Finding, HostResult, Report
from fleetaudit.normalisers import sources_for
from fleetaudit.parse import parse_host
from fleetaudit.policy import VoipPolicy
from fleetaudit.sanitize import scrub_evidence
from fleetaudit.spool import EvidenceSpool, FactsSpool, SpooledCollections
from fleetaudit.templates import load_templates, templates_for

if TYPE_CHECKING:
    from nornir.core.inventory import Host


@dataclass(frozen=True)
class Options:
    template_dirs: tuple[Path, ...] = ()
    check_dirs: tuple[Path, ...] = ()
    only_checks: tuple[str, ...] = ()  # IDs; empty: all
    host_key_policy: HostKeyPolicy = DEFAULT_POLICY
    known_hosts: Path | None = None  # None: $FLEETAUDIT_HOME/known_hosts
    limit: tuple[str, ...] = ()  # --limit: host names, groups or roles; empty: all

    def checks(self) -> tuple[Check, ...]:
        every = load_checks(self.check_dirs)
        if not self.only_checks:
            return every
        wanted = {c.upper() for c in self.only_checks}
        return tuple(c for c in every if c.id in wanted)


def shared_policies(hosts: Mapping[str, Host]) -> dict[str, VoipPolicy]:
    """Each host's policy; hosts whose policy data read the same (a provider's and a
    site's groups) share one object, so a site of N hosts holds a few, not N."""
    seen: dict[str, VoipPolicy] = {}
    found = {}
    for name, host in hosts.items():
        key = repr((host.get("voip"), host.get("voip_targets")))
        if key not in seen:
            seen[key] = policy_of(host)
        found[name] = seen[key]
    return found


def new_run_id() -> str:
    """Time-ordered and unique among runs stored in the same second: 32 random bits (with
    16, six writers storing at once collided in CI; the odds grow with the square of the
    runs per second, e.g. Celery workers finishing sites together)."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


def assess(item: HostCollection, template_dirs: tuple[Path, ...]) -> HostResult:
    """One host's evidence parsed into its facts: what the checks need of it."""
    parsed = parse_host(item.platform, item.role, item.evidence, template_dirs)
    return HostResult(
        name=item.name,
        platform=item.platform,
        site=item.site,
        role=item.role,
        status=item.status,
        error=item.error,
        # kept to the end: one string per distinct command and status, not one per host
        commands={sys.intern(c): sys.intern(e.status) for c, e in item.evidence.items()},
        facts=parsed.facts,
        why_unknown=parsed.why_unknown,
    )


def analyse(
    collections: Iterable[HostCollection],
    policies: dict[str, VoipPolicy],
    options: Options,
    site: str | None,
    mode: str,
    started: float,
    spool: FactsSpool | None = None,
) -> Report:
    """Parse and check collected evidence: the offline half of every audit. Each host is
    checked as it is assessed (cross-device checks at the end, on what they declare they
    read); with ``spool``, its facts then go there, not to the end of the run in memory."""
    checks = CheckRun(options.checks(), policies)
    hosts = []
    for item in collections:
        host = assess(item, options.template_dirs)
        checks.add(host)
        if spool is not None:
            host.facts = spool.add(host)
        hosts.append(host)
    return conclude(hosts, checks.finish(), policies, site, mode, started)


def conclude(
    hosts: list[HostResult],
    findings: list[Finding],
    policies: dict[str, VoipPolicy],
    site: str | None,
    mode: str,
    started: float,
) -> Report:
    """The report of the assessed hosts and their findings."""
    return Report(
        run_id=new_run_id(),
        started=datetime.fromtimestamp(started, UTC).isoformat(timespec="seconds"),
        site=site,
        tool_version=__version__,
        hosts=hosts,
        findings=findings,
        duration_s=time.time() - started,
        mode="live" if mode == "live" else "offline",
        policies=sorted({policies.get(h.name, VoipPolicy()).describe() for h in hosts}),
    )


def audit_live(
    inventory: Path,
    site: str | None,
    workers: int | None,
    options: Options,
    on_start: Callable[[int], None] | None = None,
    on_host_done: Callable[[HostCollection], None] | None = None,
) -> tuple[Report, Sequence[HostCollection]]:
    """Collect and assess every host of the site. Each host's raw outputs go to a spool
    on disk as it completes and are parsed from there, one host at a time (memory flat
    in N); the collections returned read them back the same way."""
    started = time.time()
    load_templates(options.template_dirs)  # a broken template is a usage error, before SSH
    options.checks()
    spool = EvidenceSpool()
    share_arenas()
    kept, policies = _collect_site(inventory, site, workers, options, spool, on_start, on_host_done)
    release_freed_heap()  # the inventory and the collector's threads are gone: their heap too
    # parsed after collection, one host at a time from the spool: parsing during it, in
    # any thread, made the collector's threads contend for the GIL (more CPU, not less)
    collections = SpooledCollections(kept, spool)
    report = analyse(collections, policies, options, site, "live", started, FactsSpool())
    return report, collections


def _collect_site(
    inventory: Path,
    site: str | None,
    workers: int | None,
    options: Options,
    spool: EvidenceSpool,
    on_start: Callable[[int], None] | None,
    on_host_done: Callable[[HostCollection], None] | None,
) -> tuple[list[HostCollection], dict[str, VoipPolicy]]:
    """Every host's collection, its outputs in ``spool``, and the hosts' policies; the
    loaded inventory is not kept past it."""
    nornir = select(load_nornir(inventory, workers or 20), site, options.limit)
    if workers is None:
        nornir.runner.num_workers = min(20, max(1, len(nornir.inventory.hosts)))  # type: ignore[attr-defined]
    ssh_hosts = {
        name: host
        for name, host in nornir.inventory.hosts.items()
        if platforms.get(str(host.platform)).transport == "ssh"
    }
    default = HostKeySettings(options.host_key_policy, options.known_hosts)
    host_keys = settings_of_hosts(ssh_hosts, default, inventory)
    resolve_credentials(nornir)
    policies = shared_policies(nornir.inventory.hosts)
    if on_start is not None:
        on_start(len(nornir.inventory.hosts))
    kept = collect(nornir, options.template_dirs, on_host_done, host_keys, spool.add)
    return kept, policies


CONFIG_COMMANDS = {p.name: p.config_command for p in platforms.registry().values()}


def saved_commands(
    platform: str, role: str | None, template_dirs: tuple[Path, ...]
) -> dict[str, str]:
    """``{command_slug: command}`` for every output a saved device folder may hold: the
    templates' commands, the config command, template-less sources (phone API answers)."""
    by_slug = {t.slug: t.command for t in templates_for(platform, role, template_dirs)}
    by_slug.setdefault(command_slug(CONFIG_COMMANDS[platform]), CONFIG_COMMANDS[platform])
    for src in sources_for(platform, role):
        by_slug.setdefault(command_slug(src.command), src.command)
    return by_slug


def saved_evidence(host: str, platform: str, command: str, raw: bytes) -> Evidence:
    """One saved output as evidence, judged as a live one is (refused, cut short, garbled).

    Bytes that are not UTF-8 become U+FFFD, which the judgement calls garbled."""
    text = raw.decode("utf-8", errors="replace")
    status, error = judged(text, platform, command)  # saved as live: refused, cut, garbled
    return scrub_evidence(Evidence(host, platform, command, status, text, error=error, judged=True))


def evidence_from_path(
    path: Path, platform: str, role: str | None, template_dirs: tuple[Path, ...]
) -> HostCollection:
    """Saved outputs as evidence: a file is the device's config (or export); a directory
    holds one device's outputs as ``<command_slug>.txt`` (or the platform's saved names)."""
    found = HostCollection(path.stem if path.is_file() else path.name, platform, None, role)
    found.status = "offline"

    def load(command: str, file: Path) -> None:
        found.evidence[command] = saved_evidence(found.name, platform, command, file.read_bytes())

    if path.is_file():
        load(CONFIG_COMMANDS[platform], path)
        return found
    for command, file in saved_files(path, platform, role, template_dirs).items():
        load(command, file)
    return found


def saved_files(
    folder: Path, platform: str, role: str | None, template_dirs: tuple[Path, ...]
) -> dict[str, Path]:
    """``{command: file}`` of a saved device folder: ``<command_slug>.txt`` files, then the
    names the platform declares (``Platform.saved_names``) for commands no slug file gave."""
    by_slug = saved_commands(platform, role, template_dirs)
    found = {by_slug[f.stem]: f for f in sorted(folder.glob("*.txt")) if f.stem in by_slug}
    aliases = platforms.get(platform).saved_names
    for file in sorted(folder.iterdir()) if aliases else ():
        command = aliases.get(file.name)
        if command is not None and command not in found and file.is_file():
            found[command] = file
    return found


def audit_offline(
    paths: list[Path],
    platform: str,
    role: str | None,
    policy: VoipPolicy,
    options: Options,
) -> Report:
    started = time.time()
    collections = [evidence_from_path(p, platform, role, options.template_dirs) for p in paths]
    policies = {c.name: policy for c in collections}
    return analyse(collections, policies, options, None, "offline", started)
