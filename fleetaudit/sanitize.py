"""Scrub secrets from evidence before it is parsed, stored or reported.

The filters run through netutils' ``sanitize_config``; they cover the secrets our
platforms print (IOS/ASA passwords and keys, SNMP communities, RouterOS ``password=``).
"""

from __future__ import annotations

import re

from netutils.config.clean import sanitize_config

REMOVED = "<removed>"

# what may stand between a secret's keyword and the secret: "7", "encrypted", "1 md5"
_KIND = r"(?:\d{1,3}|encrypted|pbkdf2|md5|hex|ascii)"

FILTERS: list[dict[str, str]] = [
    # IOS / ASA: "... password 7 0822455D0A16", "secret 9 $9$...", "key 7 ...", "passwd X
    # encrypted", "ntp authentication-key 1 md5 X 7"; already scrubbed text stays as it is
    {
        "regex": r"(\b(?:password|secret|passwd|key-string|authentication-key|pre-shared-key"
        rf"|message-digest-key|key|md5|ikev1 pre-shared-key)(?: {_KIND}){{0,2}})"
        rf" (?!<removed>)(?!(?:{_KIND} ){{1,2}}<removed>)(?![=:](?:\s|$))"
        r"(?!(?:add|set|print|remove|export)\b)\S+",
        "replace": rf"\1 {REMOVED}",
    },
    {"regex": r"(\bsnmp-server community) (?!<removed>)\S+", "replace": rf"\1 {REMOVED}"},
    # ASA "snmp-server host inside 10.0.0.5 community X version 2c"
    {
        "regex": r"(\bcommunity) (?!<removed>)(?!(?:add|set|print|remove|export)\b)\S+",
        "replace": rf"\1 {REMOVED}",
    },
    {"regex": r"(\bsnmp-server host \S+(?: version \S+)?) \S+", "replace": rf"\1 {REMOVED}"},
    # RouterOS: password=..., secret=..., authentication-password=..., community names
    {
        "regex": r"(\b[\w-]*(?:password|secret|pre-shared-key|private-key|passphrase)=)"
        r"(?:\"[^\"]*\"|\S+)",
        "replace": rf"\1{REMOVED}",
    },
    {"regex": r"^(/snmp community (?:add|set) .*?\bname=)\S+", "replace": rf"\1{REMOVED}"},
    {"regex": r"(\b[\w-]*community=)(?!<removed>)(?:\"[^\"]*\"|\S+)", "replace": rf"\1{REMOVED}"},
    # phone configs: "account.1.password = X" (Yealink), JSON "...password": "X", XML
    # <Password_1_>X</Password_1_> (Cisco SPA)
    {
        "regex": r"^(\s*[\w. -]*?(?i:password|passwd|pwd|secret)\s*[=:]\s*)(?!<removed>)\S.*?$",
        "replace": rf"\1{REMOVED}",
    },
    {
        "regex": r"(\"[\w.-]*(?:password|passwd|pwd|secret)[\w.-]*\"\s*:\s*)\"(?:[^\"\\]|\\.)*\"",
        "replace": rf'\1"{REMOVED}"',
    },
    {
        "regex": r"(<([\w.-]*(?:[Pp]assword|[Pp]asswd|[Ss]ecret)[\w.-]*)\b[^>]*>)[^<]*(</\2>)",
        "replace": rf"\1{REMOVED}\3",
    },
]


def scrub(text: str) -> str:
    """Text with every secret we know of replaced by ``<removed>``.

    >>> scrub("enable secret 9 $9$abc")
    'enable secret 9 <removed>'
    >>> scrub("/user add name=bob password=hunter2")
    '/user add name=bob password=<removed>'
    """
    return _routeros_snmp_communities(sanitize_config(text, FILTERS))


def _routeros_snmp_communities(text: str) -> str:
    """Community names in an export's ``/snmp community`` section (one entry a line,
    ``name=`` anywhere on it or its continuation lines)."""
    if "/snmp community" not in text:
        return text
    lines = text.split("\n")
    inside = False
    for n, line in enumerate(lines):
        if line.startswith("/"):
            inside = line.strip() == "/snmp community"
        elif inside:
            lines[n] = re.sub(r"\bname=(?!<removed>)(?:\"[^\"]*\"|\S+)", f"name={REMOVED}", line)
    return "\n".join(lines)
