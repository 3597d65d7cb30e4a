"""Planted secrets: no secret a device prints is kept or shown anywhere.

Every kind of secret issue 8 lists, and the kinds the scrubber covered before, is planted
with a marker of its own into the outputs of every platform the lab serves (cisco_ios
gateway and switch, cisco_asa, RouterOS v6 and v7, the four phone vendors). office1 and
office2 are audited live through the CLI over the lab (real SSH, real HTTP) in every
output format, every stored run is shown again from history in every format, and the
planted outputs, saved as files, are scanned offline (with the phones' other provisioning
formats: Poly XML, Grandstream P-value text and XML). Then the SQLite file, its WAL, every
decompressed blob in it and every output are searched: no marker may be found.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from fleetaudit.cli import main
from fleetaudit.evidence import command_slug
from fleetaudit.lab import Lab
from fleetaudit.paths import builtin_dir
from tests.store_search import store_text

FIXTURES = builtin_dir("inventory") / "lab"
FORMATS = ("table", "json", "markdown", "html", "junit", "sarif")
_serial = itertools.count(1)


@dataclass(frozen=True)
class Plant:
    """One planted secret: ``before`` + marker + ``after`` is the line (or value) planted,
    ``kind`` names what it stands for. ``seen`` (the start of the planted line by default)
    must reach the store: the output was collected, not lost."""

    kind: str
    before: str
    marker: str
    after: str = ""
    seen: str = ""

    @property
    def text(self) -> str:
        return f"{self.before}{self.marker}{self.after}"

    @property
    def evidence(self) -> str:
        line = self.before.split("\n")[-1].strip()  # without what may be part of the value
        return self.seen or re.sub(r"(?<=[\s=])[^\s=]*$", "", line).strip()


def marker(kind: str) -> str:
    label = "".join(w.capitalize() for w in kind.replace("-", " ").replace("_", " ").split())
    return f"Lk{next(_serial):03d}{label[:24]}"


def plant(kind: str, before: str, after: str = "") -> Plant:
    return Plant(kind, before, marker(kind), after)


def snmp_v3_user() -> list[Plant]:
    """``snmp-server user`` with both keys: the auth key inside the priv case's line."""
    auth = marker("snmp-server user v3 auth")
    line = f"snmp-server user ops NMSGROUP v3 auth sha {auth} priv aes 128 "
    return [
        Plant("snmp-server user v3 auth", "", auth),  # placed by the priv case's line
        Plant("snmp-server user v3 priv", line, marker("priv"), seen="snmp-server user ops"),
    ]


# -- what each platform is given ---------------------------------------------------------


def ios_plants() -> list[Plant]:
    return [
        plant("ios enable secret", "enable secret 5 $1$mERr$"),
        plant("ios enable secret level", "enable secret level 15 5 $1$abcd$"),
        plant("ios username password 0", "username audit privilege 15 password 0 "),
        plant("ios username secret 9", "username ops secret 9 $9$"),
        plant("netutils username password 5 role", "username nx password 5 ", " role admin"),
        plant("ios snmp community", "snmp-server community ", " RO"),
        plant("ios snmp host v2c", "snmp-server host 192.0.2.50 version 2c "),
        plant("ios snmp host informs", "snmp-server host 192.0.2.51 informs version 2c "),
        *snmp_v3_user(),
        plant("ios isakmp key", "crypto isakmp key ", " address 0.0.0.0"),
        plant("ios ntp authentication-key", "ntp authentication-key 1 md5 ", " 7"),
        plant("ios tacacs key", "tacacs-server key 7 "),
        plant("ios key config-key password-encrypt", "key config-key password-encrypt "),
        plant(
            "ios sip-ua credentials", "sip-ua\n credentials number 4001 username 4001 password 0 "
        ),
        plant("ios key chain key-string", "key chain PLANTED\n key 1\n  key-string 7 "),
        plant(
            "ios wpa-psk ascii 0",
            "dot11 ssid PLANTED\n authentication key-management wpa\n wpa-psk ascii 0 ",
        ),
        plant("ios radius server key", "radius server PLANTED\n address ipv4 192.0.2.9\n key 7 "),
        plant("ios hsrp authentication", "interface Vlan999\n standby 1 authentication "),
        plant(
            "ios ospf message-digest-key", "interface Vlan998\n ip ospf message-digest-key 1 md5 "
        ),
        plant("ios line password", "line vty 5 15\n password 7 "),
    ]


def asa_plants() -> list[Plant]:
    return [
        plant("asa enable password", "enable password ", " encrypted"),
        plant("asa passwd", "passwd ", " encrypted"),
        plant("asa username password", "username vpn password ", " encrypted privilege 15"),
        plant(
            "asa snmp host community",
            "snmp-server host inside 192.168.10.51 community ",
            " version 2c",
        ),
        plant("asa snmp community", "snmp-server community "),
        *snmp_v3_user(),
        plant(
            "asa ikev1 pre-shared-key",
            "tunnel-group 198.51.100.7 ipsec-attributes\n ikev1 pre-shared-key ",
        ),
        plant("asa failover key", "failover key "),
        plant("asa aaa-server key", "aaa-server TAC (inside) host 192.168.10.60\n key "),
    ]


def routeros_plants(major: int) -> list[Plant]:
    bgp = (
        "/routing bgp peer\nadd name=isp remote-as=65000 tcp-md5-key="
        if major == 6
        else (
            "/routing bgp connection\nadd as=65001 name=isp remote.address=198.51.100.1 tcp-md5-key="
        )
    )
    return [
        plant("routeros user password", "/user\nadd group=full name=audit password="),
        plant("routeros ppp secret", "/ppp secret\nadd name=branch password=", " service=l2tp"),
        plant(
            "routeros ipsec secret quoted",
            '/ip ipsec peer\nadd address=198.51.100.1/32 secret="',
            ' two"',
        ),
        plant(
            "routeros wpa2-pre-shared-key",
            "/interface wireless security-profiles\nset [ find default=yes ] wpa2-pre-shared-key=",
        ),
        plant(
            "routeros management-protection-key",
            "/interface wireless security-profiles\nadd name=mgmt management-protection=allowed "
            "management-protection-key=",
        ),
        plant("routeros tcp-md5-key", bgp),
        plant(
            "routeros snmp community name",
            "/snmp community\nset [ find default=yes ] addresses=::/0 name=",
        ),
        plant("routeros snmp trap-community", "/snmp\nset enabled=yes trap-community="),
        plant(
            "routeros password on a continuation line",
            "/interface pppoe-client\nadd interface=ether1 name=pppoe-out1 user=isp \\\n    password=",
        ),
        plant("routeros wireguard private-key", '/interface wireguard\nadd name=wg1 private-key="'),
    ]


def cisco_phone_plants() -> list[Plant]:
    return [
        plant("cisco phone sshPassword", "  <sshPassword>", "</sshPassword>"),
        plant("cisco phone phonePassword", "  <phonePassword>", "</phonePassword>"),
        plant("xml Password_1_ with attributes", '  <Password_1_ ua="na">', "</Password_1_>"),
        plant("xml Admin_Passwd with attributes", '  <Admin_Passwd ua="na">', "</Admin_Passwd>"),
        plant(
            "xml url credentials",
            '  <Profile_Rule ua="na">https://admin:',
            "@prov.example.com/p.xml</Profile_Rule>",
        ),
    ]


def yealink_plants() -> list[Plant]:
    return [
        plant("yealink account password", "account.1.password = "),
        plant("yealink account 2 password", "account.2.password = "),
        plant("yealink aes_key_16 com", "static.auto_provision.aes_key_16.com = "),
        plant("yealink aes_key_16 mac", "static.auto_provision.aes_key_16.mac = "),
        plant("yealink user_password", "static.security.user_password = admin:"),
        plant("yealink provisioning password", "static.auto_provision.server.password = "),
        plant(
            "yealink url credentials",
            "static.auto_provision.server.url = http://prov:",
            "@192.0.2.5/",
        ),
    ]


def poly_plants() -> list[Plant]:
    return [
        plant("poly reg auth password", '"reg.1.auth.password": "', '"'),
        plant("poly reg 2 auth password", '"reg.2.auth.password": "', '"'),
        plant("poly local admin password", '"device.auth.localAdminPassword": "', '"'),
    ]


def grandstream_plants() -> list[Plant]:
    return [
        plant(f"grandstream {p}", f'"{p}": "', '"')
        for p in ("P2", "P196", "P34", "P406", "P506", "P606")
    ]


# -- putting them in place -------------------------------------------------------------------


def before_last(text: str, closing: str, plants: list[Plant]) -> str:
    """``text`` with the planted lines inserted before its last ``closing`` line."""
    lines = text.rstrip("\n").split("\n")
    at = max(i for i, line in enumerate(lines) if line.strip() == closing)
    placed = [p.text for p in plants if p.before]
    return "\n".join([*lines[:at], *placed, *lines[at:]]) + "\n"


def appended(text: str, plants: list[Plant]) -> str:
    return text.rstrip("\n") + "\n" + "\n".join(p.text for p in plants if p.before) + "\n"


def json_with(text: str, key: str, plants: list[Plant]) -> str:
    """A JSON answer with the planted members added to ``data[key]``."""
    data = json.loads(text)
    for p in plants:
        name = p.before.split('"')[1]
        data[key][name] = f"{p.marker}"
    return json.dumps(data, indent=2)


@dataclass
class Device:
    name: str
    platform: str
    role: str | None
    command: str  # the output the secrets are planted in
    plants: list[Plant]
    planted: str = ""


def devices() -> list[Device]:
    found = []
    for site in ("office1", "office2"):
        found += [
            Device(f"{site}-gw1", "cisco_ios", "gateway", "show running-config", ios_plants()),
            Device(f"{site}-sw1", "cisco_ios", "switch", "show running-config", ios_plants()),
            Device(f"{site}-fw1", "cisco_asa", "firewall", "show running-config", asa_plants()),
            Device(
                f"{site}-rtr1",
                "mikrotik_routeros",
                "router",
                "/export verbose",
                routeros_plants(6 if site == "office1" else 7),
            ),
            Device(
                f"{site}-phone1",
                "cisco_phone",
                "phone",
                "GET /SEP<MAC>.cnf.xml",
                cisco_phone_plants(),
            ),
            Device(
                f"{site}-phone2",
                "yealink_phone",
                "phone",
                "GET /servlet?m=mod_data&p=settings-config&q=exportcfg",
                yealink_plants(),
            ),
            Device(
                f"{site}-phone3",
                "poly_phone",
                "phone",
                "POST /api/v1/mgmt/config/get",
                poly_plants(),
            ),
            Device(
                f"{site}-phone4",
                "grandstream_phone",
                "phone",
                "POST /cgi-bin/api.values.get",
                grandstream_plants(),
            ),
        ]
    for device in found:
        original = (FIXTURES / device.name / f"{command_slug(device.command)}.txt").read_text()
        if device.platform == "cisco_ios":
            device.planted = before_last(original, "end", device.plants)
        elif device.platform == "cisco_asa":
            device.planted = before_last(original, ": end", device.plants)
        elif device.platform == "mikrotik_routeros":
            device.planted = appended(original, device.plants)
        elif device.platform == "cisco_phone":
            device.planted = before_last(original, "</device>", device.plants)
        elif device.platform == "yealink_phone":
            device.planted = appended(original, device.plants)
        elif device.platform == "poly_phone":
            device.planted = json_with(original, "data", device.plants)
        else:
            device.planted = json_with(original, "body", device.plants)
        for p in device.plants:
            assert p.marker in device.planted or not p.before, (device.name, p.kind)
    return found


def offline_files(folder: Path) -> list[tuple[Path, str, list[Plant]]]:
    """Phone provisioning files in the formats the lab does not serve: Poly XML with
    attributes, Grandstream P-values as text, as a form and as XML."""
    poly = [
        plant("poly xml attribute reg auth password", 'reg.1.auth.password="', '"'),
        plant("poly xml attribute admin password", 'device.auth.localAdminPassword="', '"'),
    ]
    poly_xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<PHONE_CONFIG>\n  <reg reg.1.address="103" '
        f'reg.1.server.1.address="sip.vats.example.ru" {poly[0].text} />\n'
        f"  <device {poly[1].text} />\n</PHONE_CONFIG>\n"
    )
    gs_text = [
        plant(f"grandstream text {p}", f"{p} = ") for p in ("P2", "P196", "P34", "P406", "P506")
    ]
    gs_form = [
        plant(f"grandstream form {p}", f"{p}=") for p in ("P2", "P196", "P34", "P406", "P506")
    ]
    gs_xml = [
        plant(f"grandstream xml {p}", f"<{p}>", f"</{p}>")
        for p in ("P2", "P196", "P34", "P406", "P506")
    ]
    texts = [
        ("poly.cfg", "poly_phone", poly_xml, poly),
        (
            "gs-text.cfg",
            "grandstream_phone",
            "P47 = sip.vats.example.ru\nP35 = 104\n" + "\n".join(p.text for p in gs_text) + "\n",
            gs_text,
        ),
        (
            "gs-form.cfg",
            "grandstream_phone",
            "P47=sip.vats.example.ru&" + "&".join(p.text for p in gs_form) + "&P35=104\n",
            gs_form,
        ),
        (
            "gs.xml",
            "grandstream_phone",
            '<?xml version="1.0"?>\n<gs_provision version="1">\n<config version="1">\n'
            "<P47>sip.vats.example.ru</P47>\n"
            + "\n".join(p.text for p in gs_xml)
            + "\n</config>\n</gs_provision>\n",
            gs_xml,
        ),
    ]
    found = []
    for name, platform, text, plants in texts:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        found.append((path, platform, plants))
    return found


# -- searching -----------------------------------------------------------------------------------


def run(*args: str) -> int:
    code = main(list(args))
    assert code in (0, 1, 4), f"fleetaudit {' '.join(args)} exited {code}"
    return code


def test_planted_secrets_are_found_nowhere(tmp_path: Path, fleetaudit_home: Path) -> None:
    planted = devices()
    outputs: list[Path] = []
    with Lab(builtin_dir("inventory"), ephemeral_ports=True) as lab:
        for device in planted:
            lab.set_output(device.name, device.command, device.planted)
        inventory = lab.write_inventory(tmp_path / "inventory")
        for site in ("office1", "office2"):
            base = ("run", "--site", site, "--inventory", str(inventory), "--quiet")
            for fmt in FORMATS:
                out = tmp_path / f"run-{site}.{fmt}"
                run(*base, "--format", fmt, "--output", str(out))
                outputs.append(out)
    for site in ("office1", "office2"):
        for fmt in FORMATS:
            out = tmp_path / f"history-{site}.{fmt}"
            run("history", "show", "latest", "--site", site, "--format", fmt, "--output", str(out))
            outputs.append(out)

    saved = tmp_path / "saved"
    scans: list[tuple[Path, str, str | None, list[Plant]]] = []
    for device in planted:
        folder = saved / device.name
        folder.mkdir(parents=True)
        (folder / f"{command_slug(device.command)}.txt").write_text(
            device.planted, encoding="utf-8"
        )
        scans.append((folder, device.platform, device.role, device.plants))
    others = offline_files(saved)
    scans += [(path, platform, "phone", plants) for path, platform, plants in others]
    for n, (path, platform, role, _) in enumerate(scans):
        roles = ("--role", role) if role and role != "phone" else ()
        for fmt in ("json", "sarif") if n % 2 else ("markdown", "html"):
            out = tmp_path / f"scan-{n}-{path.name}.{fmt}"
            run(
                "scan",
                str(path),
                "--platform",
                platform,
                *roles,
                "--format",
                fmt,
                "--output",
                str(out),
            )
            outputs.append(out)

    every_plant = [p for d in planted for p in d.plants] + [p for *_, ps in others for p in ps]
    markers = [p.marker for p in every_plant]
    assert len(set(markers)) == len(markers)
    stored = store_text(fleetaudit_home / "fleetaudit.sqlite")

    leaks = {m: "the store" for m in markers if m in stored}
    for out in outputs:
        text = out.read_text(encoding="utf-8")
        assert text.strip(), out
        leaks |= {m: out.name for m in markers if m in text}
    kinds = {p.marker: p.kind for p in every_plant}
    assert not leaks, "secrets found: " + ", ".join(f"{kinds[m]} in {w}" for m, w in leaks.items())
    missing = [p.kind for d in planted for p in d.plants if p.evidence not in stored]
    assert not missing, f"planted lines that never reached the store: {missing}"
    print(
        f"{len(markers)} planted secrets ({len({p.kind for p in every_plant})} kinds) in "
        f"{len(planted)} served devices and {len(others)} offline files; searched the store "
        f"and {len(outputs)} outputs: 0 found"
    )
    listed_in_issue_8 = {
        "snmp-server user v3 auth",
        "snmp-server user v3 priv",
        "ios key config-key password-encrypt",
        "ios wpa-psk ascii 0",
        "routeros management-protection-key",
        "routeros tcp-md5-key",
        "yealink aes_key_16 com",
        "yealink aes_key_16 mac",
        "grandstream P2",
        "grandstream P196",
        "grandstream P406",
        "grandstream P506",
        "xml Password_1_ with attributes",
        "xml Admin_Passwd with attributes",
        "poly xml attribute reg auth password",
    }
    assert listed_in_issue_8 <= {p.kind for p in every_plant}
