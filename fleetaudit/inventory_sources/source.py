"""Reading a source of truth through its Nornir inventory plugin, once per run."""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nornir.core.inventory import Host

from fleetaudit.errors import UsageError

KINDS = {"nautobot": "NAUTOBOT", "netbox": "NETBOX"}  # kind -> its environment prefix
_SPEC = re.compile(r"^(nautobot|netbox):/{0,2}([^/]*)/?$")  # argparse's Path folds `//`
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
CACHE_SECONDS = 120.0  # one fetch serves every load of one run; a worker refetches later


@dataclass(frozen=True)
class Source:
    kind: str  # nautobot | netbox
    url: str  # http(s)://HOST[:PORT]

    @property
    def token_variable(self) -> str:
        return f"{KINDS[self.kind]}_TOKEN"

    def __str__(self) -> str:
        return f"{self.kind} {self.url}"


@dataclass(frozen=True)
class Device:
    """What fleetaudit reads of one device, whichever source of truth served it."""

    name: str
    address: str | None
    platform: str | None  # the SoT's platform name, mapped by value in sot.yaml
    role: str | None  # the SoT's role name, mapped by value in sot.yaml
    site: str | None  # Nautobot location / NetBox site name
    context: dict[str, Any] = field(default_factory=dict)  # rendered config context
    custom_fields: dict[str, Any] = field(default_factory=dict)


def source_of(inventory: Path | str) -> Source | None:
    """The source of truth ``--inventory`` names, or None for an inventory folder.

    ``nautobot://HOST[:PORT]`` is http on loopback and https elsewhere; ``nautobot://``
    alone takes ``$NAUTOBOT_URL`` (``$NETBOX_URL`` for netbox).

    >>> source_of(Path("nautobot://127.0.0.1:8080"))
    Source(kind='nautobot', url='http://127.0.0.1:8080')
    >>> source_of("netbox://netbox.example.net").url
    'https://netbox.example.net'
    >>> source_of(Path("inventory")) is None
    True
    """
    match = _SPEC.match(str(inventory))
    if match is None:
        return None
    kind, host = match.groups()
    if not host:
        variable = f"{KINDS[kind]}_URL"
        url = os.environ.get(variable, "").rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise UsageError(
                f"--inventory {kind}:// takes the URL from ${variable}, which is "
                f"{'not set' if not url else 'not an http(s) URL'}; export {variable}=https://..."
            )
        return Source(kind, url)
    scheme = "http" if host.rpartition(":")[0] in LOOPBACK or host in LOOPBACK else "https"
    return Source(kind, f"{scheme}://{host}")


def _token(source: Source) -> str:
    token = os.environ.get(source.token_variable)
    if not token:
        raise UsageError(
            f"--inventory {source.kind}: ${source.token_variable} is not set; export "
            f"{source.token_variable}=<an API token> (never on the command line)"
        )
    return token


_FETCHED: dict[Source, tuple[float, list[Device]]] = {}


def fetch(source: Source, page_size: int | None = None) -> list[Device]:
    """Every device the source of truth serves (all pages), fetched once per run."""
    cached = _FETCHED.get(source)
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    token = _token(source)
    try:
        devices = (
            _nautobot(source, token, page_size)
            if source.kind == "nautobot"
            else _netbox(source, token)
        )
    except UsageError:
        raise
    except SystemExit:  # nornir-nautobot exits 1 (our "findings" code) on a refused filter
        raise UsageError(
            f"{source}: refused the device query (filters include=config_context, limit); "
            "use Nautobot 2.0 or later"
        ) from None
    except Exception as exc:  # the plugins raise requests', pynautobot's or ValueError
        text = str(exc).replace(token, "<token>") if len(token) >= 8 else str(exc)
        detail = " ".join(text.split())[:300]
        raise UsageError(
            f"{source}: cannot read its devices ({type(exc).__name__}: {detail}); "
            f"check the URL and that ${source.token_variable} may read dcim devices"
        ) from None
    _FETCHED.clear()
    _FETCHED[source] = (time.monotonic(), devices)
    return devices


def _name(value: Any) -> str | None:
    """A nested object's ``name`` (depth 1 / brief form), or the value itself."""
    if isinstance(value, dict):
        name = value.get("name")
        return None if name is None else str(name)
    return None if value is None else str(value)


def _nautobot(source: Source, token: str, page_size: int | None) -> list[Device]:
    from nornir_nautobot.plugins.inventory.nautobot import NautobotInventory

    query: dict[str, Any] = {"include": "config_context"}
    if page_size:
        query["limit"] = page_size  # pynautobot's page size; it follows every `next`
    plugin = NautobotInventory(
        nautobot_url=source.url, nautobot_token=token, filter_parameters=query
    )
    return [_from_nautobot(host) for host in plugin.load().hosts.values()]


def _from_nautobot(host: Host) -> Device:
    device: dict[str, Any] = host.data["pynautobot_dictionary"]
    return Device(
        name=host.name,
        address=host.hostname if host.hostname != device.get("name") else None,
        platform=_name(device.get("platform")),
        role=_name(device.get("role")),
        site=_name(device.get("location")),
        context=device.get("config_context") or {},
        custom_fields=device.get("custom_fields") or {},
    )


def _netbox(source: Source, token: str) -> list[Device]:
    from nornir_netbox.plugins.inventory.netbox import NetBoxInventory2

    nowhere = str(Path(os.devnull) / "none.yaml")  # its groups/defaults files: ours are used
    plugin = NetBoxInventory2(
        nb_url=source.url, nb_token=token, group_file=nowhere, defaults_file=nowhere
    )
    return [_from_netbox(host) for host in plugin.load().hosts.values()]


def _from_netbox(host: Host) -> Device:
    device: dict[str, Any] = host.data
    return Device(
        name=host.name,
        address=host.hostname if device.get("primary_ip") else None,
        platform=host.platform,
        role=_name(device.get("role") or device.get("device_role")),  # renamed in NetBox 3.6
        site=_name(device.get("site")),
        context=device.get("config_context") or {},
        custom_fields=device.get("custom_fields") or {},
    )
