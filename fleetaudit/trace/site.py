"""What the site's latest stored audit says about the path a capture crossed: the
NAT/UDP timeout, which checks fail on which device, which device an address sits behind.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fleetaudit.errors import UsageError
from fleetaudit.facts import INTERFACES, NAT, Interface, Nat

if TYPE_CHECKING:
    from fleetaudit.store import Store

NOTES = {
    "ALG001": "SIP ALG on",
    "SIP002": "the trunk's registration fails there too: compare its auth user and password",
    "FW001": "RTP range blocked",
    "FW002": "provider signalling blocked",
    "NAT001": "NAT UDP timeout below the re-register interval",
}


@dataclass
class SiteLinks:
    site: str
    run_id: str
    failing: dict[str, list[str]] = field(default_factory=dict)  # check -> hosts
    nat_timeout: tuple[int, str] | None = None  # the shortest (seconds, device)
    subnets: list[tuple[Any, str]] = field(default_factory=list)  # (network, device)

    def behind(self, address: str) -> list[str]:
        """Devices with an interface in ``address``'s subnet."""
        ip = _ip(address)
        if ip is None:
            return []
        return list(dict.fromkeys(host for net, host in self.subnets if ip in net))

    def explain(self, check: str, address: str = "") -> str:
        return self.explain_any((check,), address)

    def explain_any(self, checks: Iterable[str], address: str = "") -> str:
        near = set(self.behind(address)) if address else set()
        parts = []
        for check in checks:
            hosts = self.failing.get(check, [])
            if near and any(h in near for h in hosts):
                hosts = [h for h in hosts if h in near]
            for host in hosts[:3]:
                parts.append(f"{check} on {host} ({NOTES.get(check, 'failing')})")
        if not parts:
            return ""
        return f" → site {self.site}, audit {self.run_id[:8]}: " + "; ".join(parts)


def links(store: Store, site: str) -> SiteLinks:
    runs = store.runs(site, 1)
    if not runs:
        raise UsageError(
            f"--site {site}: no stored audit of that site; run `fleetaudit run --site {site}` first"
        )
    run = runs[0]
    found = SiteLinks(site, run.id)
    for finding in store.findings(run.id):
        if finding.get("status") == "fail":
            hosts = found.failing.setdefault(finding["check"], [])
            if finding["host"] not in hosts:
                hosts.append(finding["host"])
    for host in store.hosts(run.id, site):
        nat = host.facts.get(NAT)
        if isinstance(nat, Nat) and nat.enabled and nat.udp_timeout_s:
            seconds = nat.udp_timeout_s
            if found.nat_timeout is None or seconds < found.nat_timeout[0]:
                found.nat_timeout = (seconds, host.name)
        for interface in host.facts.get(INTERFACES) or []:
            for cidr in interface.ipv4 if isinstance(interface, Interface) else []:
                try:
                    found.subnets.append((ipaddress.ip_interface(cidr).network, host.name))
                except ValueError:
                    continue
    return found


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address in ``192.0.2.1``, ``192.0.2.1:5060``, ``[2001:db8::1]:5060``."""
    for candidate in (text.strip("[]"), text.rsplit(":", 1)[0].strip("[]")):
        try:
            return ipaddress.ip_address(candidate)
        except ValueError:
            continue
    return None
