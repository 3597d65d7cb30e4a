"""The PBX's configuration as the checks read it: every ``conf:<name>`` fact of a host put
together (``#include`` resolved by :func:`parsers.conf.parse_conf`) into the derived facts
of :mod:`parsers.conf_facts`. ``None`` where the root file was not read (unknown); a root
file that does not exist on the PBX gives empty objects (nothing configured there)."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from typing import Any, TypeVar

from fleetaudit.platforms.asterisk.facts import ConfTree, PjsipConfig, RtpRange, SipConfig
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


def _unread_include(facts: Mapping[str, Any], tree: ConfTree) -> bool:
    """Whether the tree includes a file that was asked for but not read whole (its fact
    unknown): the configuration put together without it is not the PBX's."""
    unread = {key[5:] for key, value in facts.items() if key.startswith("conf:") and value is None}
    return any(PurePosixPath(i.target).name in unread for i in tree.includes)


def _tree(facts: Mapping[str, Any], name: str) -> ConfTree | None:
    tree = parse_conf(conf_files(facts), f"{CONFIG_DIR}/{name}")
    return None if _unread_include(facts, tree) else tree


def _root(facts: Mapping[str, Any], name: str) -> ConfFile | None:
    value = facts.get(f"conf:{name}")
    return value if isinstance(value, ConfFile) else None


Derived = TypeVar("Derived")
# root file -> {(file name, the host's conf:* facts): what was derived from them}; weak,
# so a host's derived configs go with its facts. Five checks ask for one PBX's pjsip.conf.
_DERIVED: weakref.WeakKeyDictionary[ConfFile, dict[tuple[str, tuple[Any, ...]], Any]] = (
    weakref.WeakKeyDictionary()
)


def _derived(
    facts: Mapping[str, Any],
    root: ConfFile,
    name: str,
    derive: Callable[[ConfTree], Derived],
) -> Derived | None:
    """``derive`` of the tree put together from ``name``, once per host's files: the
    checks reading one PBX's pjsip.conf share it (derived facts are frozen)."""
    key = (name, _files_key(facts))
    known = _DERIVED.setdefault(root, {})
    if key not in known:
        if len(known) >= 4:  # the same file among other files: not the common case
            known.clear()
        tree = _tree(facts, name)
        known[key] = None if tree is None else derive(tree)
    found: Derived | None = known[key]
    return found


def derived_configs() -> list[ConfFile]:
    """The root files whose derived configs are held (tests: none outlive their host)."""
    return list(_DERIVED.keys())


def _files_key(facts: Mapping[str, Any]) -> tuple[Any, ...]:
    """What :func:`_tree` reads of the facts: each file's name and text, and which were
    not read. (Texts, not the ConfFile keys: a value holding its weak key would keep it.)"""
    return tuple(
        (fact, value.name, value.text) if isinstance(value, ConfFile) else (fact, value is None)
        for fact, value in facts.items()
        if fact.startswith("conf:")
    )


def pjsip(facts: Mapping[str, Any]) -> PjsipConfig | None:
    root = _root(facts, "pjsip.conf")
    if root is None:
        return None
    if root.text is None:
        return PjsipConfig((), (), (), (), (), ())
    return _derived(facts, root, "pjsip.conf", pjsip_config)


def sip(facts: Mapping[str, Any]) -> SipConfig | None:
    root = _root(facts, "sip.conf")
    if root is None or root.text is None:
        return None
    return _derived(facts, root, "sip.conf", sip_config)


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
    return _derived(facts, root, "rtp.conf", rtp_range)
