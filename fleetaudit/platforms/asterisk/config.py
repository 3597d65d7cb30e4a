"""The PBX's configuration as the checks read it: every ``conf:<name>`` fact of a host put
together (``#include`` resolved by :func:`parsers.conf.parse_conf`) into the derived facts
of :mod:`parsers.conf_facts`. ``None`` where the root file was not read (unknown); a root
file that does not exist on the PBX gives empty objects (nothing configured there)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetaudit.platforms.asterisk.facts import PjsipConfig, RtpRange, SipConfig
from fleetaudit.platforms.asterisk.files import ConfFile
from fleetaudit.platforms.asterisk.parsers.conf import CONFIG_DIR, parse_conf
from fleetaudit.platforms.asterisk.parsers.conf_facts import pjsip_config, rtp_range, sip_config


def conf_files(facts: Mapping[str, Any]) -> dict[str, str]:
    """``{/etc/asterisk/<name>: text}`` for every file read that exists."""
    return {
        f"{CONFIG_DIR}/{value.name}": value.text
        for name, value in facts.items()
        if name.startswith("conf:") and isinstance(value, ConfFile) and value.text is not None
    }


def _root(facts: Mapping[str, Any], name: str) -> ConfFile | None:
    value = facts.get(f"conf:{name}")
    return value if isinstance(value, ConfFile) else None


def pjsip(facts: Mapping[str, Any]) -> PjsipConfig | None:
    root = _root(facts, "pjsip.conf")
    if root is None:
        return None
    if root.text is None:
        return PjsipConfig((), (), (), (), (), ())
    return pjsip_config(parse_conf(conf_files(facts), f"{CONFIG_DIR}/pjsip.conf"))


def sip(facts: Mapping[str, Any]) -> SipConfig | None:
    root = _root(facts, "sip.conf")
    if root is None or root.text is None:
        return None
    return sip_config(parse_conf(conf_files(facts), f"{CONFIG_DIR}/sip.conf"))


def sip_configured(facts: Mapping[str, Any]) -> bool | None:
    """Whether sip.conf exists (None: not read)."""
    root = _root(facts, "sip.conf")
    return None if root is None else root.text is not None


def rtp(facts: Mapping[str, Any]) -> RtpRange | None:
    """rtp.conf's range; Asterisk's default 10000-20000 when the file or the keys are absent."""
    root = _root(facts, "rtp.conf")
    if root is None:
        return None
    if root.text is None:
        return RtpRange(10000, 20000, None, None)
    return rtp_range(parse_conf(conf_files(facts), f"{CONFIG_DIR}/rtp.conf"))
