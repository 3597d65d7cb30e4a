"""Errors that are the user's to fix (exit 2). Everything about devices is data instead."""


class UsageError(Exception):
    """Bad inventory, unknown platform, bad flag: the message names the file/key and the fix."""


def raise_all(problems: list[str], where: str, most: int = 20) -> None:
    """One :class:`UsageError` listing every problem found (``where``: what was checked),
    so a user fixes them in one go; nothing when there is none."""
    if len(problems) == 1:
        raise UsageError(problems[0])
    if problems:
        shown = problems[:most] + (
            [f"... and {len(problems) - most} more"] if len(problems) > most else []
        )
        raise UsageError(f"{len(problems)} problems in {where}:\n  " + "\n  ".join(shown))
