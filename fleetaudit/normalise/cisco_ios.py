"""Normalisers for cisco_ios outputs."""

from __future__ import annotations
