"""Asterisk / FreePBX: what the PBX says about itself, read into typed facts.

This package holds the parsing layer only (``facts``, ``parsers``); the platform's
registration, collection and checks are added on top of it later.
"""
