"""Start-up costs that do not grow with the fleet: `--version` before any import of the
CLI, and napalm's ios driver without its other drivers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fleetaudit import __version__


def probe_output(probe: str) -> str:
    """What ``probe`` prints, run in a fresh interpreter (its imports are its own)."""
    return subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout


def test_version_answers_without_importing_the_cli() -> None:
    probe = (
        "import sys; sys.argv = ['fleetaudit', '--version']\n"
        "from fleetaudit.entry import main\n"
        "main()\n"
        "print(sorted(m for m in ('fleetaudit.cli', 'netmiko', 'pydantic') if m in sys.modules))"
    )
    out = probe_output(probe)
    assert out.splitlines() == [f"fleetaudit {__version__}", "[]"]


def test_the_napalm_ios_driver_loads_alone() -> None:
    probe = (
        "import sys\n"
        "from fleetaudit.napalm_drivers import get_network_driver\n"
        "print(get_network_driver('ios').__name__)\n"
        "print(sorted(m for m in ('napalm.junos', 'napalm.nxos', 'napalm.eos') if m in sys.modules))\n"
        "from napalm import get_network_driver as again\n"
        "print(again('ios').__name__)"
    )
    out = probe_output(probe)
    assert out.splitlines() == ["IOSDriver", "[]", "IOSDriver"]


#: the modules really imported (a stand-in of fleetaudit.lazy, bound until first use, is not)
LOADED = "loaded = [m for m, v in sys.modules.items() if type(v).__name__ != '_StandIn']"

#: what `checks list` / `checks explain` never need (a transport, a store, a parser, a
#: capture reader, a task queue, templates)
NOT_FOR_CHECKS = (
    "netmiko",
    "paramiko",
    "napalm",
    "nornir",
    "sqlalchemy",
    "alembic",
    "httpx",
    "celery",
    "asyncssh",
    "ttp",
    "jinja2",
    "dpkt",
    "scapy",
    "fleetaudit.api",
    "fleetaudit.audit",
    "fleetaudit.store",
)


def _imported_by(*argv: str) -> list[str]:
    """The names of NOT_FOR_CHECKS that `fleetaudit ARGV` imported (in a fresh interpreter,
    its output discarded)."""
    probe = (
        "import contextlib, io, json, sys\n"
        "from fleetaudit.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main({list(argv)!r})\n"
        f"names = {NOT_FOR_CHECKS!r}\n"
        f"{LOADED}\n"
        "print(code)\n"
        "print(json.dumps([n for n in names if any(m == n or m.startswith(n + '.') "
        "for m in loaded)]))"
    )
    out = probe_output(probe)
    code, found = out.splitlines()
    assert code == "0", out
    loaded: list[str] = json.loads(found)
    return loaded


@pytest.mark.parametrize(
    "argv",
    [("checks", "list"), ("checks", "explain", "ALG001"), ("checks", "explain", "TRC004")],
)
def test_checks_commands_import_no_stage_they_do_not_run(argv: tuple[str, ...]) -> None:
    assert _imported_by(*argv) == []


def test_checks_list_imports_no_check_module_nor_the_fact_models() -> None:
    """The list is read from the checks' sources (fleetaudit.checklist)."""
    probe = (
        "import contextlib, io, sys\n"
        "from fleetaudit.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    code = main(['checks', 'list'])\n"
        "print(code, 'ALG001' in out.getvalue(), 'TRC006' in out.getvalue())\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'fleetaudit_check_', "
        "'fleetaudit.checkkit', 'fleetaudit.facts', 'fleetaudit.model'))))"
    )
    out = probe_output(probe)
    assert out.splitlines() == ["0 True True", "[]"]


def test_cli_default_host_key_policy_is_the_collectors() -> None:
    from fleetaudit import cli, hostkeys

    assert cli.DEFAULT_POLICY == hostkeys.DEFAULT_POLICY
    assert tuple(cli.LazyChoices(lambda: hostkeys.POLICIES)) == hostkeys.POLICIES


def test_checks_list_reads_the_builtin_checks_as_importing_them_would() -> None:
    from fleetaudit.checkkit import documented_checks
    from fleetaudit.checklist import Row, builtin_rows

    imported = [Row(c.id, c.slug, c.severity, c.platforms, c.title) for c in documented_checks()]
    assert builtin_rows() == imported


def test_invoke_waits_for_its_first_use() -> None:
    """paramiko imports invoke for `Match exec` only: the CLI binds a stand-in that imports
    it on first use, and the config feature still works."""
    probe = (
        "import sys\n"
        "from fleetaudit.lazy import defer\n"
        "defer('invoke')\n"
        "import paramiko\n"
        "print('invoke.context' in sys.modules)\n"
        "config = paramiko.SSHConfig.from_text('Match exec \"true\"\\n  User u\\n')\n"
        "print(config.lookup('x').get('user'), 'invoke.context' in sys.modules)"
    )
    out = probe_output(probe)
    assert out.splitlines() == ["False", "u True"]


def test_a_run_imports_no_stage_it_does_not_use() -> None:
    """What `run` reaches at import: no task queue, no migrations, no capture reader, no
    pre-change stage, no stored-run drift, no progress display when none is shown."""
    probe = (
        "import sys\n"
        "from fleetaudit.lazy import DEFERRED, defer\n"
        "defer(*DEFERRED)\n"
        "import fleetaudit.api, fleetaudit.progress, fleetaudit.report.render\n"
        "names = ('celery', 'alembic', 'httpx', 'napalm', 'dpkt', 'scapy', 'jinja2.ext', "
        "'invoke.context', 'rich.progress', 'rich.markdown', 'fleetaudit.candidate', "
        "'fleetaudit.history', 'fleetaudit.report.html', "
        "'fleetaudit.report.sarif', 'fleetaudit.report.junit', 'fleetaudit.trace.capture')\n"
        "print([n for n in names if n in sys.modules])"
    )
    out = probe_output(probe)
    assert out.strip() == "[]"


def test_httpx_command_line_client_waits_for_its_first_use() -> None:
    """httpx imports its CLI (click, Pygments) to bind ``httpx.main``: the CLI binds a
    stand-in; the client works, and so does ``httpx.main`` when called."""
    probe = (
        "import contextlib, io, sys\n"
        "from fleetaudit.lazy import DEFERRED, defer\n"
        "defer(*DEFERRED)\n"
        "import httpx\n"
        "print(httpx.Request('GET', 'http://127.0.0.1/x').url.path, "
        "[m for m in ('click', 'pygments') if m in sys.modules])\n"
        "sys.argv = ['httpx', '--help']\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    try:\n"
        "        httpx.main()\n"
        "    except SystemExit as exc:\n"
        "        code = exc.code\n"
        "print(code, 'Usage: httpx' in out.getvalue(), 'click' in sys.modules)"
    )
    out = probe_output(probe)
    assert out.splitlines() == ["/x []", "0 True True"]


#: what a run on the lab (json report, no drift, no candidate) never needs at all
NOT_FOR_A_RUN = (
    "alembic",
    "mako",
    "pygments",
    "click",
    "invoke.context",
    "unittest",
    "fleetaudit.drift",
    "fleetaudit.candidate",
    "rich",  # the report is JSON, and --quiet shows no progress
)


def _imported_by_a_run(inventory: Path) -> list[str]:
    """The names of NOT_FOR_A_RUN that `fleetaudit run` on office1 imported (a fresh
    interpreter, the test's own FLEETAUDIT_HOME)."""
    argv = ["run", "--site", "office1", "--inventory", str(inventory), "--format", "json"]
    probe = (
        "import contextlib, io, json, sys\n"
        "from fleetaudit.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    code = main({[*argv, '--quiet']!r})\n"
        f"names = {NOT_FOR_A_RUN!r}\n"
        f"{LOADED}\n"
        "print(code, json.loads(out.getvalue())['schema'])\n"
        "from fleetaudit.inventory_sources.config import SotConfig\n"
        "from fleetaudit.settings import WaiverEntry\n"
        "assert not WaiverEntry.__pydantic_complete__, 'a validator built for no waiver'\n"
        "assert not SotConfig.__pydantic_complete__, 'a validator built for no source'\n"
        "print(json.dumps([n for n in names if any(m == n or m.startswith(n + '.') "
        "for m in loaded)]))"
    )
    out = probe_output(probe)
    ran, found = out.splitlines()
    assert ran == "1 fleetaudit.report/1", out  # office1 has failing findings
    loaded: list[str] = json.loads(found)
    return loaded


def test_a_run_imports_no_migrations_when_the_store_is_new_or_current(
    lab_inventory: Path, fleetaudit_home: Path
) -> None:
    assert not (fleetaudit_home / "fleetaudit.sqlite").exists()
    assert _imported_by_a_run(lab_inventory) == []  # a new store: created at head
    assert (fleetaudit_home / "fleetaudit.sqlite").exists()
    assert _imported_by_a_run(lab_inventory) == []  # a current store: its version row read
