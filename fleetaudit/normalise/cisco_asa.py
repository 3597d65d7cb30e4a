"""Normalisers for cisco_asa outputs."""

from __future__ import annotations
