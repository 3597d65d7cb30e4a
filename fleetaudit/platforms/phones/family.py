"""The phone family as checks see it: which hosts are phones, their keep-alives (the facts
are in :mod:`fleetaudit.facts`; the vendors' parsers and collector beside this module).

``phone_keepalives(peers)`` is the one thing other checks need from phones: how often
each phone of a site refreshes its NAT binding and its switch port's MAC entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from fleetaudit.facts import Ref
from fleetaudit.platforms import family, is_of

__all__ = ["PHONE_PLATFORMS", "PhoneKeepalive", "is_phone", "phone_keepalives", "unseen_phones"]


class _HostLike(Protocol):
    name: str
    platform: str
    facts: dict[str, Any]


PhoneKeepalive = tuple[str, int, Ref | None]  # (phone host name, interval s, where it is set)


PHONE_PLATFORMS = family("phone")


def is_phone(platform: str) -> bool:
    return is_of(platform, "phone")


def phone_keepalives(peers: Iterable[_HostLike]) -> list[PhoneKeepalive]:
    """Each audited phone among ``peers`` with the longest interval at which one of its
    enabled accounts refreshes its binding (keep-alive or re-registration), and the
    config line that sets it. Phones whose accounts are unknown are left out (examples:
    tests/phones/test_cross_device.py).
    """
    found: list[PhoneKeepalive] = []
    for peer in peers:
        if not is_phone(peer.platform):
            continue
        accounts = peer.facts.get("phone_accounts") or []
        timed = [a for a in accounts if a.enabled and a.refresh_s]
        if not timed:
            continue
        worst = max(timed, key=lambda a: a.refresh_s or 0)
        ref = (
            worst.ref("keepalive_s", "register_expires_s")
            if worst.keepalive_s == worst.refresh_s
            else worst.ref("register_expires_s")
        )
        found.append((peer.name, int(worst.refresh_s or 0), ref))
    return found


def unseen_phones(peers: Iterable[_HostLike]) -> list[str]:
    """The phones among ``peers`` whose accounts are unknown (evidence missing, cut short
    or garbled): a verdict drawn from the other phones alone would not be proven."""
    return [p.name for p in peers if is_phone(p.platform) and p.facts.get("phone_accounts") is None]
