"""The lab for benchmarks and other tools: clones with their own inventory, latency, and
the set-up lines other tools (Ansible network_cli) send answered as real devices do."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import asyncssh
import yaml

from fleetaudit.lab import Lab
from fleetaudit.paths import builtin_dir
from tests.labserve import lab_serve, run_json


async def _shell(port: int, lines: list[str], prompt_end: str) -> str:
    """Type ``lines`` into an interactive shell; what came back (until the last prompt)."""
    async with asyncssh.connect(
        "127.0.0.1", port=port, username="admin", password="lab-admin", known_hosts=None
    ) as conn:
        writer, reader, _ = await conn.open_session(term_type="vt100")
        seen = await asyncio.wait_for(reader.readuntil(prompt_end), 10)
        for line in lines:
            writer.write(line + "\n")
            seen += await asyncio.wait_for(reader.readuntil(prompt_end), 10)
        return seen


def test_asa_accepts_no_terminal_pager_and_logs_it_as_outside_our_grammar() -> None:
    with Lab(builtin_dir("inventory"), site="office1", ephemeral_ports=True) as lab:
        seen = asyncio.run(_shell(lab.port("office1-fw1"), ["no terminal pager"], "> "))
        assert "ERROR" not in seen and "Invalid" not in seen
        entry = next(e for e in lab.received if e["line"] == "no terminal pager")
        assert entry["violation"] is True  # not a line fleetaudit itself may send
        write = asyncio.run(_shell(lab.port("office1-fw1"), ["write memory"], "> "))
        assert "Invalid input" in write  # writes are still refused


def test_routeros_answers_routerboard_print_as_peers_ask_at_set_up() -> None:
    with Lab(builtin_dir("inventory"), site="office1", ephemeral_ports=True) as lab:
        seen = asyncio.run(_shell(lab.port("office1-rtr1"), ["/system routerboard print"], "] > "))
    assert "routerboard: yes" in seen
    assert "bad command" not in seen and "syntax error" not in seen


def test_latency_delays_each_answer_and_keeps_the_order() -> None:
    with Lab(builtin_dir("inventory"), site="office1", ephemeral_ports=True, latency_ms=200) as lab:
        started = time.perf_counter()
        seen = asyncio.run(
            _shell(lab.port("office1-sw1"), ["show version", "show clock x", ""], "#")
        )
        elapsed = time.perf_counter() - started
    assert elapsed >= 0.4  # two commands answered 200 ms late each (the empty line is not)
    assert seen.index("Cisco IOS") < seen.index("Invalid input")


def test_with_latency_an_exec_answer_comes_whole_before_its_exit_status() -> None:
    """asyncio runs timers due at one instant in no set order: the lab queues a session's
    actions itself, so a channel's exit never overtakes its output (252 of 600 answers
    came back empty before)."""

    async def answers(port: int) -> list[str]:
        async with asyncssh.connect(
            "127.0.0.1", port=port, username="admin", password="lab-admin", known_hosts=None
        ) as conn:
            runs = [conn.run("/system resource print", check=False) for _ in range(40)]
            return [str(done.stdout) for done in await asyncio.gather(*runs)]

    with Lab(builtin_dir("inventory"), site="office1", ephemeral_ports=True, latency_ms=50) as lab:
        seen = asyncio.run(answers(lab.port("office1-rtr1")))
    assert all("uptime" in answer for answer in seen), [a[:40] for a in seen]


def test_lab_serve_devices_writes_an_inventory_for_the_clones(tmp_path: Path) -> None:
    out = tmp_path / "bench-inventory"
    serve = ("--site", "bench", "--devices", "4", "--inventory-out", str(out), "--ephemeral-ports")
    with lab_serve(*serve) as lab:
        hosts = yaml.safe_load((out / "hosts.yaml").read_text())
        audit = run_json(out, "bench")
    lines, err = lab.lines, lab.stderr
    assert lines[-2:] == [f"inventory: {out}", "ready: 4 devices"], err
    assert sorted(hosts) == [
        "bench-0001-gw1",
        "bench-0002-fw1",
        "bench-0003-rtr1",
        "bench-0004-sw1",
    ]
    served = {line.split()[0]: line.split()[-1] for line in lines[:4]}
    assert all(served[n] == f"127.0.0.1:{h['port']}" for n, h in hosts.items())
    assert audit.returncode == 1, audit.stderr  # office1's problems, cloned
    assert '"status": "ok"' in audit.stdout
