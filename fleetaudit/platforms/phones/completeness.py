"""What a whole answer from a phone looks like: by what the text is, since a call's
answer (JSON, XML, an HTML page) and a provisioning file scanned in its place (XML,
``key = value`` lines) may stand for the same command.

JSON and XML close themselves: a cut document does not parse. ``key = value`` files have
no closing line: a line cut before its ``=`` shows; one cut inside its value does not.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from fleetaudit.platforms.phones.vendors import VENDORS

_INI_SECTION = re.compile(r"\[\s*[\w .-]+\s*\]\s*$", re.MULTILINE)  # `[ account ]`
_SETTING = re.compile(r"[^=\s][^=]*=.*|\[[^\]]*\]|[#;].*|!.*")


def _text_lines(text: str) -> str | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not _SETTING.fullmatch(line.strip()):
            return f"looks truncated or garbled: line {number} `{line.strip()[:60]}` is no setting"
    return None


def _document(text: str) -> str | None:
    if text.startswith("{") or (text.startswith("[") and not _INI_SECTION.match(text)):
        try:
            json.loads(text)
        except ValueError as exc:
            return f"looks truncated or garbled: its JSON does not parse ({exc})"
        return None
    if text.startswith("<"):
        if "<html" in text[:500].lower():
            return None  # an error page, not this call's answer: the normaliser says so
        try:
            ET.fromstring(text)
        except ET.ParseError as exc:
            return f"looks truncated or garbled: its XML does not parse ({exc})"
        return None
    return _text_lines(text)


def completeness(platform: str) -> Callable[[str, str], str | None]:
    """The completeness rule of one phone vendor's answers."""
    bodies = {call.command: call.body for call in VENDORS[platform].calls}

    def complete(command: str, output: str) -> str | None:
        text = output.strip()
        if bodies.get(command) == "html" and "<html" in text[:500].lower():
            if "</html>" not in text[-2000:].lower():
                return "looks truncated: no closing `</html>`"
            return None
        return _document(text)

    return complete
