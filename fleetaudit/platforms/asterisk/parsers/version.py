"""``core show version``.

Format, from ``main/asterisk.c`` ``show_version`` (13 to 22):
``"Asterisk %s built by %s @ %s on a %s running %s on %s"``. The remote console's banner
(``"Connected to Asterisk %s currently running on %s (pid = %d)"``) names the version too
and is read when the command's own line is absent.
"""

from __future__ import annotations

import re

from fleetaudit.facts import Ref
from fleetaudit.platforms.asterisk.facts import AsteriskVersion, Refused, Unknown
from fleetaudit.platforms.asterisk.parsers.common import lines_of, not_found

COMMAND = "core show version"
BUILT = re.compile(r"^\s*Asterisk (?P<version>\S+) built by ")
BANNER = re.compile(r"Connected to Asterisk (?P<version>\S+) currently running on ")
NUMBERS = re.compile(r"^(?:certified/)?(?P<major>\d+)(?:\.(?P<minor>\d+))?(?:\.(?P<patch>\d+))?")


def parse_core_show_version(text: str) -> AsteriskVersion | Refused | Unknown:
    lines = lines_of(text)
    for pattern in (BUILT, BANNER):
        for line in lines:
            if match := pattern.search(line.text):
                return _version(match["version"], line.ref(COMMAND))
    return not_found(text, COMMAND, "Asterisk <version> built by")


def _version(text: str, ref: Ref) -> AsteriskVersion:
    numbers = NUMBERS.match(text)
    major = minor = patch = None
    if numbers:
        major = int(numbers["major"])
        minor = int(numbers["minor"]) if numbers["minor"] else None
        patch = int(numbers["patch"]) if numbers["patch"] else None
    return AsteriskVersion(
        text=text,
        major=major,
        minor=minor,
        patch=patch,
        certified="cert" in text,
        ref=ref,
    )
