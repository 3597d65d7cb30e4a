"""Nornir inventory: load it, check it, resolve credentials, select a site.

Credentials for real sites never sit in the inventory: ``username``, ``password`` and the
netmiko ``secret`` may be ``env:NAME`` (an environment variable) or
``keyring:SERVICE/USER`` (the system keyring, with the ``keyring`` package installed).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.inventory import Host

from fleetaudit.errors import UsageError
from fleetaudit.phones.vendors import PHONE_PLATFORMS
from fleetaudit.policy import VoipPolicy, load_policy, load_targets

CLI_PLATFORMS = ("cisco_ios", "cisco_asa", "mikrotik_routeros")
ROLES = ("gateway", "router", "firewall", "switch", "phone")
FILES = ("hosts.yaml", "groups.yaml", "defaults.yaml")


def resolve_secret(value: Any, where: str) -> Any:
    """``env:NAME`` / ``keyring:SERVICE/USER`` references to their values."""
    if not isinstance(value, str):
        return value
    if value.startswith("env:"):
        name = value[4:]
        if name not in os.environ:
            raise UsageError(f"{where} is {value} but ${name} is not set; export {name}=...")
        return os.environ[name]
    if value.startswith("keyring:"):
        service, _, user = value[8:].partition("/")
        try:
            import keyring
        except ImportError:
            raise UsageError(f"{where} uses the keyring: pip install keyring") from None
        secret = keyring.get_password(service, user)
        if secret is None:
            raise UsageError(f"{where}: no keyring entry for service {service!r} user {user!r}")
        return secret
    return value


def _check_files(directory: Path) -> None:
    if not (directory / "hosts.yaml").is_file():
        raise UsageError(
            f"{directory}/hosts.yaml not found; point --inventory at a Nornir SimpleInventory "
            "folder (hosts.yaml, groups.yaml, defaults.yaml)"
        )
    for name in FILES:
        path = directory / name
        if not path.is_file():
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise UsageError(f"{path}: not valid YAML ({exc}); fix the file") from None
        if data is not None and not isinstance(data, dict):
            raise UsageError(f"{path}: must be a mapping of names to settings")


def load_nornir(directory: Path, workers: int) -> Nornir:
    _check_files(directory)
    options: dict[str, Any] = {"host_file": str(directory / "hosts.yaml")}
    for key, name in (("group_file", "groups.yaml"), ("defaults_file", "defaults.yaml")):
        if (directory / name).is_file():
            options[key] = str(directory / name)
    try:
        nornir = InitNornir(
            runner={"plugin": "threaded", "options": {"num_workers": workers}},
            inventory={"plugin": "SimpleInventory", "options": options},
            logging={"enabled": False},
        )
    except KeyError as exc:
        raise UsageError(f"{directory}: a host or group names the unknown group {exc}") from None
    except Exception as exc:
        raise UsageError(f"{directory}: inventory does not load ({exc})") from None
    for host in nornir.inventory.hosts.values():
        _validate_host(host, directory)
    return nornir


def _validate_host(host: Host, directory: Path) -> None:
    where = f"{directory}/hosts.yaml: {host.name}"
    if host.platform not in (*CLI_PLATFORMS, *PHONE_PLATFORMS):
        raise UsageError(
            f"{where}.platform is {host.platform!r}; use one of "
            f"{', '.join((*CLI_PLATFORMS, *PHONE_PLATFORMS))}"
        )
    role = host.get("role")
    if role is not None and role not in ROLES:
        raise UsageError(f"{where}.data.role is {role!r}; use one of {', '.join(ROLES)}")
    if not host.hostname:
        raise UsageError(f"{where}.hostname is missing; give the device's address")


def site_of(host: Host) -> str | None:
    site = host.get("site")
    if site:
        return str(site)
    for group in host.groups:
        if group.name.startswith("site_"):
            return group.name[5:]
    return None


def select(nornir: Nornir, site: str | None) -> Nornir:
    """The hosts of one site (all hosts when ``site`` is None)."""
    if site is None:
        return nornir
    selected = nornir.filter(filter_func=lambda h: site_of(h) == site)
    if not selected.inventory.hosts:
        known = sorted({s for h in nornir.inventory.hosts.values() if (s := site_of(h))})
        raise UsageError(f"no hosts in site {site!r}; sites in the inventory: {', '.join(known)}")
    return selected


def resolve_credentials(nornir: Nornir) -> None:
    for host in nornir.inventory.hosts.values():
        host.username = resolve_secret(host.username, f"{host.name}.username")
        host.password = resolve_secret(host.password, f"{host.name}.password")


def enable_secret(host: Host) -> str | None:
    extras = host.get_connection_parameters("netmiko").extras or {}
    secret = resolve_secret(
        extras.get("secret"), f"{host.name}.connection_options.netmiko.extras.secret"
    )
    return str(secret) if secret else None


def policy_of(host: Host) -> VoipPolicy:
    """The provider profile (``data.voip``, usually from the provider's group) with the
    site's own voice targets (``data.voip_targets``, usually from the site's group)."""
    where = f"{host.name}.data"
    policy = load_policy(host.get("voip"), where)
    targets = host.get("voip_targets")
    if targets is None:
        return policy
    return replace(policy, targets=load_targets(targets, f"{where}.voip_targets"))


def timeouts_of(host: Host) -> tuple[float, float]:
    """(connect, command) seconds from ``data.timeouts``."""
    data = host.get("timeouts") or {}
    try:
        return float(data.get("connect", 5)), float(data.get("command", 10))
    except (TypeError, ValueError):
        raise UsageError(f"{host.name}.data.timeouts: connect/command must be seconds") from None
