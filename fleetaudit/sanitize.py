"""Scrub secrets from evidence before it is parsed, stored or reported.

The filters run through netutils' ``sanitize_config``; they cover the secrets our
platforms print (IOS/ASA passwords and keys, SNMP communities, RouterOS ``password=``).
"""

from __future__ import annotations

from netutils.config.clean import sanitize_config

REMOVED = "<removed>"

FILTERS: list[dict[str, str]] = [
    # IOS / ASA: "... password 7 0822455D0A16", "secret 9 $9$...", "key 7 ...", "passwd X encrypted"
    {
        "regex": r"(\b(?:password|secret|passwd|key-string|authentication-key|pre-shared-key"
        r"|key|md5|ikev1 pre-shared-key)(?: (?:\d{1,2}|encrypted|pbkdf2))?) (?!<removed>)\S+",
        "replace": rf"\1 {REMOVED}",
    },
    {"regex": r"(\bsnmp-server community) \S+", "replace": rf"\1 {REMOVED}"},
    {"regex": r"(\bsnmp-server host \S+(?: version \S+)?) \S+", "replace": rf"\1 {REMOVED}"},
    # RouterOS: password=..., secret=..., authentication-password=..., community names
    {
        "regex": r"(\b[\w-]*(?:password|secret|pre-shared-key|private-key|passphrase)=)"
        r"(?:\"[^\"]*\"|\S+)",
        "replace": rf"\1{REMOVED}",
    },
    {"regex": r"^(/snmp community (?:add|set) .*?\bname=)\S+", "replace": rf"\1{REMOVED}"},
]


def scrub(text: str) -> str:
    """Text with every secret we know of replaced by ``<removed>``.

    >>> scrub("enable secret 9 $9$abc")
    'enable secret 9 <removed>'
    >>> scrub("/user add name=bob password=hunter2")
    '/user add name=bob password=<removed>'
    """
    return sanitize_config(text, FILTERS)
