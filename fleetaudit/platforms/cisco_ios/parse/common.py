"""What every cisco_ios normaliser shares: the platform name, spotting a rejected command,
and reading TTP captures (groups, ``joinmatches`` lists, integers, child lines)."""

from __future__ import annotations

from typing import Any

from fleetaudit.facts import Ref
from fleetaudit.normalise import Output
from fleetaudit.platforms.cisco_ios import PLATFORM as IOS

PLATFORM = "cisco_ios"

#: IOS prints one of these when it rejects a command: the platform's own list.
_REJECTIONS = IOS.refusals


def rejected(out: Output) -> bool:
    """True when the device refused the command (``% Invalid input detected ...``).

    >>> rejected(Output("show sip service", "        ^\\n% Invalid input detected at '^' marker."))
    True
    >>> rejected(Output("show sip service", "SIP Service is up"))
    False
    """
    if not any(marker in out.text for marker in _REJECTIONS):  # most outputs: one scan
        return False
    return any(line.strip().startswith(_REJECTIONS) for line in out.lines)


def first_group(value: Any) -> dict[str, Any]:
    """A TTP group that matched once (a list when it matched several times: first one)."""
    if isinstance(value, list):
        value = value[0] if value else {}
    return value if isinstance(value, dict) else {}


def split_joined(value: Any, sep: str = ";") -> list[str]:
    """Values of a ``joinmatches(sep)`` variable, in order."""
    if not value:
        return []
    return [part.strip() for part in str(value).split(sep) if part.strip()]


def to_int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def child_ref(out: Output, parent: Ref, text: str) -> Ref:
    """The first line ``text`` at or after the block opened by ``parent``."""
    return out.ref(text, after=parent.line or 0)
