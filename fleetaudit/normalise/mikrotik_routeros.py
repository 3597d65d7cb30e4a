"""Normalisers for mikrotik_routeros outputs."""

from __future__ import annotations
