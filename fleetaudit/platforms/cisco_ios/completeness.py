"""What a whole Cisco IOS / IOS-XE answer looks like, per command.

A rule names the structure the device prints last (``end`` closes a configuration, the SDP
counters close ``show sip-ua statistics``) or, where the device prints no closing line, the
last line the normaliser reads and the shape every row must have. Cutting an answer before
that structure, or inside a row, is then visible. What no rule can see: an answer cut
between two whole rows of a table without a closing line (``show sip-ua register status``,
``show ip interface brief``) reads as a shorter whole table.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fleetaudit.platforms.lines import content_lines, has_line, last_config_line, last_line

Rule = Callable[[str], str | None]

PAGER = "--More--"


def ends_with_end(output: str) -> str | None:
    """Whole when `end` closes it (a prompt or `[OK]` the capture holds after it aside)."""
    return None if last_config_line(output) == "end" else "looks truncated: no `end` line"


def closing_line(pattern: str, shown: str) -> Rule:
    """The output is whole when a line matches ``pattern`` (``shown`` names it)."""
    compiled = re.compile(pattern)

    def rule(output: str) -> str | None:
        return None if has_line(output, compiled) else f"looks truncated: no `{shown}` line"

    return rule


# show sip-ua statistics: the SDP counters close it; `Last time ... cleared` may follow
_SDP_LAST = re.compile(r"Not SDP desc: \d+, No resource: \d+")
_CLEARED = re.compile(r"Last time SIP Statistics were cleared: \S.*")


def sip_ua_statistics(output: str) -> str | None:
    lines = content_lines(output)
    closing = [i for i, line in enumerate(lines) if _SDP_LAST.fullmatch(line)]
    if not closing:
        return "looks truncated: no closing `Not SDP desc: …, No resource: …` line"
    after = lines[closing[-1] + 1 :]
    if any(not _CLEARED.fullmatch(line) for line in after):
        return "looks truncated: its last line is cut"
    return None


# show sip-ua register status: no closing line; a whole header and whole rows
_HEADER_CLASSIC = re.compile(r"Line\s+peer\s+expires\(sec\)\s+registered")
_HEADER_XE = re.compile(r"Line\s+peer\s+expires\(sec\)\s+reg\s+survival\s+P-Associ-URI")
_ROW_CLASSIC = re.compile(r"\S+\s+\S+\s+-?\d+\s+(?:yes|no)")
_ROW_XE = re.compile(r"\S+\s+\S+\s+-?\d+\s+(?:yes|no)\s+\S+(?:\s+\S+)?")
_OTHER = re.compile(r"[=\- ]+|Tenant:.*|Registrar-Index.*|-+")


def sip_ua_register_status(output: str) -> str | None:
    lines = content_lines(output)
    start = next((i for i, line in enumerate(lines) if line.startswith("Line ")), None)
    if start is None:
        return None  # not this command's answer: the normaliser says so
    header = lines[start]
    if _HEADER_CLASSIC.fullmatch(header):
        row = _ROW_CLASSIC
    elif _HEADER_XE.fullmatch(header):
        row = _ROW_XE
        if start + 1 >= len(lines) or not set(lines[start + 1]) <= {"=", " "}:
            return "looks truncated: no `====` ruler under the header"
    else:
        return f"looks truncated: the header `{header}` is not whole"
    for line in lines[start + 1 :]:
        if not (row.fullmatch(line) or _OTHER.fullmatch(line) or line.startswith("Line ")):
            return f"looks truncated or garbled: `{line}` is not a whole row"
    return None


# show sip-ua status: no closing line; SIP001 reads nothing after `Redirection (3xx)`
sip_ua_status = closing_line(
    r"Redirection \(3xx\) message handling: (?:ENABLED|DISABLED)",
    "Redirection (3xx) message handling: …",
)

_SERVICE = re.compile(r"SIP [Ss]ervice is (?:up|shut\b.*|down\b.*)")


def sip_service(output: str) -> str | None:
    first = content_lines(output)[0]
    return None if _SERVICE.fullmatch(first) else f"looks truncated: `{first}` is not whole"


_TIMER_ITEM = re.compile(r"[a-z][a-z0-9/ -]*? \d+(?: (?:seconds|minutes|ms|millisecs))?")


def sip_ua_timers(output: str) -> str | None:
    last = last_line(output)
    if last.startswith("SIP UA Timer Values"):
        return "looks truncated: no timer after the header"
    items = [" ".join(item.split()) for item in last.split(",") if item.strip()]
    if last.endswith(",") or not items or not _TIMER_ITEM.fullmatch(items[-1]):
        return f"looks truncated: its last line `{last}` is cut"
    return None


RULES: dict[str, Rule] = {
    "show running-config": ends_with_end,
    "show startup-config": ends_with_end,
    "show version": closing_line(
        r"Configuration register is 0x[0-9A-Fa-f]+", "Configuration register is …"
    ),
    "show sip service": sip_service,
    "show sip-ua status": sip_ua_status,
    "show sip-ua timers": sip_ua_timers,
    "show sip-ua statistics": sip_ua_statistics,
    "show sip-ua register status": sip_ua_register_status,
    "show cdp neighbors detail": closing_line(
        r"Total cdp entries displayed\s*:\s*\d+", "Total cdp entries displayed : …"
    ),
    "show lldp neighbors detail": closing_line(
        r"Total entries displayed:\s*\d+", "Total entries displayed: …"
    ),
    "show mac address-table": closing_line(
        r"Total Mac Addresses for this criterion:\s*\d+",
        "Total Mac Addresses for this criterion: …",
    ),
}


def complete(command: str, output: str) -> str | None:
    """Why ``output`` does not look like the whole answer to ``command``, or ``None``."""
    if PAGER in output:
        return f"looks truncated: a `{PAGER}` pager prompt is in it (the terminal paged)"
    rule = RULES.get(" ".join(command.split()))
    return rule(output) if rule else None
