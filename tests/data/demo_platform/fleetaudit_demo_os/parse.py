"""The demo platform's one normaliser: ``show config`` -> the ``sip_alg`` fact."""

from __future__ import annotations

from typing import Any

from fleetaudit.facts import SipAlg
from fleetaudit.normalise import Output, source


@source("demo_os", "show config", facts=("sip_alg",))
def show_config(parsed: Any, out: Output) -> dict[str, Any]:
    line = out.find_prefix("set sip-alg ")
    if line is None:
        return {"sip_alg": None}  # not said: unknown, never "off"
    enabled = out.lines[line - 1].split()[-1] == "enable"
    state = "on" if enabled else "off"
    return {"sip_alg": SipAlg(enabled, f"sip-alg {state}", [out.ref_line(line)], ["udp"])}
