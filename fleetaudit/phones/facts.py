"""Kept for checks written against it: the phone and switch layer-2 facts now live in
:mod:`fleetaudit.facts` with every other fact."""

from __future__ import annotations

from fleetaudit.facts import (
    MacEntry,
    Neighbor,
    Phone,
    PhoneAccount,
    PhoneNeighbor,
    PhoneRegistration,
)

__all__ = ["MacEntry", "Neighbor", "Phone", "PhoneAccount", "PhoneNeighbor", "PhoneRegistration"]
