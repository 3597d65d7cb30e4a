"""Which devices the lab serves: the Nornir inventory, its ``data.lab`` keys, bench clones.

The lab reads the same inventory the tool uses (group inheritance included). Per host,
``data.lab`` may say which fixture set to serve (``fixtures``, default: the host's name)
and which fault to play (``fault``, ``command``). ``write_inventory`` writes a copy of
the inventory that points at the ports the lab really listens on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from nornir.core.inventory import Host

from fleetaudit import platforms
from fleetaudit.errors import UsageError
from fleetaudit.nornir_inventory import built_inventory
from fleetaudit.yamlfile import inventory_yaml

FAULTS = ("wrong_password", "no_banner", "hang", "drop", "closed")
PHONE_FAULTS = ("server_error", "not_json", "truncated", "slow")  # HTTP only
BENCH_SITE = "bench"
BENCH_FIRST_PORT = 20001
CLONE_SOURCE_SITE = "office1"
BENCH_ZONES = ("zone-a", "zone-b")  # clone sites alternate over these (inventory data `zone`)


@dataclass(frozen=True)
class LabHost:
    """One simulated device: what it is, how to log in, what it answers, how it fails."""

    name: str
    platform: str
    site: str | None
    role: str | None
    port: int | None
    username: str
    password: str
    secret: str | None
    fixtures: Path  # directory of <command_slug>.txt outputs
    fault: str | None = None
    fault_command: str | None = None
    routeros_version: str | None = None  # "6.49.10"; None: read from the fixtures
    clone_of: str | None = None
    tls: bool = False  # phones: serve HTTPS (data.lab.tls)
    delay_s: float = 0.0  # phones: the `slow` fault's delay (data.lab.delay)
    auth: str | None = None  # phones: the login scheme to ask for (data.lab.auth)


def _served_over(platform: str) -> str | None:
    """How the lab serves a platform's devices (``"ssh"``, ``"http"``), ``None``: not at all."""
    found = platforms.registry().get(platform)
    return found.transport if found is not None and found.lab is not None else None


def _lab_host(host: Host, inventory: Path) -> LabHost:
    lab: dict[str, Any] = host.get("lab") or {}
    fault = lab.get("fault")
    phone = _served_over(str(host.platform)) == "http"
    known = (*FAULTS, *PHONE_FAULTS) if phone else FAULTS
    if fault is not None and fault not in known:
        raise UsageError(
            f"{inventory / 'hosts.yaml'}: host {host.name}: data.lab.fault {fault!r} is "
            f"unknown; use one of {', '.join(known)}"
        )
    command = lab.get("command")
    if fault in ("hang", "drop") and not command and not phone:
        raise UsageError(
            f"{inventory / 'hosts.yaml'}: host {host.name}: data.lab.fault {fault} needs "
            f"data.lab.command (the command that {fault}s)"
        )
    extras = host.get_connection_parameters("netmiko").extras or {}
    version = lab.get("version")
    return LabHost(
        name=host.name,
        platform=str(host.platform),
        site=host.get("site"),
        role=host.get("role"),
        port=host.port,
        username=host.username or "",
        password=host.password or "",
        secret=extras.get("secret"),
        fixtures=inventory / "lab" / str(lab.get("fixtures") or host.name),
        fault=fault,
        fault_command=" ".join(str(command).split()) if command else None,
        routeros_version=str(version) if version is not None else None,
        tls=bool(lab.get("tls", False)),
        delay_s=float(lab.get("delay", 5)),
        auth=str(lab["auth"]) if lab.get("auth") else None,
    )


def _load_nornir(inventory: Path) -> dict[str, Host]:
    files = [inventory / f"{n}.yaml" for n in ("hosts", "groups", "defaults")]
    if not files[0].is_file():
        raise UsageError(f"{files[0]} not found; point --inventory at a Nornir inventory")
    read = {f.name: _read_yaml(f) for f in files}
    return dict(built_inventory(read).hosts)


def short_name(host: LabHost) -> str:
    """``office1-gw1`` → ``gw1`` (the site prefix dropped), for clone names."""
    prefix = f"{host.site}-"
    return host.name[len(prefix) :] if host.site and host.name.startswith(prefix) else host.name


def bench_site(index: int, sites: int) -> str:
    """The name of clone site ``index`` (0-based) of ``sites``: ``bench`` when there is one,
    else ``bench01``, ``bench02``, ...

    >>> bench_site(0, 1), bench_site(6, 20)
    ('bench', 'bench07')
    """
    return BENCH_SITE if sites <= 1 else f"{BENCH_SITE}{index + 1:02d}"


def clones(sources: list[LabHost], count: int, sites: int = 1) -> list[LabHost]:
    """``count`` bench devices on ports 20001 upward, in ``sites`` sites of consecutive
    devices, each site round-robin over ``sources`` (a whole office1 when ``count / sites``
    is at least office1's size)."""
    if count and not sources:
        raise UsageError(
            f"--devices needs the hosts of site {CLONE_SOURCE_SITE} to clone; "
            "the inventory has none"
        )
    if sites < 1 or (count and sites > count):
        raise UsageError(f"--sites must be between 1 and --devices ({count}); got {sites}")
    made = []
    first_of_site = 0
    for i in range(count):
        site = i * sites // count
        if i and site != (i - 1) * sites // count:
            first_of_site = i
        source = sources[(i - first_of_site) % len(sources)]  # each site starts with gw1
        made.append(
            replace(
                source,
                name=f"bench-{i + 1:04d}-{short_name(source)}",
                site=bench_site(site, sites),
                port=BENCH_FIRST_PORT + i,
                clone_of=source.name,
            )
        )
    return made


def load_hosts(
    inventory: Path, site: str | None = None, devices: int = 0, sites: int = 1
) -> list[LabHost]:
    """The devices to serve: ``site``'s hosts (all when None) plus ``devices`` clones
    spread over ``sites`` sites (``--site bench``: the clones alone).

    HTTP platforms (phones) are served by their own lab device class, the others over SSH.
    """
    hosts = [_lab_host(h, inventory) for h in _load_nornir(inventory).values()]
    hosts = [h for h in hosts if _served_over(h.platform) is not None]
    sources = [
        h for h in hosts if h.site == CLONE_SOURCE_SITE and _served_over(h.platform) == "ssh"
    ]
    bench = clones(sources, devices, sites)
    selected = [h for h in hosts if site is None or h.site == site]
    if site is not None and not selected and not (site == BENCH_SITE and bench):
        known = sorted({h.site for h in hosts if h.site})
        raise UsageError(f"site {site!r} is not in {inventory}; known sites: {', '.join(known)}")
    return selected + bench


def _read_yaml(path: Path) -> dict[str, Any]:
    """Read as Nornir does (YAML 1.2: `off` stays a string), so the copy means the same."""
    if not path.is_file():
        return {}
    data = inventory_yaml().load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def write_inventory(
    inventory: Path, dest: Path, hosts: list[LabHost], ports: dict[str, int], address: str
) -> Path:
    """Write hosts/groups/defaults.yaml to ``dest``: the served hosts at their real ports.

    Only the served hosts are written (a site filter applies); clones join group
    ``site_bench`` (``site_bench01``... when spread over sites, each with a ``zone`` of
    ``BENCH_ZONES`` in turn), which has ``site_office1``'s parent groups (the ``lab``
    credentials and office1's provider profile), else just ``lab``.
    """
    dest.mkdir(parents=True, exist_ok=True)
    raw_hosts = _read_yaml(inventory / "hosts.yaml")
    groups = _read_yaml(inventory / "groups.yaml")
    out: dict[str, Any] = {}
    for host in hosts:
        entry = dict(raw_hosts.get(host.clone_of or host.name) or {})
        entry["hostname"] = address
        entry["port"] = ports[host.name]
        if platforms.get(host.platform).lab_serves_config:  # its provisioning file too
            data = dict(entry.get("data") or {})
            scheme = "https" if host.tls else "http"
            phone = {
                **(data.get("phone") or {}),
                "config_server": f"{scheme}://{address}:{ports[host.name]}",
            }
            entry["data"] = {**data, "phone": phone}
        if host.clone_of:
            source = dict(entry.get("data") or {})
            lab = dict(source.get("lab") or {})
            lab["fixtures"] = host.fixtures.name
            source.pop("site", None)
            entry["data"] = {**source, "lab": lab}
            entry["groups"] = [f"site_{host.site}"]
        out[host.name] = entry
    clone_sites = list(dict.fromkeys(str(h.site) for h in hosts if h.clone_of))
    for index, site in enumerate(clone_sites):
        bench: dict[str, Any] = {"data": {"site": site}}
        if site != BENCH_SITE:
            bench["data"]["zone"] = BENCH_ZONES[index % len(BENCH_ZONES)]
        source_site = (groups.get(f"site_{CLONE_SOURCE_SITE}") or {}).get("groups")
        if source_site:  # the same provider profile and credentials as office1
            bench["groups"] = list(source_site)
        elif "lab" in groups:
            bench["groups"] = ["lab"]
        else:
            first = next(h for h in hosts if h.clone_of)
            bench["username"], bench["password"] = first.username, first.password
            if first.secret is not None:
                bench["connection_options"] = {"netmiko": {"extras": {"secret": first.secret}}}
        groups[f"site_{site}"] = bench
    for name, data in (
        ("hosts", out),
        ("groups", groups),
        ("defaults", _read_yaml(inventory / "defaults.yaml")),
    ):
        (dest / f"{name}.yaml").write_text(
            yaml.safe_dump(data, sort_keys=False, default_flow_style=False), encoding="utf-8"
        )
    return dest
