"""Loading a site into a real Nautobot through its REST API (idempotent: get or create by
name, then update), as an operator's script would."""

from __future__ import annotations

from typing import Any

import httpx

from .sot_data import SotSite


class Nautobot:
    def __init__(self, url: str, token: str) -> None:
        self.http = httpx.Client(
            base_url=f"{url}/api",
            headers={"Authorization": f"Token {token}", "Accept": "application/json"},
            timeout=120,
        )

    def _get_or_create(self, path: str, lookup: dict[str, Any], body: dict[str, Any]) -> str:
        found = self.http.get(f"/{path}/", params=lookup).raise_for_status().json()["results"]
        if found:
            ident = str(found[0]["id"])
            self.http.patch(f"/{path}/{ident}/", json=body).raise_for_status()
            return ident
        answer = self.http.post(f"/{path}/", json={**lookup, **body})
        if answer.is_error:
            raise AssertionError(f"POST {path} {lookup}: {answer.status_code} {answer.text}")
        return str(answer.json()["id"])

    def _status(self, name: str = "Active") -> str:
        found = self.http.get("/extras/statuses/", params={"name": name}).raise_for_status()
        return str(found.json()["results"][0]["id"])

    def load(self, site: SotSite) -> None:
        active = self._status()
        device_ct = ["dcim.device"]
        site_type = self._get_or_create(
            "dcim/location-types", {"name": "Site"}, {"content_types": device_ct}
        )
        location = self._get_or_create(
            "dcim/locations", {"name": site.name}, {"location_type": site_type, "status": active}
        )
        maker = self._get_or_create("dcim/manufacturers", {"name": "Generic"}, {})
        device_type = self._get_or_create(
            "dcim/device-types", {"model": "Generic"}, {"manufacturer": maker}
        )
        for weight, (name, data) in enumerate(site.contexts.items(), start=1):
            self._get_or_create(
                "extras/config-contexts",
                {"name": f"{site.name} {name}"},
                {"weight": 1000 + weight, "data": data, "locations": [location]},
            )
        namespace = self.http.get("/ipam/namespaces/", params={"name": "Global"}).json()
        global_ns = str(namespace["results"][0]["id"])
        self._get_or_create(
            "ipam/prefixes",
            {"prefix": "127.0.0.0/8"},
            {"status": active, "namespace": global_ns, "type": "network"},
        )
        addresses: dict[str, str] = {}
        for device in site.devices:
            if device.address not in addresses:
                addresses[device.address] = self._get_or_create(
                    "ipam/ip-addresses",
                    {"address": f"{device.address}/32"},
                    {"status": active, "namespace": global_ns},
                )
            role = self._get_or_create(
                "extras/roles", {"name": device.role}, {"content_types": device_ct}
            )
            platform = self._get_or_create("dcim/platforms", {"name": device.platform}, {})
            ident = self._get_or_create(
                "dcim/devices",
                {"name": device.name},
                {
                    "device_type": device_type,
                    "role": role,
                    "platform": platform,
                    "location": location,
                    "status": active,
                    "local_config_context_data": device.local_context,
                },
            )
            interface = self._get_or_create(
                "dcim/interfaces",
                {"device": ident, "name": "mgmt"},
                {"type": "virtual", "status": active},
            )
            ip = addresses[device.address]
            linked = self.http.get(
                "/ipam/ip-address-to-interface/", params={"interface": interface}
            ).json()["results"]
            if not linked:
                self.http.post(
                    "/ipam/ip-address-to-interface/",
                    json={"ip_address": ip, "interface": interface},
                ).raise_for_status()
            self.http.patch(f"/dcim/devices/{ident}/", json={"primary_ip4": ip}).raise_for_status()
