"""Benchmark (not a test): fleetaudit against the bare-SSH floor, bare TTP and Ansible.

In one run, interleaved per fleet size N on one lab (``fleetaudit lab serve --devices N
--inventory-out DIR``, its own process so its CPU is apart):

- the CLI (``fleetaudit run --site bench``, a fresh process: wall, CPU, peak RSS);
- the floor: the same read commands the CLI sends, over bare asyncssh exec channels,
  W devices at a time (a fresh process);
- Ansible network_cli with the same commands and forks, when ``ansible-playbook`` is
  installed (``pip install -e '.[bench]'``), else "not installed";

then the offline scan (parse + check) against bare TTP on the same texts (and against bare
TTP plus the secret scrubbing every saved output gets, which TTP does not do), and the latency
case (the lab answering each command ``--latency`` ms late) against the ideal N·c·L/W.
CPU seconds are the robust figure on a shared machine; wall time moves with the load.

    python bench/bench_compare.py [--sizes 100,500,1000] [--workers 50]
        [--ansible-sizes 100,500] [--latency-size 200] [--latency-workers 50,100]
        [--skip offline,latency] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PYTHON = sys.executable
LAB_PIDS: set[int] = set()  # the labs this process runs (not orphans to reap)
FLEETAUDIT = [PYTHON, "-m", "fleetaudit.cli"]


@dataclass
class Measure:
    wall_s: float
    cpu_s: float
    rss_mb: float
    ok: bool
    note: str = ""

    def cell(self) -> str:
        figures = f"{self.wall_s:.1f} s, {self.cpu_s:.1f} s CPU, {self.rss_mb:.0f} MB"
        return figures if self.ok else f"{figures}, FAILED ({self.note})"


def timed(argv: list[str], env: dict[str, str] | None = None, out: Path | None = None) -> Measure:
    """Run ``argv`` to its end; wall, CPU (user+system, its waited-for children included)
    and peak RSS of its largest process, from ``wait4``. ``out`` keeps its stdout."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err, open(out or os.devnull, "wb") as stdout:
        child = subprocess.Popen(argv, stdout=stdout, stderr=err, env=env)
        try:
            _, status, usage = os.wait4(child.pid, 0)
        except BaseException:
            child.kill()
            raise
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        err.seek(0)
        tail = err.read().decode(errors="replace").strip().splitlines()[-1:] or [""]
    cpu = usage.ru_utime + usage.ru_stime
    # fleetaudit run: 0 or 1 (findings) are both a finished audit
    ok = child.returncode in (0, 1)
    return Measure(wall, cpu, usage.ru_maxrss / 1024, ok, f"exit {child.returncode}: {tail[0]}")


@contextlib.contextmanager
def lab(devices: int, latency_ms: int = 0, log: Path | None = None) -> Iterator[Path]:
    """``fleetaudit lab serve`` with N office1 clones; yields the inventory it wrote."""
    with tempfile.TemporaryDirectory() as tmp:
        inventory = Path(tmp) / "inventory"
        argv = [*FLEETAUDIT, "lab", "serve", "--site", "bench", "--devices", str(devices)]
        argv += ["--inventory-out", str(inventory), "--ephemeral-ports"]
        argv += ["--latency", str(latency_ms)] if latency_ms else []
        argv += ["--log", str(log)] if log else []
        env = {**os.environ, "FLEETAUDIT_HOME": tmp}
        served = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env)
        LAB_PIDS.add(served.pid)
        try:
            assert served.stdout is not None
            for line in served.stdout:
                if line.startswith("ready"):
                    break
            else:
                raise SystemExit(f"the lab did not start: {' '.join(argv)}")
            yield inventory
        finally:
            served.terminate()
            served.wait(timeout=60)


def run_cli(inventory: Path, workers: int) -> Measure:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "FLEETAUDIT_HOME": home}
        argv = [*FLEETAUDIT, "run", "--site", "bench", "--inventory", str(inventory)]
        argv += ["--workers", str(workers), "--format", "json", "--quiet"]
        argv += ["--host-key-policy", "off"]
        return timed(argv, env)


# --- which commands the CLI sends (a pilot run on one clone of each device) -----------


def answered(source: str, commands: list[str]) -> list[str]:
    """The commands the lab answers for office1's ``source`` device (not refused as
    unknown), so a tool that stops at a device's error (Ansible) runs them all."""
    from fleetaudit.lab.fixtures import Fixtures
    from fleetaudit.paths import builtin_dir

    fixtures = Fixtures.load(builtin_dir("inventory") / "lab" / f"office1-{source}")
    builtins = ("show_privilege", "show_curpriv", "system_identity_print")
    return [c for c in commands if fixtures.expand(c, builtins) is not None]


def pilot() -> tuple[dict[str, list[str]], dict[str, int]]:
    """Per office1 device: the distinct read commands the CLI sent, and how many lines
    (set-up, dialogue and repeated commands included) it sent."""
    from fleetaudit import platforms
    from fleetaudit.lab.inventory import load_hosts
    from fleetaudit.paths import builtin_dir

    # the lab clones office1's SSH devices round robin: one clone of each
    sources = len({h.clone_of for h in load_hosts(builtin_dir("inventory"), "bench", 100)})
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "received.jsonl"
        with lab(sources, log=log) as inventory:  # one clone of each office1 device
            run_cli(inventory, sources)
        commands: dict[str, list[str]] = {}
        lines: dict[str, int] = {}
        for raw in log.read_text().splitlines():
            if not raw.strip():
                continue
            entry = json.loads(raw)
            source = entry["device"].split("-", 2)[2]  # bench-0001-gw1 -> gw1
            lines[source] = lines.get(source, 0) + 1
            line = entry["line"]
            read = platforms.get(entry["platform"]).read_only(line) is None
            if read and line not in commands.setdefault(source, []):
                commands[source].append(line)
    return commands, lines


# --- the floor: bare asyncssh, the same commands ---------------------------------------


def floor_main(inventory: Path, workers: int, commands_file: Path) -> None:
    """Runs in its own process: each bench device's commands over exec channels."""
    import asyncssh
    import yaml

    commands: dict[str, list[str]] = json.loads(commands_file.read_text())
    hosts: dict[str, Any] = yaml.safe_load((inventory / "hosts.yaml").read_text())
    groups: dict[str, Any] = yaml.safe_load((inventory / "groups.yaml").read_text())
    login = groups["lab"]
    gate = asyncio.Semaphore(workers)
    failed = 0

    async def one(name: str, spec: dict[str, Any]) -> None:
        nonlocal failed
        async with gate:
            try:
                async with asyncssh.connect(
                    spec["hostname"],
                    port=spec["port"],
                    username=login["username"],
                    password=login["password"],
                    known_hosts=None,
                ) as conn:
                    for command in commands[name.split("-", 2)[2]]:
                        await conn.run(command, check=False)
            except (OSError, asyncssh.Error):
                failed += 1

    async def every() -> None:
        await asyncio.gather(*(one(n, s) for n, s in hosts.items()))

    asyncio.run(every())
    sys.exit(1 if failed else 0)


def run_floor(inventory: Path, workers: int, commands_file: Path) -> Measure:
    argv = [PYTHON, __file__, "--floor", str(inventory), str(workers), str(commands_file)]
    return timed(argv)


# --- Ansible network_cli ---------------------------------------------------------------

ANSIBLE_OS = {
    "cisco_ios": ("cisco.ios.ios", "cisco.ios.ios_command"),
    "cisco_asa": ("cisco.asa.asa", "cisco.asa.asa_command"),
    "mikrotik_routeros": ("community.routeros.routeros", "community.routeros.command"),
}


def ansible_available() -> bool:
    return shutil.which("ansible-playbook", path=str(Path(PYTHON).parent)) is not None


def run_ansible(
    inventory: Path, workers: int, commands: dict[str, list[str]], work: Path
) -> Measure:
    import yaml

    hosts: dict[str, Any] = yaml.safe_load((inventory / "hosts.yaml").read_text())
    groups: dict[str, Any] = yaml.safe_load((inventory / "groups.yaml").read_text())
    login = groups["lab"]
    secret = ((login.get("connection_options") or {}).get("netmiko") or {}).get("extras", {})
    by_os: dict[str, dict[str, Any]] = {}
    for name, spec in hosts.items():
        if spec["platform"] not in ANSIBLE_OS:  # no network_cli platform (the Asterisk pbx)
            continue
        network_os, _ = ANSIBLE_OS[spec["platform"]]
        source = name.split("-", 2)[2]
        by_os.setdefault(spec["platform"], {"hosts": {}, "vars": {}})["hosts"][name] = {
            "ansible_host": spec["hostname"],
            "ansible_port": spec["port"],
            "bench_commands": answered(source, commands[source]),
            # IOS gateways and ASAs log in at user EXEC: `enable` as Ansible does it
            "ansible_become": spec["platform"] != "mikrotik_routeros",
        }
        by_os[spec["platform"]]["vars"]["ansible_network_os"] = network_os
        if spec["platform"] == "cisco_ios":
            # its default error patterns take `show sip-ua statistics` ("Server Error:")
            # for a failed command: only the device's own refusals count, as for us
            by_os["cisco_ios"]["vars"]["ansible_terminal_stderr_re"] = [
                {"pattern": "% ?Invalid input detected"},
                {"pattern": "% ?Incomplete command"},
            ]
    plays = []
    for platform, _group in by_os.items():
        module = ANSIBLE_OS[platform][1]
        plays.append(
            {
                "hosts": platform,
                "gather_facts": False,
                "tasks": [{module: {"commands": "{{ bench_commands }}"}}],
            }
        )
    inventory_yaml = {
        "all": {
            "vars": {
                "ansible_connection": "ansible.netcommon.network_cli",
                "ansible_user": login["username"],
                "ansible_password": login["password"],
                "ansible_become_method": "ansible.netcommon.enable",
                "ansible_become_password": secret.get("secret", ""),
                "ansible_host_key_checking": False,
            },
            "children": by_os,
        }
    }
    (work / "inventory.yaml").write_text(yaml.safe_dump(inventory_yaml))
    (work / "play.yaml").write_text(yaml.safe_dump(plays))
    env = {
        **os.environ,
        "ANSIBLE_HOST_KEY_CHECKING": "False",
        "ANSIBLE_PERSISTENT_CONNECT_TIMEOUT": "30",
        "ANSIBLE_LOCAL_TEMP": str(work / "tmp"),
        "ANSIBLE_HOME": str(work / "home"),
        "ANSIBLE_PYTHON_INTERPRETER": PYTHON,
    }
    argv = [str(Path(PYTHON).parent / "ansible-playbook"), "-i", str(work / "inventory.yaml")]
    argv += ["-f", str(workers), str(work / "play.yaml")]
    measure = timed(argv, env, work / "ansible.out")
    output = (work / "ansible.out").read_text(errors="replace")
    failed = [line for line in output.splitlines() if line.startswith(("fatal:", "failed:"))]
    measure.ok = measure.note.startswith("exit 0")
    if failed:  # timed anyway: say how many hosts failed, and the first reason
        measure.note = f"{len(failed)}/{len(hosts)} hosts failed: {failed[0][:160]}"
    cpu, rss = reap_orphans()
    measure.cpu_s += cpu
    measure.rss_mb = max(measure.rss_mb, rss)
    return measure


def become_subreaper() -> None:
    """Ansible's persistent connections (``ansible-connection``) detach with a double
    fork; as a subreaper this process inherits them, so their CPU is counted too."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _orphans() -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if parent == os.getpid():
                found.append(int(stat.parent.name))
    return found


def reap_orphans() -> tuple[float, float]:
    """CPU seconds and peak RSS (MB) of the inherited processes, once they all ended
    (each ends after Ansible's persistent-connection idle timeout)."""
    cpu = rss = 0.0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        pids = [p for p in _orphans() if p not in LAB_PIDS]
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ChildProcessError):
                done, _, usage = os.wait4(pid, os.WNOHANG)
                if done:
                    cpu += usage.ru_utime + usage.ru_stime
                    rss = max(rss, usage.ru_maxrss / 1024)
        time.sleep(0.5)
    return cpu, rss


# --- offline: parse + check against bare TTP -------------------------------------------

OFFLINE = {  # office1's devices: platform, role
    "office1-gw1": ("cisco_ios", "gateway"),
    "office1-sw1": ("cisco_ios", "switch"),
    "office1-fw1": ("cisco_asa", "firewall"),
    "office1-rtr1": ("mikrotik_routeros", "router"),
}


@dataclass
class Offline:
    """CPU ms per device: the offline scan, bare TTP on the same texts, and scrubbing them."""

    scan_ms: float
    ttp_ms: float
    scrub_ms: float  # the secret scrubber over the same texts, once each


def offline(rounds: int) -> Offline:
    """CPU ms per device: fleetaudit's offline audit, bare TTP on the same texts, and
    fleetaudit's secret scrubber on them (a floor too: a scan must not keep a secret, and
    bare TTP does not scrub)."""
    from ttp import ttp

    from fleetaudit.audit import Options, audit_offline
    from fleetaudit.paths import builtin_dir
    from fleetaudit.policy import load_policy
    from fleetaudit.sanitize import scrub
    from fleetaudit.templates import command_slug, templates_for

    root = builtin_dir("inventory") / "lab"
    policy = load_policy(None, "bench")
    options = Options()
    bare: list[tuple[str, str]] = []  # (template text, output)
    for name, (platform, role) in OFFLINE.items():
        for template in templates_for(platform, role):
            path = root / name / f"{command_slug(template.command)}.txt"
            if path.is_file():
                bare.append((template.text, path.read_text()))

    def scan_all() -> None:
        for name, (platform, role) in OFFLINE.items():
            audit_offline([root / name], platform, role, policy, options)

    parsers = [(ttp(template=text, log_level="CRITICAL"), output) for text, output in bare]

    def ttp_all() -> None:  # compiled once, as fleetaudit does
        for parser, output in parsers:
            parser.add_input(output)
            parser.parse()
            parser.result()
            parser.clear_input()
            parser.clear_result()

    scan_all()  # warm: templates compiled once per process, as in a real run
    started = time.process_time()
    for _ in range(rounds):
        scan_all()
    scan_ms = (time.process_time() - started) * 1000 / (rounds * len(OFFLINE))
    ttp_all()
    started = time.process_time()
    for _ in range(rounds):
        ttp_all()
    ttp_ms = (time.process_time() - started) * 1000 / (rounds * len(OFFLINE))
    started = time.process_time()
    for _ in range(rounds):
        for _, output in bare:
            scrub(output)
    scrub_ms = (time.process_time() - started) * 1000 / (rounds * len(OFFLINE))
    return Offline(scan_ms, ttp_ms, scrub_ms)


# --- the report ------------------------------------------------------------------------


def ratio(a: Measure, b: Measure) -> str:
    if not (a.ok and b.ok):
        return "-"
    return f"{a.wall_s / b.wall_s:.1f}× wall, {a.cpu_s / max(b.cpu_s, 1e-9):.1f}× CPU"


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--floor":
        floor_main(Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,200,500,1000", help="fleet sizes N (empty: none)")
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--ansible-sizes", default="100,500", help="sizes Ansible runs at")
    parser.add_argument("--latency-ms", type=int, default=300)
    parser.add_argument("--latency-size", type=int, default=200)
    parser.add_argument("--latency-workers", default="50,100")
    parser.add_argument("--rounds", type=int, default=20, help="offline scan repetitions")
    parser.add_argument("--skip", default="", help="parts left out: offline, latency")
    parser.add_argument("--quick", action="store_true", help="N = 20, W = 10: a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.workers, args.ansible_sizes = "20", 10, "20"
        args.latency_size, args.latency_workers, args.rounds = 20, "10", 3
    sizes = [int(s) for s in args.sizes.split(",") if s]
    ansible_sizes = {int(s) for s in args.ansible_sizes.split(",") if s}
    have_ansible = ansible_available()
    if have_ansible:
        become_subreaper()
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs (shared: CPU seconds are "
        f"the robust figure), W = {args.workers}, ansible "
        f"{'installed' if have_ansible else 'not installed'}",
        flush=True,
    )
    commands, sent = pilot()
    for source, wanted in sorted(commands.items()):
        print(
            f"  {source}: {sent[source]} lines sent by the CLI, {len(wanted)} distinct reads: "
            + ", ".join(c if c in answered(source, [c]) else f"{c} (refused)" for c in wanted)
        )
    rows = ["| | fleetaudit CLI | bare asyncssh floor | ratio | Ansible network_cli | vs Ansible |"]
    rows.append("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        commands_file = work / "commands.json"
        commands_file.write_text(json.dumps(commands))
        for size in sizes:
            with lab(size) as inventory:
                cli = run_cli(inventory, args.workers)
                base = run_floor(inventory, args.workers, commands_file)
                if not have_ansible:
                    theirs, versus = "not installed", "-"
                elif size not in ansible_sizes:
                    theirs, versus = "not run (--ansible-sizes)", "-"
                else:
                    (work / f"ansible{size}").mkdir()
                    measured = run_ansible(
                        inventory, args.workers, commands, work / f"ansible{size}"
                    )
                    theirs = measured.cell()
                    versus = f"{measured.wall_s / cli.wall_s:.1f}× faster" if measured.ok else "-"
            row = f"| N = {size:,} | {cli.cell()} | {base.cell()} | {ratio(cli, base)} | {theirs} | {versus} |"
            rows.append(row)
            print(row, flush=True)
    skip = {part for part in args.skip.split(",") if part}
    if "offline" not in skip:
        rows += offline_rows(args.rounds)
    if "latency" not in skip:
        rows += latency_rows(args, commands)
    print("\n" + "\n".join(rows))


def offline_rows(rounds: int) -> list[str]:
    """Two floors: bare TTP (what the issue asks), and bare TTP plus scrubbing the same
    texts, which a scan must do and TTP does not (every saved output is scrubbed once)."""
    found = offline(rounds)
    scan = f"{found.scan_ms:.1f} ms CPU/device ({1000 / found.scan_ms:.0f} devices/s/core)"
    floor = found.ttp_ms + found.scrub_ms
    rows = [
        f"| offline scan, parse + check | {scan} | bare TTP, same texts: {found.ttp_ms:.2f} ms "
        f"| {found.scan_ms / found.ttp_ms:.1f}× | | |",
        f"| offline scan vs TTP + scrubbing | {scan} | bare TTP {found.ttp_ms:.2f} ms + "
        f"scrubbing the same texts {found.scrub_ms:.2f} ms = {floor:.2f} ms "
        f"| {found.scan_ms / floor:.1f}× | | |",
    ]
    for row in rows:
        print(row, flush=True)
    return rows


def latency_rows(args: argparse.Namespace, commands: dict[str, list[str]]) -> list[str]:
    rows = []
    per_device = sum(len(c) for c in commands.values()) / len(commands)
    with lab(args.latency_size, latency_ms=args.latency_ms) as inventory:
        for workers in (int(w) for w in args.latency_workers.split(",")):
            cli = run_cli(inventory, workers)
            ideal = args.latency_size * per_device * args.latency_ms / 1000 / workers
            row = (
                f"| latency {args.latency_ms} ms, N = {args.latency_size}, W = {workers} | "
                f"{cli.cell()} | ideal N·c·L/W = {ideal:.1f} s (c = {per_device:.2f}) | "
                f"{cli.wall_s / ideal:.2f}× ideal | | |"
            )
            rows.append(row)
            print(row, flush=True)
    return rows


if __name__ == "__main__":
    main()
