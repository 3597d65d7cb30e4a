"""Errors that are the user's to fix (exit 2). Everything about devices is data instead."""


class UsageError(Exception):
    """Bad inventory, unknown platform, bad flag: the message names the file/key and the fix."""
