"""Damage every fixture output and compare the checks' answers with the undamaged ones.

Shared by ``tests/test_mutation.py`` (hypothesis draws the damage) and by
``python tests/mutation_harness.py N`` (N random damages, counted by kind: the figures in
the report). A *case* is one fixture: a folder of ``tests/checks/<ID>/<kind>-<name>/`` (with
its peers) or one lab site of ``inventory/`` (every device of the site, so cross-device
checks run too). Damage hits one output of one device; the evidence goes through the same
loading as ``fleetaudit scan`` (bytes decoded with ``errors="replace"``, scrubbed, judged)
and then the real parse and check stages.
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import yaml

from fleetaudit.audit import evidence_from_path, saved_evidence
from fleetaudit.checkkit import load_checks, run_checks
from fleetaudit.evidence import HostCollection
from fleetaudit.inventory import load_nornir, policy_of, site_of
from fleetaudit.model import HostResult
from fleetaudit.parse import ParsedHost, parse_host
from fleetaudit.paths import builtin_dir
from fleetaudit.policy import VoipPolicy, load_policy

TESTS = Path(__file__).parent
GARBAGE = (b"\x00", b"\xff", b"\xc3", b"\x80", b"\x01", b"\x07", b"\x08", b"\x1b", b"\x7f")
KINDS = ("cut_mid_line", "cut_at_line", "drop_line", "duplicate_line", "garbage")
CUTS = ("cut_mid_line", "cut_at_line")


@dataclass(frozen=True)
class Output:
    device: int  # index in Case.devices
    command: str
    raw: bytes


@dataclass(frozen=True)
class Device:
    collection: HostCollection
    policy: VoipPolicy


@dataclass(frozen=True, eq=False)  # cached by identity
class Case:
    name: str
    devices: tuple[Device, ...]
    outputs: tuple[Output, ...]
    site: str | None


def _files(collection: HostCollection, folder: Path) -> list[tuple[str, Path]]:
    from fleetaudit.evidence import command_slug

    by_slug = {command_slug(c): c for c in collection.evidence}
    return [(by_slug[f.stem], f) for f in sorted(folder.glob("*.txt")) if f.stem in by_slug]


def _case(
    name: str, folders: list[tuple[Path, str, str | None, VoipPolicy]], site: str | None
) -> Case:
    devices, outputs = [], []
    for index, (folder, platform, role, policy) in enumerate(folders):
        collection = evidence_from_path(folder, platform, role, ())
        collection.site = site
        devices.append(Device(collection, policy))
        for command, path in _files(collection, folder):
            outputs.append(Output(index, command, path.read_bytes()))
    return Case(name, tuple(devices), tuple(outputs), site)


def check_fixture_cases() -> list[Case]:
    cases = []
    for meta_file in sorted((TESTS / "checks").glob("*/*/host.yaml")):
        meta = yaml.safe_load(meta_file.read_text())
        policy = load_policy(meta.get("voip"), str(meta_file))
        folders = [(meta_file.parent, meta["platform"], meta.get("role"), policy)]
        for peer in meta.get("peers") or ():
            peer_meta = yaml.safe_load((meta_file.parent / peer / "host.yaml").read_text())
            folders.append(
                (meta_file.parent / peer, peer_meta["platform"], peer_meta.get("role"), policy)
            )
        name = f"{meta_file.parent.parent.name}/{meta_file.parent.name}"
        cases.append(_case(name, folders, "fixture" if len(folders) > 1 else None))
    return cases


def lab_cases() -> list[Case]:
    inventory = builtin_dir("inventory")
    nornir = load_nornir(inventory, 1)
    sites: dict[str, list[tuple[Path, str, str | None, VoipPolicy]]] = {}
    for name, host in nornir.inventory.hosts.items():
        folder = inventory / "lab" / name
        if folder.is_dir():
            site = site_of(host) or "none"
            sites.setdefault(site, []).append(
                (folder, str(host.platform), host.get("role"), policy_of(host))
            )
    return [_case(f"lab/{site}", folders, site) for site, folders in sorted(sites.items())]


@cache
def all_cases() -> tuple[Case, ...]:
    return tuple(check_fixture_cases() + lab_cases())


# --------------------------------------------------------------------------------------
# damage
# --------------------------------------------------------------------------------------


def damage(raw: bytes, kind: str, where: float, junk: int = 0) -> bytes:
    """``raw`` damaged in one way of ``KINDS``, at the point ``where`` (0 to 1) of it;
    ``junk`` picks the garbage byte."""
    lines = raw.splitlines(keepends=True)
    if kind == "cut_mid_line":
        return raw[: int(where * len(raw))]
    if kind == "cut_at_line":
        cut = b"".join(lines[: int(where * len(lines))])
        return cut.rstrip(b"\r\n") if junk % 2 else cut
    if kind == "drop_line" and lines:
        del lines[int(where * len(lines))]
        return b"".join(lines)
    if kind == "duplicate_line" and lines:
        index = int(where * len(lines))
        lines.insert(index, lines[index])
        return b"".join(lines)
    if kind == "garbage":
        position = int(where * (len(raw) + 1))
        return raw[:position] + GARBAGE[junk % len(GARBAGE)] + raw[position:]
    return raw


# --------------------------------------------------------------------------------------
# parse + check
# --------------------------------------------------------------------------------------

Verdicts = dict[tuple[str, str], str]  # (host, check) -> pass | fail | unknown | ...


def _parsed(device: Device) -> ParsedHost:
    c = device.collection
    return parse_host(c.platform, c.role, c.evidence, ())


def _host_result(device: Device, parsed: ParsedHost) -> HostResult:
    c = device.collection
    return HostResult(
        name=c.name,
        platform=c.platform,
        site=c.site,
        role=c.role,
        status=c.status,
        error=c.error,
        commands={k: e.status for k, e in c.evidence.items()},
        facts=parsed.facts,
        why_unknown=parsed.why_unknown,
    )


@cache
def _whole_parse(case: Case) -> tuple[ParsedHost, ...]:
    return tuple(_parsed(d) for d in case.devices)


def verdicts(case: Case, output: Output | None = None, raw: bytes | None = None) -> Verdicts:
    """Each check's answer per host, with ``output`` replaced by ``raw`` when given.
    Only the damaged device is parsed again; the others' facts are the whole input's."""
    devices, parsed = list(case.devices), list(_whole_parse(case))
    if output is not None and raw is not None:
        device = devices[output.device]
        collection = device.collection
        evidence = dict(collection.evidence)
        evidence[output.command] = saved_evidence(
            collection.name, collection.platform, output.command, raw
        )
        devices[output.device] = replace(device, collection=replace(collection, evidence=evidence))
        parsed[output.device] = _parsed(devices[output.device])
    hosts = [_host_result(d, p) for d, p in zip(devices, parsed, strict=True)]
    findings = run_checks(hosts, {d.collection.name: d.policy for d in devices}, load_checks())
    by_check: dict[tuple[str, str], set[str]] = {}
    for finding in findings:
        by_check.setdefault((finding.host, finding.check), set()).add(finding.status)
    return {key: _overall(statuses) for key, statuses in by_check.items()}


def _overall(statuses: set[str]) -> str:
    for status in ("error", "fail", "unknown"):
        if status in statuses:
            return status
    return "pass"


@cache
def whole_verdicts(case: Case) -> Verdicts:
    return verdicts(case)


def silent_passes(case: Case, output: Output, raw: bytes) -> list[str]:
    """Checks that fail on the whole input and pass on ``raw``: ``host/check`` names."""
    whole = whole_verdicts(case)
    damaged = verdicts(case, output, raw)
    return [
        f"{host}/{check}"
        for (host, check), status in whole.items()
        if status == "fail" and damaged.get((host, check)) == "pass"
    ]


@cache
def framed(case: Case, output: Output) -> bool:
    """Whether the output's format closes itself: without its last line it reads as cut
    short (a configuration without ``end``, JSON without its ``}``, an export ending
    before its trailing menus). A table or a settings file without a closing line is not."""
    lines = output.raw.decode("utf-8", errors="replace").rstrip().splitlines()
    evidence = saved_evidence(
        "x", _platform(case, output), output.command, "\n".join(lines[:-1]).encode()
    )
    return evidence.status != "ok"


def _platform(case: Case, output: Output) -> str:
    return case.devices[output.device].collection.platform


def well_formed(case: Case, output: Output, kind: str, raw: bytes) -> bool:
    """Damage no reading of the text can see: the damaged answer is judged whole and is
    a well-formed answer of another device state. That is a line dropped from anywhere,
    or a cut of a format that does not close itself (between two rows of a table)."""
    evidence = saved_evidence("x", _platform(case, output), output.command, raw)
    if evidence.status != "ok":
        return False
    return kind == "drop_line" or (kind in CUTS and not framed(case, output))


def judge(case: Case, output: Output, kind: str, raw: bytes) -> tuple[list[str], bool]:
    """(silent passes, whether the damage is of the kind no text can show)."""
    return silent_passes(case, output, raw), well_formed(case, output, kind, raw)


def main(count: int, seed: int = 8) -> None:
    """Draw ``count`` damages at random; print inputs, crashes and silent passes by kind."""
    rng = random.Random(seed)
    cases = [c for c in all_cases() if c.outputs]
    tally: Counter[str] = Counter()
    silent: Counter[str] = Counter()
    unseeable: Counter[str] = Counter()
    crashes: Counter[str] = Counter()
    examples: dict[str, str] = {}
    started = time.monotonic()
    for _ in range(count):
        case = rng.choice(cases)
        output = rng.choice(case.outputs)
        kind = rng.choice(KINDS)
        raw = damage(output.raw, kind, rng.random(), rng.randrange(len(GARBAGE) * 2))
        tally[kind] += 1
        try:
            found, excused = judge(case, output, kind, raw)
        except Exception as exc:  # counted, not raised: the figure is the point here
            crashes[kind] += 1
            examples.setdefault(f"crash {kind}", f"{case.name} {output.command}: {exc!r}")
            continue
        if found and excused:
            unseeable[kind] += 1
        elif found:
            silent[kind] += 1
            examples.setdefault(f"{kind} {found[0]}", f"{case.name} `{output.command}`")
    elapsed = time.monotonic() - started
    print(f"inputs {count} in {elapsed:.1f} s ({1000 * elapsed / max(count, 1):.1f} ms each)")
    for kind in KINDS:
        print(
            f"  {kind:15} inputs {tally[kind]:6}  crashes {crashes[kind]:4}  "
            f"silent passes {silent[kind]:4}  (well-formed damage passing {unseeable[kind]:4})"
        )
    print(
        f"  total: silent passes {sum(silent.values())}, crashes {sum(crashes.values())}; "
        f"passes on well-formed damage no text can show: {sum(unseeable.values())}"
    )
    for key, where in sorted(examples.items()):
        print(f"    {key}: {where}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
