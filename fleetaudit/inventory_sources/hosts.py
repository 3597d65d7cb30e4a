"""Source-of-truth devices as Nornir host entries (the shape of a ``hosts.yaml`` entry),
each mistake named by device and the ``sot.yaml`` key that fixes it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from fleetaudit.errors import UsageError, raise_all
from fleetaudit.inventory_sources.config import SotConfig
from fleetaudit.inventory_sources.source import Device, Source
from fleetaudit.settings import HostData, Port, Settings, did_you_mean, validated


class ContextEntry(Settings):
    """The config context's ``fleetaudit`` key: what the SoT holds for fleetaudit alone."""

    port: Port | None = None
    groups: list[str] = []  # local groups (credentials); listed first wins, as in Nornir
    data: HostData | None = None


def host_entries(
    source: Source,
    devices: list[Device],
    config: SotConfig,
    config_path: Path,
    groups: dict[str, Any],
) -> dict[str, dict[str, Any]]:
    """``{device name: hosts.yaml-shaped entry}``; every device's mistakes at once."""
    entries: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for device in devices:
        try:
            entries[device.name] = _entry(source, device, config, config_path, groups)
        except UsageError as exc:
            problems.append(str(exc))
    raise_all(problems, f"the devices of {source}", most=8)
    if not entries:
        raise UsageError(f"{source} serves no device; add devices or check the token's rights")
    return entries


def _mapped(kind: str, value: str | None, known: dict[str, Any], where: str, path: Path) -> Any:
    if value is None:
        raise UsageError(f"{where} has no {kind}; set one in the source of truth")
    if value not in known:
        hint = did_you_mean(value, known, f"{kind} names") if known else "none mapped yet"
        raise UsageError(
            f"{where} has {kind} {value!r}, which {path}: {kind}s does not map ({hint}); "
            f"add `{value}: <fleetaudit {kind}>` under {kind}s"
        )
    return known[value]


def _entry(
    source: Source, device: Device, config: SotConfig, path: Path, groups: dict[str, Any]
) -> dict[str, Any]:
    where = f"{source}: device {device.name}"
    platform = _mapped("platform", device.platform, config.platforms, where, path)
    role = _mapped("role", device.role, config.roles, where, path)
    if not device.site:
        raise UsageError(f"{where} has no site/location; assign it one in the source of truth")
    if not device.address:
        raise UsageError(f"{where} has no primary IP; set its primary IPv4/IPv6 address")
    raw_context = device.context.get(config.context_key) or {}
    context = validated(ContextEntry, raw_context, f"{where}: config context {config.context_key}")
    for group in context.groups:
        if group not in groups:
            raise UsageError(
                f"{where}: config context {config.context_key}.groups names {group!r}, not a "
                f"group of {path.parent / 'groups.yaml'}; {did_you_mean(group, groups, 'groups')}"
            )
    data: dict[str, Any] = copy.deepcopy(raw_context.get("data") or {})  # cached: keep it
    data.update(site=device.site, role=role)
    entry: dict[str, Any] = {
        "hostname": device.address,
        "platform": platform,
        "groups": list(context.groups),
        "data": data,
    }
    port = context.port or _port_field(device, config, where)
    if port is not None:
        entry["port"] = port
    return entry


def _port_field(device: Device, config: SotConfig, where: str) -> int | None:
    if config.port_custom_field is None:
        return None
    value = device.custom_fields.get(config.port_custom_field)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 65536:
        raise UsageError(
            f"{where}: custom field {config.port_custom_field} is {value!r}; "
            "write a TCP port 1-65535"
        )
    return value
