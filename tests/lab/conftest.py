"""A small inventory and fixture set in tmp, served by one lab for the whole module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetaudit.lab import Lab

SHOW_VERSION = """\
Cisco IOS Software, ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 15.5(3)S5, RELEASE SOFTWARE (fc2)
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2017 by Cisco Systems, Inc.
Compiled Fri 31-Mar-17 16:49 by mcpre

ROM: IOS-XE ROMMON

office1-gw1 uptime is 1 week, 2 days, 3 hours, 4 minutes
Uptime for this control processor is 1 week, 2 days, 3 hours, 6 minutes
System returned to ROM by reload
System image file is "bootflash:isr4300-universalk9.03.16.05.S.155-3.S5-ext.SPA.bin"
Last reload reason: Reload Command

cisco ISR4321/K9 (1RU) processor with 1687137K/6147K bytes of memory.
Processor board ID FLM2041W0NX
2 Gigabit Ethernet interfaces
32768K bytes of non-volatile configuration memory.
4194304K bytes of physical memory.
3223551K bytes of flash memory at bootflash:.

Configuration register is 0x2102
"""

SHOW_HOSTS = """\
Default domain is voice.example.net
Name/address lookup uses domain service
Name servers are 10.10.0.53

Codes: UN - unknown, EX - expired, OK - OK, ?? - revalidate
       temp - temporary, perm - permanent
       NA - Not Applicable None - Not defined

Host                      Port  Flags      Age Type   Address(es)
"""

SHOW_IP_INTERFACE_BRIEF = """\
Interface              IP-Address      OK? Method Status                Protocol
GigabitEthernet0/0/0   203.0.113.2     YES NVRAM  up                    up
GigabitEthernet0/0/1   10.10.0.1       YES NVRAM  up                    up
Loopback0              10.255.0.1      YES NVRAM  up                    up
"""

GW_RUNNING = """\
Building configuration...

Current configuration : 1024 bytes
!
version 15.5
hostname office1-gw1
!
ip nat inside source list NAT interface GigabitEthernet0/0/0 overload
!
voice service voip
 sip
  bind control source-interface GigabitEthernet0/0/0
!
end
"""

SW_RUNNING = """\
Building configuration...

Current configuration : 512 bytes
!
hostname office1-sw1
!
interface FastEthernet0/1
 switchport access vlan 10
 switchport voice vlan 20
 switchport port-security
 switchport port-security aging time 1
!
end
"""

ASA_RUNNING = """\
: Saved
:
: Serial Number: JMX1234L56M
: Hardware:   ASA5506, 4096 MB RAM, CPU Atom C2000 series 1250 MHz, 1 CPU (4 cores)
:
ASA Version 9.8(4)
!
hostname office1-fw1
names
!
interface GigabitEthernet1/1
 nameif outside
 security-level 0
 ip address 203.0.113.10 255.255.255.248
!
policy-map global_policy
 class inspection_default
  inspect sip
!
: end
"""

EXPORT_V6 = """\
# jan/02/1970 00:00:00 by RouterOS 6.49.10
# software id = ABCD-1234
#
# model = RB750Gr3
/ip firewall service-port
set sip disabled=no ports=5060,5061 sip-direct-media=yes sip-timeout=1h
/system identity
set name=office1-rtr1
"""

EXPORT_V7 = """\
# 2024-01-02 00:00:00 by RouterOS 7.12.1
# software id = WXYZ-9876
#
# model = RB5009UG+S+
/ip firewall service-port
set sip disabled=yes
/system identity
set name=office2-rtr1
"""

FIXTURES: dict[str, dict[str, str]] = {
    "office1-gw1": {
        "show_version": SHOW_VERSION,
        "show_hosts": SHOW_HOSTS,
        "show_ip_interface_brief": SHOW_IP_INTERFACE_BRIEF,
        "show_running-config": GW_RUNNING,
    },
    "office1-sw1": {"show_running-config": SW_RUNNING},
    "office1-fw1": {"show_running-config": ASA_RUNNING},
    "office1-rtr1": {"export_verbose": EXPORT_V6},
    "office2-rtr1": {"export_verbose": EXPORT_V7},
}


def _host(platform: str, group: str, role: str, **lab: str) -> dict[str, Any]:
    data: dict[str, Any] = {"role": role}
    if lab:
        data["lab"] = lab
    return {
        "hostname": "127.0.0.1",
        "port": 1,
        "platform": platform,
        "groups": [group],
        "data": data,
    }


HOSTS = {
    "office1-gw1": _host("cisco_ios", "site_office1", "gateway"),
    "office1-fw1": _host("cisco_asa", "site_office1", "firewall"),
    "office1-rtr1": _host("mikrotik_routeros", "site_office1", "router"),
    "office1-sw1": _host("cisco_ios", "site_office1", "switch"),
    "office2-rtr1": _host("mikrotik_routeros", "site_office2", "router"),
    "faults-badpass": _host(
        "cisco_ios", "site_faults", "gateway", fixtures="office1-gw1", fault="wrong_password"
    ),
    "faults-nobanner": _host(
        "cisco_ios", "site_faults", "gateway", fixtures="office1-gw1", fault="no_banner"
    ),
    "faults-hang": _host(
        "cisco_asa",
        "site_faults",
        "firewall",
        fixtures="office1-fw1",
        fault="hang",
        command="show running-config",
    ),
    "faults-drop": _host(
        "mikrotik_routeros",
        "site_faults",
        "router",
        fixtures="office1-rtr1",
        fault="drop",
        command="/export verbose",
    ),
    "faults-closed": _host(
        "cisco_ios", "site_faults", "switch", fixtures="office1-sw1", fault="closed"
    ),
}

GROUPS = {
    "lab": {
        "username": "admin",
        "password": "lab-admin",
        "connection_options": {"netmiko": {"extras": {"secret": "lab-enable"}}},
    },
    "site_office1": {"groups": ["lab"], "data": {"site": "office1"}},
    "site_office2": {"groups": ["lab"], "data": {"site": "office2"}},
    "site_faults": {"groups": ["lab"], "data": {"site": "lab-faults"}},
}


def make_inventory(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, data in (("hosts", HOSTS), ("groups", GROUPS), ("defaults", {"data": {}})):
        (root / f"{name}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    for device, outputs in FIXTURES.items():
        folder = root / "lab" / device
        folder.mkdir(parents=True, exist_ok=True)
        for slug, text in outputs.items():
            (folder / f"{slug}.txt").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_inventory(tmp_path_factory.mktemp("lab-inventory"))


@pytest.fixture(scope="session")
def lab(inventory: Path) -> Iterator[Lab]:
    with Lab(inventory, devices=8, ephemeral_ports=True) as running:
        yield running
