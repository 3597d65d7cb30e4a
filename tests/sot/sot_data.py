"""The lab's office1 as a source of truth holds it: devices (platform and role *names*,
site, primary IP), config contexts (the provider profile and the site's voice targets,
assigned to the site; each device's port and credential groups in its local context), and
the local folder (sot.yaml, groups.yaml with the credentials only, defaults.yaml) that
`--inventory nautobot://` / `netbox://` reads next to it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fleetaudit.paths import builtin_dir

SOT_MAP = builtin_dir("inventory") / "sot.yaml"
CREDENTIAL_GROUPS = ("lab", "phones_lab")


@dataclass
class SotDevice:
    name: str
    platform: str  # the SoT's platform name
    role: str  # the SoT's role name
    site: str
    address: str
    local_context: dict[str, Any]


@dataclass
class SotSite:
    name: str
    devices: list[SotDevice]
    contexts: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> data


def merge(*contexts: dict[str, Any]) -> dict[str, Any]:
    """Config contexts merged as NetBox and Nautobot render them (deep, later wins)."""
    out: dict[str, Any] = {}
    for context in contexts:
        for key, value in context.items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = merge(out[key], value)
            else:
                out[key] = value
    return out


def site_from_lab(inventory: Path, site: str) -> SotSite:
    hosts = yaml.safe_load((inventory / "hosts.yaml").read_text())
    groups = yaml.safe_load((inventory / "groups.yaml").read_text())
    sot_map = yaml.safe_load(SOT_MAP.read_text())
    platform_name = {v: k for k, v in reversed(sot_map["platforms"].items())}
    role_name = {v: k for k, v in reversed(sot_map["roles"].items())}
    site_group = groups[f"site_{site}"]
    contexts: dict[str, dict[str, Any]] = {}
    for parent in site_group.get("groups", []):
        if parent not in CREDENTIAL_GROUPS:  # a provider profile
            contexts[f"provider {parent}"] = {"fleetaudit": {"data": groups[parent]["data"]}}
    targets = site_group["data"]["voip_targets"]
    contexts[f"site {site}"] = {"fleetaudit": {"data": {"voip_targets": targets}}}
    devices = []
    for name, entry in hosts.items():
        if f"site_{site}" not in entry.get("groups", []):
            continue
        credential_groups: list[str] = []
        for group in entry["groups"]:
            chain = site_group.get("groups", []) if group == f"site_{site}" else [group]
            credential_groups += [g for g in chain if g in CREDENTIAL_GROUPS]
        data = {k: v for k, v in entry.get("data", {}).items() if k not in ("role", "lab")}
        local: dict[str, Any] = {"port": entry["port"], "groups": credential_groups}
        if data:
            local["data"] = data
        devices.append(
            SotDevice(
                name=name,
                platform=platform_name[entry["platform"]],
                role=role_name[entry["data"]["role"]],
                site=site,
                address=entry["hostname"],
                local_context={"fleetaudit": local},
            )
        )
    return SotSite(site, devices, contexts)


def local_folder(inventory: Path, dest: Path) -> Path:
    """sot.yaml, the credential groups and the defaults: what stays local. Returns sot.yaml."""
    dest.mkdir(parents=True, exist_ok=True)
    groups = yaml.safe_load((inventory / "groups.yaml").read_text())
    kept = {name: groups[name] for name in CREDENTIAL_GROUPS}
    (dest / "groups.yaml").write_text(yaml.safe_dump(kept, sort_keys=False))
    shutil.copy(inventory / "defaults.yaml", dest / "defaults.yaml")
    shutil.copy(SOT_MAP, dest / "sot.yaml")
    return dest / "sot.yaml"
