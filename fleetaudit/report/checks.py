"""`fleetaudit checks list` and `checks explain`: documentation read from the checks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table

from fleetaudit.checkkit import Check, documented_checks, find_check
from fleetaudit.platforms import registry

if TYPE_CHECKING:
    from rich.console import Console


def listing(console: Console, extra: tuple[Path, ...] = ()) -> None:
    table = Table(title="fleetaudit checks")
    for column in ("ID", "slug", "severity", "platforms", "title"):
        table.add_column(column, overflow="fold")
    for check in documented_checks(extra):
        table.add_row(check.id, check.slug, check.severity, ", ".join(check.platforms), check.title)
    console.print(table)


def fix_texts(check: Check) -> dict[str, str]:
    """What a failing finding's fix looks like on each platform: the check's own, then
    those platforms joining the check declare (the text their findings carry)."""
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
