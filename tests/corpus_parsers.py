"""The parsers the corpus can measure, each as ``case -> records`` (tests/corpus_fields.py).

- ``fleetaudit``: scan's own path, the command's TTP template and normaliser.
- ``napalm``: napalm's IOS driver getter fed the case's output instead of a device, its
  JSON read into fleetaudit's facts (tests/corpus_napalm.py; fleetaudit runs no getter).
- ``ntc``: ntc-templates via TextFSM (``pip install ntc_templates``; not a fleetaudit
  dependency). The corpus *is* ntc-templates' own test data, so its score there is high
  by construction; it says how far ours is from it, not how good ntc is elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corpus_fields import Record, as_records, fleetaudit_records, mapped
from corpus_napalm import READERS

from fleetaudit.normalise import Output
from fleetaudit.parse import to_data

Parser = Callable[[Path], list[Record] | None]

# command folder -> (napalm getter, the command its IOS driver sends, fleetaudit source)
_NAPALM = {
    "cisco_ios/show_mac_address-table": (
        "get_mac_address_table",
        "show mac address-table",
        "napalm get_mac_address_table",
    ),
    "cisco_ios/show_lldp_neighbors_detail": (
        "get_lldp_neighbors_detail",
        "show lldp neighbors detail",
        "napalm get_lldp_neighbors_detail",
    ),
}

_NTC_COMMANDS = {
    "cisco_ios/show_version": ("cisco_ios", "show version"),
    "cisco_ios/show_cdp_neighbors_detail": ("cisco_ios", "show cdp neighbors detail"),
    "cisco_ios/show_lldp_neighbors_detail": ("cisco_ios", "show lldp neighbors detail"),
    "cisco_ios/show_mac_address-table": ("cisco_ios", "show mac address-table"),
    "cisco_asa/show_version": ("cisco_asa", "show version"),
    "mikrotik_routeros/system_resource_print": ("mikrotik_routeros", "system resource print"),
}


def _fleetaudit() -> tuple[Parser, set[str] | None]:
    return fleetaudit_records, None


def _napalm() -> tuple[Parser, set[str] | None]:
    from napalm.ios.ios import IOSDriver

    def offline(outputs: dict[str, str]) -> Any:
        """napalm's IOS driver answering from saved outputs instead of a device (an
        instance attribute: napalm finds its TextFSM templates next to its own class)."""
        driver = IOSDriver("offline", "user", "password")

        def send(command: str | list[str], *_: Any, **__: Any) -> str:
            tried = command if isinstance(command, list) else [command]  # napalm tries in turn
            return next((outputs[c] for c in tried if c in outputs), "")

        driver._send_command = send
        return driver

    def parse(case: Path) -> list[Record] | None:
        command = f"{case.parent.parent.name}/{case.parent.name}"
        getter, sent, source = _NAPALM[command]
        driver = offline({sent: case.read_text(encoding="utf-8")})
        try:
            result = getattr(driver, getter)()
        except Exception:  # a getter that cannot read this output: the fact is unknown
            return None
        normalise = READERS[source]
        facts = normalise(None, Output(source, json.dumps(result)))
        platform, slug = command.split("/")
        fact = "mac_table" if "mac" in getter else "lldp_neighbors"
        return as_records(platform, slug, to_data(facts.get(fact)))

    return parse, set(_NAPALM)


def _ntc() -> tuple[Parser, set[str] | None]:
    from ntc_templates.parse import parse_output  # type: ignore[import-not-found]

    def parse(case: Path) -> list[Record] | None:
        folder = f"{case.parent.parent.name}/{case.parent.name}"
        platform, command = _NTC_COMMANDS[folder]
        try:
            rows = parse_output(
                platform=platform, command=command, data=case.read_text(encoding="utf-8")
            )
        except Exception:  # no template or a TextFSM error: the fact is unknown
            return None
        # through the same ntc -> fleetaudit mapping as the expected values
        return mapped(case.parent.parent.name, case.parent.name, rows)

    return parse, set(_NTC_COMMANDS)


PARSERS: dict[str, Callable[[], tuple[Parser, set[str] | None]]] = {
    "fleetaudit": _fleetaudit,
    "napalm": _napalm,
    "ntc": _ntc,
}
