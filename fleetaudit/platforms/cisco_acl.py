"""What ASA and IOS access-lists share: port names, port operators, masks."""

from __future__ import annotations

import ipaddress

from fleetaudit.rules.intervals import PORTS, IntervalSet
from fleetaudit.rules.model import Unsupported

#: Port names ASA and IOS print instead of numbers (both share most of them).
PORT_NAMES: dict[str, int] = {
    "aol": 5190, "bgp": 179, "biff": 512, "bootpc": 68, "bootps": 67, "chargen": 19,
    "cifs": 3020, "citrix-ica": 1494, "cmd": 514, "ctiqbe": 2748, "daytime": 13,
    "discard": 9, "dnsix": 195, "domain": 53, "echo": 7, "exec": 512, "finger": 79,
    "ftp": 21, "ftp-data": 20, "gopher": 70, "h323": 1720, "hostname": 101, "http": 80,
    "https": 443, "ident": 113, "imap4": 143, "irc": 194, "isakmp": 500, "kerberos": 88,
    "klogin": 543, "kshell": 544, "ldap": 389, "ldaps": 636, "login": 513,
    "lotusnotes": 1352, "lpd": 515, "mobile-ip": 434, "msrpc": 135, "nameserver": 42,
    "netbios-dgm": 138, "netbios-ns": 137, "netbios-ss": 139, "netbios-ssn": 139,
    "nfs": 2049, "nntp": 119, "non500-isakmp": 4500, "ntp": 123, "pcanywhere-data": 5631,
    "pcanywhere-status": 5632, "pim-auto-rp": 496, "pop2": 109, "pop3": 110, "pptp": 1723,
    "radius": 1645, "radius-acct": 1646, "rip": 520, "rsh": 514, "rtsp": 554,
    "secureid-udp": 5510, "sip": 5060, "smtp": 25, "snmp": 161, "snmptrap": 162,
    "sqlnet": 1521, "ssh": 22, "sunrpc": 111, "syslog": 514, "tacacs": 49, "talk": 517,
    "telnet": 23, "tftp": 69, "time": 37, "uucp": 540, "vxlan": 4789, "who": 513,
    "whois": 43, "www": 80, "xdmcp": 177,
}  # fmt: skip

PROTOCOL_NUMBERS = {"6": "tcp", "17": "udp", "1": "icmp"}


def port(word: str) -> int:
    """A port number or name.

    >>> port("sip"), port("5061")
    (5060, 5061)
    """
    if word.isdigit() and 0 <= int(word) <= 65535:
        return int(word)
    if word in PORT_NAMES:
        return PORT_NAMES[word]
    raise Unsupported(f"unknown port name {word!r}")


def port_spec(spec: str) -> IntervalSet:
    """``eq 5060``, ``range 10000 20000``, ``gt 1023``, ``lt 1024``, ``neq 443`` (IOS
    also ``eq 80 443``) as a port set.

    >>> [str(port_spec(s)) for s in ("eq sip", "range 10000 20000", "gt 65000", "neq 80")]
    ['5060', '10000-20000', '65001-65535', '0-79,81-65535']
    """
    words = spec.split()
    if not words:
        raise Unsupported("empty port operator")
    operator, values = words[0], [port(w) for w in words[1:]]
    if operator == "eq" and values:
        return IntervalSet((v, v) for v in values)
    if operator == "range" and len(values) == 2:
        if values[0] > values[1]:
            raise Unsupported(f"port range {spec!r} runs backwards")
        return IntervalSet.of(values[0], values[1])
    if operator == "gt" and len(values) == 1:
        return IntervalSet.of(values[0] + 1, PORTS[1])
    if operator == "lt" and len(values) == 1:
        return IntervalSet.of(PORTS[0], values[0] - 1)
    if operator == "neq" and values:
        return IntervalSet((v, v) for v in values).complement(PORTS)
    raise Unsupported(f"port operator {spec!r}")


def is_port_operator(word: str) -> bool:
    return word in ("eq", "neq", "gt", "lt", "range")


def netmask_set(address: int, mask: str) -> IntervalSet:
    """``A M`` with a subnet mask (ASA everywhere, IOS object-groups)."""
    try:
        prefix = ipaddress.IPv4Network(f"0.0.0.0/{mask}").prefixlen
    except ValueError:
        raise Unsupported(f"{mask!r} is not a subnet mask") from None
    net = ipaddress.IPv4Network((address, prefix), strict=False)
    return IntervalSet.of(int(net.network_address), int(net.broadcast_address))


def wildcard_set(address: int, wildcard: str, limit: int = 4096) -> IntervalSet:
    """``A W`` with an IOS wildcard mask; discontiguous wildcards give several blocks.

    >>> wildcard_set(int(ipaddress.IPv4Address("10.0.0.0")), "0.0.0.63").size
    64
    >>> len(wildcard_set(int(ipaddress.IPv4Address("10.0.0.1")), "0.0.3.0").spans)
    4
    >>> wildcard_set(0, "0.0.0.14").size  # the even addresses 0-14
    8
    """
    try:
        bits = int(ipaddress.IPv4Address(wildcard))
    except ValueError:
        raise Unsupported(f"{wildcard!r} is not a wildcard mask") from None
    base = address & ~bits & 0xFFFFFFFF
    low_run = (bits + 1) & -(bits + 1)  # lowest 0 bit: contiguous run of 1s below it
    contiguous = bits & (low_run - 1)
    scattered = bits & ~contiguous
    choices = [0]
    for bit in range(32):
        if scattered >> bit & 1:
            choices += [c | (1 << bit) for c in choices]
            if len(choices) > limit:
                raise Unsupported(f"wildcard {wildcard} is too scattered to evaluate")
    return IntervalSet((base | c, base | c | contiguous) for c in choices)


def ip(word: str) -> int | None:
    try:
        return int(ipaddress.IPv4Address(word))
    except ValueError:
        return None
