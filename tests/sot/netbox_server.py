"""A small NetBox REST API stand-in: a real HTTP server (stdlib) answering
``GET /api/dcim/devices/`` with JSON shaped as NetBox publishes it, so nornir_netbox's
``NetBoxInventory2`` runs unchanged against it (no mock of the client).

Provenance of the shapes:
- the list envelope ``{count, next, previous, results}``, ``next`` an absolute URL with
  ``limit``/``offset``, pages capped by ``MAX_PAGE_SIZE`` even for ``?limit=0``, and the
  rendered ``config_context`` included by default: NetBox's docs/integrations/rest-api.md
  ("Pagination", "Excluding Config Contexts");
- a device's fields (``role`` since NetBox 3.6, nested brief objects ``{id, url, display,
  name, slug}``, ``primary_ip`` ``{id, url, display, family, address}``,
  ``local_context_data``, ``custom_fields``): NetBox 4.5's OpenAPI schema
  (``DeviceWithConfigContext`` / ``PaginatedDeviceWithConfigContextList``);
- ``{"detail": "Invalid token"}`` with 403 for a wrong token: Django REST framework as
  NetBox configures it.
NetBox itself cannot be installed from PyPI or Debian, hence this server.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .sot_data import SotSite, merge

MAX_PAGE_SIZE = 4  # NetBox's setting (1000 by default): small, so office1 spans 3 pages


def _brief(base: str, path: str, ident: int, name: str, **extra: Any) -> dict[str, Any]:
    slug = name.lower().replace(" ", "-")
    return {
        "id": ident,
        "url": f"{base}/api/{path}/{ident}/",
        "display": name,
        "name": name,
        "slug": slug,
        **extra,
    }


def netbox_devices(site: SotSite, base: str) -> list[dict[str, Any]]:
    ids = {"site": 1}
    platforms = sorted({d.platform for d in site.devices})
    roles = sorted({d.role for d in site.devices})
    out = []
    for number, device in enumerate(site.devices, start=1):
        context = merge(*site.contexts.values(), device.local_context)
        ip = {
            "id": 100 + number,
            "url": f"{base}/api/ipam/ip-addresses/{100 + number}/",
            "display": f"{device.address}/32",
            "family": {"value": 4, "label": "IPv4"},
            "address": f"{device.address}/32",
        }
        out.append(
            {
                "id": number,
                "url": f"{base}/api/dcim/devices/{number}/",
                "display": device.name,
                "name": device.name,
                "device_type": _brief(base, "dcim/device-types", 1, "Generic", model="Generic"),
                "role": _brief(
                    base, "dcim/device-roles", roles.index(device.role) + 1, device.role
                ),
                "tenant": None,
                "platform": _brief(
                    base, "dcim/platforms", platforms.index(device.platform) + 1, device.platform
                ),
                "serial": "",
                "asset_tag": None,
                "site": _brief(base, "dcim/sites", ids["site"], device.site),
                "location": None,
                "rack": None,
                "position": None,
                "face": None,
                "parent_device": None,
                "status": {"value": "active", "label": "Active"},
                "airflow": None,
                "primary_ip": ip,
                "primary_ip4": ip,
                "primary_ip6": None,
                "oob_ip": None,
                "cluster": None,
                "virtual_chassis": None,
                "vc_position": None,
                "vc_priority": None,
                "description": "",
                "comments": "",
                "config_template": None,
                "config_context": context,
                "local_context_data": device.local_context,
                "tags": [],
                "custom_fields": {},
                "created": "2026-11-30T09:00:00.000000Z",
                "last_updated": "2026-11-30T09:00:00.000000Z",
            }
        )
    return out


class NetBox:
    """``with NetBox(site, token).serving() as url``; ``requests`` lists each request path."""

    def __init__(self, site: SotSite, token: str) -> None:
        self.site = site
        self.token = token
        self.requests: list[str] = []

    @contextmanager
    def serving(self) -> Iterator[str]:
        netbox = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                netbox.requests.append(self.path)
                if self.headers.get("Authorization") != f"Token {netbox.token}":
                    return self._json(403, {"detail": "Invalid token"})
                url = urlsplit(self.path)
                if url.path != "/api/dcim/devices/":
                    return self._json(404, {"detail": "Not found."})
                query = parse_qs(url.query)
                limit = int(query.get("limit", ["50"])[0]) or MAX_PAGE_SIZE
                limit = min(limit, MAX_PAGE_SIZE)
                offset = int(query.get("offset", ["0"])[0])
                devices = netbox_devices(netbox.site, base)
                page = devices[offset : offset + limit]
                after = offset + limit
                self._json(
                    200,
                    {
                        "count": len(devices),
                        "next": f"{base}/api/dcim/devices/?limit={limit}&offset={after}"
                        if after < len(devices)
                        else None,
                        "previous": f"{base}/api/dcim/devices/?limit={limit}&offset="
                        f"{max(0, offset - limit)}"
                        if offset
                        else None,
                        "results": page,
                    },
                )

            def _json(self, status: int, body: Any) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield base
        finally:
            server.shutdown()
            server.server_close()
