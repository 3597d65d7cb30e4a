"""`fleetaudit checks list` and `checks explain`: documentation read from the checks."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from fleetaudit.checkkit import documented_checks, find_check


def listing(console: Console, extra: tuple[Path, ...] = ()) -> None:
    table = Table(title="fleetaudit checks")
    for column in ("ID", "slug", "severity", "platforms", "title"):
        table.add_column(column, overflow="fold")
    for check in documented_checks(extra):
        table.add_row(check.id, check.slug, check.severity, ", ".join(check.platforms), check.title)
    console.print(table)


def explain(console: Console, check_id: str, extra: tuple[Path, ...] = ()) -> None:
    check = find_check(check_id, extra)
    fixes = "\n".join(
        f"**{platform}**\n\n```\n{commands.strip()}\n```\n"
        for platform, commands in check.fix.items()
    )
    text = (
        f"# {check.id} {check.slug}: {check.title}\n\n"
        f"severity **{check.severity}** · platforms {', '.join(check.platforms)}"
        f" · needs facts {', '.join(check.facts)}\n\n"
        f"{check.doc.strip()}\n\n## Fix commands by platform\n\n{fixes}"
    )
    if check.references:
        text += "\n## References\n\n" + "\n".join(f"- {r}" for r in check.references)
    console.print(Markdown(text))
