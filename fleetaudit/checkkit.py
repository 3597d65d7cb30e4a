"""What a check module is made of, and how the runner applies checks to facts.

A check module (one per check, in ``checks/``) defines ``CHECK = Check(...)``: its
metadata, its documentation (module docstring: what / why / fix), the exact fix commands
per platform, and ``run``, a pure function from one host's facts and the site policy to
results. The runner turns missing facts and unreachable hosts into ``unknown`` findings
itself, so ``run`` only ever sees the facts it declared as known.

The runner (:class:`CheckRun`) takes hosts one at a time, as they are assessed: a check
that reads only its own host runs at once; a cross-device check (one that declares
``peer_facts``) runs once every host is in, on the facts it declared, which are all that
is kept of the hosts for it (a site's facts are not held to the end of a run).
"""

from __future__ import annotations

import importlib.util
import pickle
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, overload

from fleetaudit import platforms
from fleetaudit.errors import UsageError
from fleetaudit.facts import Ref, require
from fleetaudit.model import Finding, FindingStatus, HostResult, Severity, role_applies
from fleetaudit.paths import builtin_dir
from fleetaudit.policy import VoipPolicy

ID_PATTERN = re.compile(r"^[A-Z]{2,5}\d{3}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")


@dataclass(frozen=True)
class Host:
    """The view of one host a check gets."""

    name: str
    platform: str
    role: str | None
    site: str | None
    facts: Mapping[str, Any]
    peers: Sequence[Host] = ()  # the other hosts of its site, for cross-device checks

    def __getitem__(self, fact: str) -> Any:
        return self.facts[fact]


@dataclass(frozen=True)
class Result:
    status: FindingStatus
    subject: str
    message: str
    evidence: tuple[Ref, ...] = ()
    remediation: str = ""
    severity: Severity | None = None  # overrides the check's default
    cause: str = ""  # shared by the findings of one root cause (the device to change)
    extent: tuple[str, ...] = ()  # what it covers, to tell "worse" (fleetaudit/extent.py)


def fail(
    subject: str,
    message: str,
    evidence: Iterable[Ref | None] = (),
    remediation: str = "",
    severity: Severity | None = None,
    cause: str = "",
    extent: Iterable[str] = (),
) -> Result:
    refs = tuple(dict.fromkeys(r for r in evidence if r is not None))  # unique, in order
    return Result("fail", subject, message, refs, remediation, severity, cause, tuple(extent))


def passed(subject: str, message: str, evidence: Iterable[Ref | None] = ()) -> Result:
    return Result("pass", subject, message, tuple(r for r in evidence if r is not None))


def unknown(subject: str, message: str) -> Result:
    return Result("unknown", subject, message)


def unread(host: Host, *facts: str) -> Iterator[Result]:
    """``unknown`` for each of ``facts`` the host's platform reads but could not read this
    time (present and None): a check that reads several sources must not pass on the rest."""
    for fact in facts:
        if fact in host.facts and host.facts[fact] is None:
            yield unknown(fact, f"not assessed: `{fact}` could not be read")


Run = Callable[[Host, VoipPolicy], Iterable[Result]]


@dataclass(frozen=True)
class Check:
    id: str
    slug: str
    title: str
    severity: Severity
    #: the facts it needs, by their registered names (``fleetaudit.facts.INTERFACES``, ...);
    #: any unknown -> the check is unknown for the host
    facts: tuple[str, ...]
    platforms: tuple[str, ...]
    run: Run
    why: str  # one sentence: why it breaks calls (shown with every finding)
    #: platform -> exact commands (may hold {placeholders}); what `checks explain` shows.
    #: Fixes a firewall planner writes: ``fleetaudit.rules.examples.PlannedFixes``.
    fix: Mapping[str, str]
    doc: str = ""  # the module docstring: what / why / fix
    roles: tuple[str, ...] = ()  # empty: every role
    tags: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    path: Path | None = field(default=None, compare=False)
    #: a cross-device check: the facts it reads of the other hosts of its site
    #: (``host.peers``). Such a check runs once every host is assessed, on what it
    #: declares only: ``facts`` and ``reads`` of its host, ``peer_facts`` of its peers
    #: (a name ending in ``:`` stands for a family, ``conf:``); reading any other fact
    #: raises :class:`UndeclaredFact`. Empty: the check reads no peer.
    peer_facts: tuple[str, ...] = ()
    #: a cross-device check's other facts of its own host. Not looked up here: a platform
    #: declares its own facts when its parsers load (a family of config files); a misspelt
    #: name fails all the same, as the real one is then refused when read.
    reads: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # a fact name nobody declared fails where the check is defined
        require(*self.facts, *self.peer_facts)
        if self.reads and not self.peer_facts:
            raise ValueError(f"{self.id}: `reads` is for checks that read peers (peer_facts)")

    def applies_to(self, host: HostResult) -> bool:
        if host.platform not in self.platforms and self.id not in _joined(host.platform):
            return False
        return role_applies(self.roles, host.role)


def _joined(platform: str) -> Mapping[str, str]:
    """The checks a platform declares it joins (check ID -> fix commands)."""
    found = platforms.registry().get(platform)
    return found.check_fixes if found is not None else {}


def check_dirs(extra: tuple[Path, ...] = ()) -> tuple[Path, ...]:
    return (builtin_dir("checks"), *extra)


def _load_module(path: Path) -> Check:
    name = f"fleetaudit_check_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise UsageError(f"{path}: cannot be imported as a check module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise UsageError(f"{path}: fails to import ({type(exc).__name__}: {exc}); fix it") from exc
    check = getattr(module, "CHECK", None)
    if not isinstance(check, Check):
        raise UsageError(f"{path}: defines no CHECK = Check(...); every check module needs one")
    if not ID_PATTERN.match(check.id) or not SLUG_PATTERN.match(check.slug):
        raise UsageError(
            f"{path}: ID {check.id!r} / slug {check.slug!r} must look like ALG001 / sip-alg-enabled"
        )
    return Check(**{**check.__dict__, "path": path, "doc": check.doc or (module.__doc__ or "")})


@cache
def load_checks(extra: tuple[Path, ...] = ()) -> tuple[Check, ...]:
    """Every check, sorted by ID; a duplicate ID is an error naming both files."""
    checks: dict[str, Check] = {}
    for directory in check_dirs(extra):
        if not directory.is_dir():
            raise UsageError(f"checks directory {directory} does not exist; fix the path")
        for path in sorted(directory.glob("*.py")):
            if path.name.startswith("_"):
                continue
            check = _load_module(path)
            if check.id in checks:
                raise UsageError(
                    f"{path}: check ID {check.id} is already used by {checks[check.id].path}"
                )
            checks[check.id] = check
    return tuple(sorted(checks.values(), key=lambda c: c.id))


TRACE_CHECKS = "trace"  # checks/trace/: checks over a packet capture (`fleetaudit sip-trace`)


@cache
def load_trace_checks() -> tuple[Check, ...]:
    """The checks ``fleetaudit sip-trace`` runs over a capture (platform ``capture``,
    fact ``sip_trace``); audits of devices never load them."""
    directory = builtin_dir("checks") / TRACE_CHECKS
    found = [_load_module(p) for p in sorted(directory.glob("*.py")) if not p.name.startswith("_")]
    return tuple(sorted(found, key=lambda c: c.id))


def documented_checks(extra: tuple[Path, ...] = ()) -> tuple[Check, ...]:
    """What `checks list` / `checks explain` show: device checks, then trace checks."""
    return load_checks(extra) + load_trace_checks()


def find_check(check_id: str, extra: tuple[Path, ...] = ()) -> Check:
    for check in documented_checks(extra):
        if check_id.upper() in (check.id, check.slug.upper()):
            return check
    raise UsageError(f"no check {check_id!r}; `fleetaudit checks list` shows them")


def _finding(check: Check, host: HostResult, result: Result, shared: dict[Any, Any]) -> Finding:
    """``shared``: the run's texts and references so far, so that equal ones are held once."""

    def one(value: Any) -> Any:
        return shared.setdefault(value, value)

    failed = result.status == "fail"
    return Finding(
        check=check.id,
        slug=check.slug,
        severity=result.severity or check.severity,
        status=result.status,
        host=host.name,
        subject=one(result.subject),
        message=one(result.message),
        evidence=[one(ref) for ref in result.evidence],
        remediation=one(result.remediation or _joined(host.platform).get(check.id, ""))
        if failed
        else "",
        why=check.why,
        # one check on one host is one cause unless the check names a wider one
        cause=(result.cause or f"{check.id} on {host.name}") if failed else "",
        extent=one(result.extent) if failed else (),
    )


def run_checks(
    hosts: Iterable[HostResult], policies: Mapping[str, VoipPolicy], checks: Iterable[Check]
) -> list[Finding]:
    """Apply every check to every host it applies to. Never raises for a check's bug:
    that becomes an ``error`` finding."""
    run = CheckRun(checks, policies)
    for host in hosts:
        run.add(host)
    return run.finish()


ASSESSED = ("ok", "partial", "offline")


class UndeclaredFact(Exception):
    """A cross-device check read a fact it does not declare (a bug in the check)."""


class CheckRun:
    """The checks of one run, applied as hosts are assessed: :meth:`add` runs the checks
    that read only their own host, and keeps of the host what the cross-device checks
    declare (``peer_facts``, ``reads``); :meth:`finish` runs those, and returns every
    finding in the order of the checks, then of the hosts (as if run check by check)."""

    def __init__(self, checks: Iterable[Check], policies: Mapping[str, VoipPolicy]) -> None:
        self._checks = tuple(checks)
        self._policies = policies
        self._found: list[list[Finding]] = [[] for _ in self._checks]
        self._local = [
            (n, c, _NoPeers(c.id)) for n, c in enumerate(self._checks) if not c.peer_facts
        ]
        self._cross = [(n, c) for n, c in enumerate(self._checks) if c.peer_facts]
        self._peer_names = frozenset(f for _, c in self._cross for f in c.peer_facts)
        self._kept: list[HostResult] = []  # each host with the facts cross checks read
        self._shared: dict[Any, Any] = {}  # equal texts of findings, held once

    def add(self, host: HostResult) -> None:
        policy = self._policies.get(host.name, _NO_POLICY)
        for n, check, peers in self._local:
            if check.applies_to(host):
                view = Host(host.name, host.platform, host.role, host.site, host.facts, peers)
                self._found[n].extend(
                    _finding(check, host, r, self._shared)
                    for r in _run_one(check, host, view, policy)
                )
        if self._cross:
            self._kept.append(self._keep(host))

    def _keep(self, host: HostResult) -> HostResult:
        wanted = set(self._peer_names) if host.status in ASSESSED else set()
        for _, check in self._cross:
            if check.applies_to(host):
                wanted.update(check.facts, check.reads)
        facts = {k: _packed(v) for k, v in host.facts.items() if _named(k, wanted)}
        why = {k: v for k, v in host.why_unknown.items() if _named(k, wanted)}
        return HostResult(
            host.name, host.platform, host.site, host.role, host.status, host.error, {}, facts, why
        )

    def finish(self) -> list[Finding]:
        hosts, self._kept = self._kept, []
        by_site: dict[str | None, list[int]] = {}
        place: dict[int, int] = {}  # a host's index among its site's assessed hosts
        for n, h in enumerate(hosts):
            if h.status in ASSESSED:
                place[n] = len(by_site.setdefault(h.site, []))
                by_site[h.site].append(n)
        for n, check in self._cross:
            peers = {
                site: tuple(
                    _view(hosts[i], check.peer_facts, f"{check.id}, of peer") for i in members
                )
                for site, members in by_site.items()
            }
            own = (*check.facts, *check.reads)
            for index, host in enumerate(hosts):
                if not check.applies_to(host):
                    continue
                skip = place.get(index, -1)
                view = _view(host, own, f"{check.id} on", _Peers(peers.get(host.site, ()), skip))
                policy = self._policies.get(host.name, _NO_POLICY)
                self._found[n].extend(
                    _finding(check, host, r, self._shared)
                    for r in _run_one(check, host, view, policy)
                )
        found, self._found = self._found, [[] for _ in self._checks]
        self._shared = {}
        return [finding for of_check in found for finding in of_check]


_NO_POLICY = VoipPolicy()


class _Packed(bytes):
    """A fact kept for the cross-device checks, pickled and compressed: a site's facts
    held to the end of a run would grow with it; each check's pass reads back the ones
    it declares."""


def _packed(value: Any) -> Any:
    if value is None:
        return None  # unknown stays visible as such (the runner's missing facts)
    return _Packed(zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1))


def _unpacked(value: Any) -> Any:
    if isinstance(value, _Packed):
        return pickle.loads(zlib.decompress(value))  # noqa: S301 - packed by this run
    return value


def _named(fact: str, names: Iterable[str]) -> bool:
    """Whether ``fact`` is one of ``names`` (a name ending in ``:``: a family)."""
    return any(fact == n or (n.endswith(":") and fact.startswith(n)) for n in names)


def _view(
    host: HostResult, declared: tuple[str, ...], who: str, peers: Sequence[Host] = ()
) -> Host:
    facts = _DeclaredFacts(host.facts, declared, f"{who} {host.name}")
    return Host(host.name, host.platform, host.role, host.site, facts, peers)


class _DeclaredFacts(Mapping[str, Any]):
    """A host's facts as a cross-device check may read them, each read back when first
    asked for: a name it did not declare raises :class:`UndeclaredFact` (``in``, ``get``
    and ``[]`` alike), so what a check declares stays what it reads."""

    __slots__ = ("_declared", "_families", "_packed", "_read", "_who")

    def __init__(self, facts: Mapping[str, Any], declared: tuple[str, ...], who: str) -> None:
        self._declared = frozenset(declared)
        self._families = tuple(n for n in declared if n.endswith(":"))
        self._packed = {k: v for k, v in facts.items() if self._allows(k)}
        self._read: dict[str, Any] = {}
        self._who = who

    def _allows(self, fact: object) -> bool:
        return fact in self._declared or (
            isinstance(fact, str) and any(fact.startswith(f) for f in self._families)
        )

    def _refuse(self, fact: object) -> UndeclaredFact:
        return UndeclaredFact(
            f"{self._who}: reads fact {fact!r}, which the check does not declare "
            f"(declared: {', '.join(sorted(self._declared)) or 'none'}); add it to the "
            "check's facts, reads or peer_facts"
        )

    def __getitem__(self, fact: str) -> Any:
        if not self._allows(fact):
            raise self._refuse(fact)
        try:
            return self._read[fact]
        except KeyError:
            value = self._read[fact] = _unpacked(self._packed[fact])
            return value

    def get(self, fact: str, default: Any = None) -> Any:
        if fact in self._packed:
            return self[fact]
        if not self._allows(fact):
            raise self._refuse(fact)
        return default

    def __contains__(self, fact: object) -> bool:
        if not self._allows(fact):
            raise self._refuse(fact)
        return fact in self._packed

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


class _Peers(Sequence[Host]):
    """The assessed hosts of a site but one: the site's tuple shared by all its hosts
    (a tuple per host would grow with the square of the site's size)."""

    def __init__(self, site: tuple[Host, ...], skip: int) -> None:
        self._site, self._skip = site, skip  # skip: the host's own index, -1: none

    def __len__(self) -> int:
        return len(self._site) - (self._skip >= 0)

    @overload
    def __getitem__(self, index: int) -> Host: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Host]: ...

    def __getitem__(self, index: int | slice) -> Host | Sequence[Host]:
        if isinstance(index, slice):
            return tuple(self)[index]
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        index %= len(self)
        return self._site[index + (0 <= self._skip <= index)]

    def __iter__(self) -> Iterator[Host]:
        for n, peer in enumerate(self._site):
            if n != self._skip:
                yield peer


class _NoPeers(Sequence[Host]):
    """The peers of a check that declares no ``peer_facts``: reading them is a bug."""

    def __init__(self, check: str) -> None:
        self._check = check

    def _refuse(self) -> UndeclaredFact:
        return UndeclaredFact(
            f"{self._check}: reads host.peers but declares no peer_facts; declare the "
            "facts it reads of its peers"
        )

    def __len__(self) -> int:
        raise self._refuse()

    @overload
    def __getitem__(self, index: int) -> Host: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Host]: ...

    def __getitem__(self, index: int | slice) -> Host | Sequence[Host]:
        raise self._refuse()

    def __iter__(self) -> Iterator[Host]:
        raise self._refuse()


def _run_one(check: Check, host: HostResult, view: Host, policy: VoipPolicy) -> Iterable[Result]:
    if host.status not in ASSESSED:
        return [unknown("device", f"not assessed: {host.status} ({host.error or 'no detail'})")]
    missing = [name for name in check.facts if host.facts.get(name) is None]
    if missing:
        reasons = dict.fromkeys(
            host.why_unknown.get(name, f"no template yields `{name}` here") for name in missing
        )
        return [unknown(missing[0], f"not assessed: {'; '.join(reasons)}")]
    try:
        results = list(check.run(view, policy))
    except UndeclaredFact:
        raise  # the check's declaration is wrong: fix it, never a finding
    except Exception as exc:  # a bug in one check must not hide the others' findings
        return [Result("error", "check", f"check crashed: {type(exc).__name__}: {exc}")]
    return results or [passed("device", "nothing to flag")]
