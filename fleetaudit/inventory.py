"""Nornir inventory: load it, check it, resolve credentials, select a site.

Credentials for real sites never sit in the inventory: ``username``, ``password`` and the
netmiko ``secret`` may be ``env:NAME`` (an environment variable) or
``keyring:SERVICE/USER`` (the system keyring, with the ``keyring`` package installed).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from nornir.core import Nornir
from nornir.core.configuration import Config
from nornir.core.inventory import Host, Inventory
from nornir.init_nornir import load_runner

from fleetaudit import inventory_sources, platforms
from fleetaudit.errors import UsageError, raise_all
from fleetaudit.nornir_inventory import built_inventory
from fleetaudit.policy import VoipPolicy, load_policy, load_targets
from fleetaudit.settings import DefaultsEntry, InventoryEntry, Timeouts, did_you_mean, validated
from fleetaudit.yamlfile import parse_yaml, read_bytes

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


def _raw(directory: Path, files: tuple[str, ...] = FILES) -> dict[str, bytes | None]:
    """Each file's bytes (None: absent), read once."""
    if "hosts.yaml" in files and not (directory / "hosts.yaml").is_file():
        raise UsageError(
            f"{directory}/hosts.yaml not found; point --inventory at a Nornir SimpleInventory "
            "folder (hosts.yaml, groups.yaml, defaults.yaml)"
        )
    return {
        name: read_bytes(directory / name, "inventory") if (directory / name).is_file() else None
        for name in files
    }


def _parse(directory: Path, raw: dict[str, bytes | None]) -> dict[str, dict[str, Any]]:
    """``{file name: its mapping}``."""
    loaded: dict[str, dict[str, Any]] = {}
    for name, content in raw.items():
        path = directory / name
        data = None if content is None else parse_yaml(content, path, "inventory", nornir=True)
        if data is not None and not isinstance(data, dict):
            raise UsageError(f"{path}: must be a mapping of names to settings")
        loaded[name] = data or {}
    return loaded


def _check_groups(directory: Path, files: dict[str, dict[str, Any]]) -> None:
    """Every group named exists, and no group is its own ancestor."""
    groups = files["groups.yaml"]
    for name in ("hosts.yaml", "groups.yaml"):
        for entry, settings in files.get(name, {}).items():
            for group in (settings or {}).get("groups") or []:
                if group not in groups:
                    raise UsageError(
                        f"{directory / name}: {entry}.groups names the unknown group "
                        f"{group!r}; {did_you_mean(str(group), groups)}"
                    )
    done: set[str] = set()

    def visit(group: str, trail: list[str]) -> None:
        if group in trail:
            cycle = " -> ".join([*trail[trail.index(group) :], group])
            raise UsageError(
                f"{directory / 'groups.yaml'}: groups form a cycle ({cycle}); "
                "remove one of these parent groups"
            )
        if group in done:
            return
        for parent in (groups[group] or {}).get("groups") or []:
            visit(parent, [*trail, group])
        done.add(group)

    for group in groups:
        visit(group, [])


def _validate_files(directory: Path, files: dict[str, dict[str, Any]]) -> None:
    """Each entry against the models, and its provider profile and voice targets judged,
    so every mistake names its file before anything connects; every entry's mistakes are
    reported at once."""
    problems: list[str] = []
    for name, entries in files.items():
        path = directory / name
        if name == "defaults.yaml":
            items: list[tuple[str, Any, type[DefaultsEntry]]] = [("", entries, DefaultsEntry)]
        else:
            items = [(entry, settings, InventoryEntry) for entry, settings in entries.items()]
        for entry, settings, model in items:
            try:
                _validate_entry(path, entry, settings, model)
            except UsageError as exc:
                problems.append(str(exc))
    raise_all(problems, "the inventory", most=8)


def _validate_entry(
    path: Path | str, entry: str, settings: Any, model: type[InventoryEntry | DefaultsEntry]
) -> None:
    where = f"{path}: {entry}" if entry else f"{path}: "
    checked = validated(model, settings or {}, where)
    data = checked.data
    prefix = f"{where}.data" if entry else f"{path}: data"
    if data is not None and data.voip is not None:
        load_policy(settings["data"]["voip"], prefix)
    if data is not None and data.voip_targets is not None:
        load_targets(settings["data"]["voip_targets"], f"{prefix}.voip_targets")


_SPARE: dict[tuple[Any, ...], Inventory] = {}  # left by a read-only load for the next one


def _folder_inventory(directory: Path, read_only: bool) -> Inventory:
    """The folder's three files parsed, validated whole and built. A run loads the same
    folder twice (its policies before anything else, then the audit): the first, a
    read-only load, leaves what it built for the second when the bytes are unchanged."""
    raw = _raw(directory)
    key = (
        directory.resolve(),
        tuple(platforms.names()),
        *(None if b is None else hashlib.sha256(b).digest() for b in raw.values()),
    )
    built = _SPARE.pop(key, None)
    if built is None:
        files = _parse(directory, raw)
        _check_groups(directory, files)
        _validate_files(directory, files)
        built = built_inventory(files)
        _validate_hosts(built, f"{directory}/hosts.yaml")
    if read_only:
        _SPARE.clear()
        _SPARE[key] = built
    return built


def _from_source(source: inventory_sources.Source) -> dict[str, dict[str, Any]]:
    """A source of truth's devices as hosts, with the local groups and defaults (their
    credentials) next to ``sot.yaml``; all validated before anything connects."""
    config, config_path = inventory_sources.load_config()
    folder = config_path.parent
    local = _parse(folder, _raw(folder, ("groups.yaml", "defaults.yaml")))
    _check_groups(folder, local)
    _validate_files(folder, local)
    devices = inventory_sources.fetch(source, config.page_size)
    hosts = inventory_sources.host_entries(
        source, devices, config, config_path, local["groups.yaml"]
    )
    problems = []
    for name, entry in hosts.items():
        try:
            _validate_entry(str(source), f"device {name}", entry, InventoryEntry)
        except UsageError as exc:
            problems.append(str(exc))
    raise_all(problems, f"the devices of {source}", most=8)
    files = {"hosts.yaml": hosts, **local}
    _anchor_known_hosts(files, folder)
    return files


def _anchor_known_hosts(files: dict[str, dict[str, Any]], folder: Path) -> None:
    """A relative ``data.known_hosts`` is read from the folder of ``sot.yaml`` (the audit
    reads it from the inventory folder, which a URL is not)."""
    entries = [*files["hosts.yaml"].values(), *files["groups.yaml"].values()]
    for entry in [*entries, files["defaults.yaml"]]:
        data = (entry or {}).get("data") or {}
        path = data.get("known_hosts")
        if isinstance(path, str) and path.strip():
            data["known_hosts"] = str(folder / os.path.expanduser(path))


def local_folder(inventory: Path) -> Path:
    """The folder of the inventory's local files (``waivers.yaml``...): the inventory
    folder itself, or for a source of truth the folder of its ``sot.yaml``."""
    if inventory_sources.source_of(inventory) is None:
        return inventory
    return inventory_sources.config_folder()


def load_nornir(directory: Path, workers: int, *, read_only: bool = False) -> Nornir:
    """The inventory read once, validated whole, then handed to Nornir. ``directory`` is a
    SimpleInventory folder or a source of truth (``nautobot://…``, ``netbox://…``).
    ``read_only``: the caller neither changes the hosts nor connects (it reads names,
    sites, policies), so the next load of the unchanged folder takes these hosts."""
    source = inventory_sources.source_of(directory)
    if source is None:
        built = _folder_inventory(directory, read_only)
    else:
        built = built_inventory(_from_source(source))
        _validate_hosts(built, str(source))
    config = Config.from_dict(
        runner={"plugin": "threaded", "options": {"num_workers": workers}},
        logging={"enabled": False},
    )
    return Nornir(inventory=built, runner=load_runner(config), config=config)


def _validate_hosts(built: Inventory, where: str) -> None:
    problems = []
    for host in built.hosts.values():
        try:
            _validate_host(host, where)
        except UsageError as exc:
            problems.append(str(exc))
    raise_all(problems, where)


def _validate_host(host: Host, where_file: str) -> None:
    """What only the merged host shows: its platform and address, wherever they came from."""
    where = f"{where_file}: {host.name}"
    if host.platform not in platforms.names():
        raise UsageError(
            f"{where}.platform is {host.platform!r}; use one of {', '.join(platforms.names())}"
        )
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


def select(nornir: Nornir, site: str | None, limit: tuple[str, ...] = ()) -> Nornir:
    """The hosts of one site (all hosts when ``site`` is None), narrowed by ``--limit``:
    a host stays when its name, one of its groups or its role is one of the terms (Nornir
    ``F(name=t) | F(groups__contains=t) | F(role=t)`` over every term)."""
    selected = nornir
    if site is not None:
        selected = nornir.filter(filter_func=lambda h: site_of(h) == site)
        if not selected.inventory.hosts:
            known = sorted({s for h in nornir.inventory.hosts.values() if (s := site_of(h))})
            raise UsageError(
                f"no hosts in site {site!r}; sites in the inventory: {', '.join(known)}"
            )
    terms = [t.strip() for term in limit for t in term.split(",") if t.strip()]
    if terms:
        from nornir.core.filter import F

        wanted = F(name__any=terms) | F(role__any=terms)
        for term in terms:
            wanted = wanted | F(groups__contains=term)
        narrowed = selected.filter(wanted)
        if not narrowed.inventory.hosts:
            raise UsageError(
                f"--limit {','.join(terms)}: no host, group or role of that name"
                f"{f' in site {site}' if site else ''}; hosts: "
                f"{', '.join(list(selected.inventory.hosts)[:10])}"
            )
        return narrowed
    return selected


def resolve_credentials(nornir: Nornir) -> None:
    """Every host's ``env:``/``keyring:`` references resolved, the enable secret checked
    too; every one that cannot be resolved is reported at once, each unset variable once
    with the hosts that need it."""
    unset: dict[str, list[str]] = {}
    problems: list[str] = []

    def resolved(value: Any, where: str) -> Any:
        if isinstance(value, str) and value.startswith("env:") and value[4:] not in os.environ:
            unset.setdefault(value[4:], []).append(where)
            return value
        try:
            return resolve_secret(value, where)
        except UsageError as exc:
            problems.append(str(exc))
            return value

    for host in nornir.inventory.hosts.values():
        host.username = resolved(host.username, f"{host.name}.username")
        host.password = resolved(host.password, f"{host.name}.password")
        extras = host.get_connection_parameters("netmiko").extras or {}
        resolved(extras.get("secret"), f"{host.name}.connection_options.netmiko.extras.secret")
    for name, users in unset.items():
        listed = ", ".join(users[:6]) + (f" and {len(users) - 6} more" if len(users) > 6 else "")
        verb = "is" if len(users) == 1 else "are"
        problems.append(f"{listed} {verb} env:{name} but ${name} is not set; export {name}=...")
    raise_all(problems, "the inventory's credentials")


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
    """(connect, command) seconds from ``data.timeouts`` (validated when loaded)."""
    timeouts = validated(Timeouts, host.get("timeouts") or {}, f"{host.name}.data.timeouts")
    return timeouts.connect, timeouts.command
