"""`fleetaudit checks list` and `checks explain`: documentation read from the checks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table

from fleetaudit.checklist import Row, builtin_rows

if TYPE_CHECKING:
    from rich.console import Console

    from fleetaudit.checkkit import Check


def rows(extra: tuple[Path, ...] = ()) -> list[Row]:
    """Every documented check's row: read from the built-in modules' sources when they
    allow it (fleetaudit.checklist), else from the imported modules."""
    read = None if extra else builtin_rows()
    if read is not None:
        return read
    from fleetaudit.checkkit import documented_checks

    return [Row(c.id, c.slug, c.severity, c.platforms, c.title) for c in documented_checks(extra)]


def listing(console: Console, extra: tuple[Path, ...] = ()) -> None:
    table = Table(title="fleetaudit checks")
    for column in ("ID", "slug", "severity", "platforms", "title"):
        table.add_column(column, overflow="fold")
    for row in rows(extra):
        table.add_row(row.id, row.slug, row.severity, ", ".join(row.platforms), row.title)
    console.print(table)


def fix_texts(check: Check) -> dict[str, str]:
    """What a failing finding's fix looks like on each platform: the check's own, then
    those platforms joining the check declare (the text their findings carry)."""
    from fleetaudit.platforms import registry

    texts = dict(check.fix.items())
    for name, platform in registry().items():
        if check.id in platform.check_fixes:
            texts.setdefault(name, platform.check_fixes[check.id])
    return texts


def _planned_note(check: Check) -> str:
    from fleetaudit.rules.examples import SUBNET, TARGET, PlannedFixes

    if not isinstance(check.fix, PlannedFixes):
        return ""
    return (
        "Each platform's firewall planner writes these lines for the finding's own rules; "
        f"shown here on its documented example (`EXAMPLE` in the platform's firewall module: "
        f"provider {SUBNET}, voice target {TARGET} behind it or the gateway itself).\n\n"
    )


def explain(console: Console, check_id: str, extra: tuple[Path, ...] = ()) -> None:
    from rich.markdown import Markdown

    from fleetaudit.checkkit import find_check

    check = find_check(check_id, extra)
    fixes = "\n".join(
        f"**{platform}**\n\n```\n{commands.strip()}\n```\n"
        for platform, commands in fix_texts(check).items()
    )
    text = (
        f"# {check.id} {check.slug}: {check.title}\n\n"
        f"severity **{check.severity}** · platforms {', '.join(check.platforms)}"
        f" · needs facts {', '.join(check.facts)}\n\n"
        f"{check.doc.strip()}\n\n## Fix commands by platform\n\n{_planned_note(check)}{fixes}"
    )
    if check.references:
        text += "\n## References\n\n" + "\n".join(f"- {r}" for r in check.references)
    console.print(Markdown(text))
