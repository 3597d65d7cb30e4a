"""The one scrubber (fleetaudit.sanitize): one case per kind of secret, lines that must stay
as they are, documents that must still parse, the lab's outputs giving the same findings
scrubbed or not, and the mark the store relies on."""

from __future__ import annotations

import json
import re
import sqlite3
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from fleetaudit.audit import Options, analyse, saved_commands
from fleetaudit.evidence import Evidence, HostCollection, command_slug
from fleetaudit.inventory import load_nornir, policy_of, select
from fleetaudit.paths import builtin_dir
from fleetaudit.policy import VoipPolicy
from fleetaudit.sanitize import GRANDSTREAM_SECRETS, scrub, scrub_collection, scrub_evidence
from fleetaudit.store import Store, UnscrubbedEvidence

# (kind, text, the secret in it): every kind the scrubber covers
SECRETS = [
    # IOS
    ("ios enable secret", "enable secret 5 $1$mERr$Ios5EnableHash", "Ios5EnableHash"),
    ("ios enable secret level", "enable secret level 15 5 $1$ab$IosLevelHash", "IosLevelHash"),
    ("ios enable password", "enable password 7 0822455D0A16", "0822455D0A16"),
    ("ios username password", "username audit privilege 15 password 0 IosUserPw", "IosUserPw"),
    ("ios username secret", "username ops secret 9 $9$IosType9Hash", "IosType9Hash"),
    ("netutils default: nxos role", "username nx password 5 $5$NxHash role admin", "NxHash"),
    ("ios snmp community", "snmp-server community IosRoComm RO", "IosRoComm"),
    ("ios snmp host", "snmp-server host 192.0.2.50 version 2c IosTrapComm", "IosTrapComm"),
    (
        "ios snmp host informs",
        "snmp-server host 192.0.2.5 informs version 2c IosInfComm",
        "IosInfComm",
    ),
    ("ios snmp host by name", "snmp-server host nms.example.com IosNameComm", "IosNameComm"),
    ("ios snmp v3 auth", "snmp-server user u G v3 auth sha IosV3Auth priv aes 128 P", "IosV3Auth"),
    ("ios snmp v3 priv", "snmp-server user u G v3 auth sha A priv aes 128 IosV3Priv", "IosV3Priv"),
    ("ios snmp v3 des", "snmp-server user u G v3 auth md5 A priv des IosV3Des", "IosV3Des"),
    ("ios isakmp key", "crypto isakmp key IosIsakmpPsk address 0.0.0.0", "IosIsakmpPsk"),
    ("ios keyring psk", " pre-shared-key address 192.0.2.1 key IosKeyringPsk", "IosKeyringPsk"),
    ("ios ntp key", "ntp authentication-key 1 md5 IosNtpKey 7", "IosNtpKey"),
    ("ios tacacs key", "tacacs-server key 7 IosTacacsKey", "IosTacacsKey"),
    ("ios radius server key", " key 7 IosRadiusKey", "IosRadiusKey"),
    (
        "ios sip-ua credentials",
        " credentials number 4001 username 4001 password 0 IosSipPw realm r",
        "IosSipPw",
    ),
    ("ios ospf md5", " ip ospf message-digest-key 1 md5 IosOspfKey", "IosOspfKey"),
    ("ios key-string", "  key-string 7 IosKeyString", "IosKeyString"),
    ("ios hsrp md5", " standby 1 authentication md5 key-string IosHsrpMd5", "IosHsrpMd5"),
    ("ios hsrp text", " standby 1 authentication IosHsrpText", "IosHsrpText"),
    ("ios config-key", "key config-key password-encrypt IosConfigKey", "IosConfigKey"),
    ("ios wpa-psk", " wpa-psk ascii 0 IosWpaPsk", "IosWpaPsk"),
    ("ios wpa-psk hex 7", " wpa-psk hex 7 IosWpaHex", "IosWpaHex"),
    ("ios line password", " password 7 IosLinePw", "IosLinePw"),
    # ASA
    ("asa enable password", "enable password AsaEnablePw encrypted", "AsaEnablePw"),
    ("asa passwd", "passwd AsaPasswd encrypted", "AsaPasswd"),
    ("asa username", "username vpn password AsaUserPw encrypted privilege 15", "AsaUserPw"),
    (
        "asa snmp host",
        "snmp-server host inside 10.0.0.5 community AsaHostComm version 2c",
        "AsaHostComm",
    ),
    ("asa snmp community", "snmp-server community AsaSnmpComm", "AsaSnmpComm"),
    ("asa snmp v3", "snmp-server user u G v3 encrypted auth sha AsaV3 priv aes 256 B", "AsaV3"),
    ("asa ikev1 psk", " ikev1 pre-shared-key AsaIkePsk", "AsaIkePsk"),
    ("asa ikev2 psk", " ikev2 remote-authentication pre-shared-key AsaIke2Psk", "AsaIke2Psk"),
    ("asa failover key", "failover key AsaFailoverKey", "AsaFailoverKey"),
    ("asa ldap", " ldap-login-password AsaLdapPw", "AsaLdapPw"),
    # RouterOS
    ("routeros password", "/user add group=full name=audit password=RosUserPw", "RosUserPw"),
    ("routeros ppp secret", "/ppp secret add name=b password=RosPppPw service=l2tp", "RosPppPw"),
    ("routeros quoted secret", '/ip ipsec peer add secret="RosIpsec Secret"', "RosIpsec Secret"),
    ("routeros wpa2 psk", "set [ find default=yes ] wpa2-pre-shared-key=RosWpaKey", "RosWpaKey"),
    ("routeros mgmt protection", "add management-protection-key=RosMgmtKey name=p", "RosMgmtKey"),
    ("routeros tcp-md5-key", "add name=isp remote-as=65000 tcp-md5-key=RosBgpMd5", "RosBgpMd5"),
    (
        "routeros private-key",
        '/interface wireguard add private-key="RosWgKey=" name=wg',
        "RosWgKey",
    ),
    ("routeros passphrase", "/interface wifi security add passphrase=RosWifi name=s", "RosWifi"),
    (
        "routeros continuation",
        "add name=pppoe-out1 user=isp \\\n    password=RosContPw",
        "RosContPw",
    ),
    ("routeros snmp section", "/snmp community\nset [ find default=yes ] name=RosComm", "RosComm"),
    ("routeros snmp add", "/snmp community add addresses=10.0.0.0/8 name=RosCommAdd", "RosCommAdd"),
    ("routeros trap community", "/snmp\nset enabled=yes trap-community=RosTrap", "RosTrap"),
    # Asterisk .conf files and show outputs
    ("asterisk sip secret", "secret=AstSipSecret", "AstSipSecret"),
    ("asterisk md5secret", "md5secret = AstMd5Secret", "AstMd5Secret"),
    ("asterisk pjsip password", "password = AstPjsipPw", "AstPjsipPw"),
    ("asterisk md5_cred", "md5_cred=AstMd5Cred", "AstMd5Cred"),
    ("asterisk md5_cred spaced", "md5_cred = AstMd5Spaced", "AstMd5Spaced"),
    ("asterisk register", "register => 4001:AstRegSecret@sip.example.net/4001", "AstRegSecret"),
    (
        "asterisk register authuser",
        "register => udp://4001:AstRegAuth:auth@sip.example.net",
        "AstRegAuth",
    ),
    ("asterisk pjsip show auth", "  password    : AstShowPw", "AstShowPw"),
    # phones: key = value (Yealink), text
    ("yealink account password", "account.1.password = YlkSipPw", "YlkSipPw"),
    ("yealink aes key com", "static.auto_provision.aes_key_16.com = YlkAesCom", "YlkAesCom"),
    ("yealink aes key mac", "static.auto_provision.aes_key_16.mac = YlkAesMac", "YlkAesMac"),
    ("yealink user password", "static.security.user_password = admin:YlkAdmin", "YlkAdmin"),
    ("yealink url", "static.auto_provision.server.url = http://u:YlkUrlPw@10.0.0.5/", "YlkUrlPw"),
    ("status page text", "Admin Password: PhoneAdminPw", "PhoneAdminPw"),
    # Grandstream P-values: text, form, JSON, XML
    ("grandstream text", "P2 = GsAdminText", "GsAdminText"),
    ("grandstream form", "P47=sip.example&P34=GsFormSip&P35=104", "GsFormSip"),
    *(
        (f"grandstream json {p}", f'{{"body": {{"{p}": "Gs{p}Json"}}}}', f"Gs{p}Json")
        for p in GRANDSTREAM_SECRETS
    ),
    *(
        (f"grandstream xml {p}", f"<config><{p}>Gs{p}Xml</{p}></config>", f"Gs{p}Xml")
        for p in GRANDSTREAM_SECRETS
    ),
    ("grandstream json number", '{"body": {"P34": 123456}}', "123456"),
    # JSON (Poly REST)
    ("poly json", '{"data": {"reg.1.auth.password": "PolyJsonPw"}}', "PolyJsonPw"),
    ("poly json escaped", '{"data": {"device.auth.localAdminPassword": "a\\"PolyEsc"}}', "PolyEsc"),
    ("json cut short", '{"data": {"reg.1.auth.password": "PolyCutPw', "PolyCutPw"),
    ("json line in text", '  "reg.1.auth.password": "PolyLinePw",', "PolyLinePw"),
    # XML
    (
        "xml Password_1_",
        '<flat-profile><Password_1_ ua="na">SpaLinePw</Password_1_></flat-profile>',
        "SpaLinePw",
    ),
    (
        "xml Admin_Passwd",
        '<flat-profile><Admin_Passwd ua="na">SpaAdmin</Admin_Passwd></flat-profile>',
        "SpaAdmin",
    ),
    ("cisco sshPassword", "<device><sshPassword>CiscoSsh</sshPassword></device>", "CiscoSsh"),
    ("xml cut short", "<device><sshPassword>CiscoCut", "CiscoCut"),
    (
        "poly xml attribute",
        '<PHONE_CONFIG><reg reg.1.auth.password="PolyAttr"/></PHONE_CONFIG>',
        "PolyAttr",
    ),
    (
        "poly xml single quotes",
        "<PHONE_CONFIG><d device.auth.localAdminPassword='PolyQ'/></PHONE_CONFIG>",
        "PolyQ",
    ),
    ("grandstream xml auth-pwd", "<account><auth-pwd>GsAuthPwd</auth-pwd></account>", "GsAuthPwd"),
    (
        "xml url",
        "<p><Profile_Rule>https://admin:SpaUrlPw@prov/x.xml</Profile_Rule></p>",
        "SpaUrlPw",
    ),
]


@pytest.mark.parametrize(("kind", "text", "secret"), SECRETS, ids=[k for k, _, _ in SECRETS])
def test_each_kind_of_secret_is_removed_once_and_for_all(kind: str, text: str, secret: str) -> None:
    once = scrub(text)
    assert secret not in once
    assert "<removed>" in once or "&lt;removed&gt;" in once
    assert scrub(once) == once  # scrubbed text does not change again


# lines the checks read: they stay exactly as they are
KEPT = [
    "ip nat service sip udp port 5060",
    "no ip nat service sip tcp port 5060",
    "key chain VOIP-KEYS",
    "key chain VOIP-KEYS\n key 1\n  key-string 7 <removed>",
    "crypto key generate rsa modulus 2048",
    "crypto key zeroize rsa",
    "password encryption aes",
    "service password-encryption",
    "security passwords min-length 8",
    " hash md5",
    "crypto ipsec transform-set T esp-aes esp-md5-hmac",
    " ip ospf authentication message-digest",
    " ip rip authentication key-chain RIPKEYS",
    " neighbor 10.0.0.1 send-community both",
    " set community 65000:100",
    "snmp-server host inside 192.168.10.50 community <removed> version 2c",
    "snmp-server enable traps snmp authentication linkdown linkup",
    "aaa authentication login default local",
    "username audit privilege 15 secret 9 <removed>",
    "/ip firewall filter",
    "add action=accept chain=forward comment=SIP dst-port=5060 protocol=udp src-address=193.201.230.128/26",
    "/ip firewall service-port",
    "set sip disabled=no ports=5060,5061 sip-direct-media=yes",
    '/interface wireguard peers add interface=wg1 public-key="bXlQdWJsaWNLZXk="',
    ' 0   name="sip" ports=5060,5061 sip-direct-media=yes sip-timeout=1h',
    "                   udp-timeout: 10s",
    "           udp-stream-timeout: 3m",
    "                  version: 6.49.10 (long-term)",
    "account.1.sip_server.1.expires = 300",
    "account.1.nat.udp_update_time = 30",
    '{"data": {"reg.1.server.1.expires": "3600", "reg.1.auth.userId": "103"}}',
    '{"body": {"P47": "sip.vats.example.ru", "P20": "x", "P234": "y"}}',
    "<device><sshUserId>admin</sshUserId><sshPassword></sshPassword></device>",
    '<PHONE_CONFIG><reg reg.1.address="103" reg.1.auth.userId="103"/></PHONE_CONFIG>',
    "SIP: sip:103@sip.vats.example.ru",
    "register => 4001@sip.example.net/4001",
    "  Username     : 4001",
]


@pytest.mark.parametrize("text", KEPT)
def test_what_checks_read_stays_as_it_is(text: str) -> None:
    assert scrub(text) == text


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_a_routeros_line_keeps_its_continuation(end: str) -> None:
    """A secret at the end of a continued line keeps the "\\": an export cut there still
    looks cut (completeness is judged on stored evidence too)."""
    text = f"/ppp secret{end}add name=b password=RosPw\\{end}    service=l2tp{end}"
    assert (
        scrub(text) == f"/ppp secret{end}add name=b password=<removed>\\{end}    service=l2tp{end}"
    )
    assert scrub("set trap-community=RosTrap\\") == "set trap-community=<removed>\\"


def test_scrubbed_documents_still_parse() -> None:
    xml = (
        '<?xml version="1.0"?>\n<device><sshPassword>X</sshPassword><Password_1_ ua="na">Y<'
        + "/Password_1_></device>"
    )
    ET.fromstring(scrub(xml).split("?>", 1)[1])
    ET.fromstring(scrub('<PHONE_CONFIG><reg reg.1.auth.password="X"/></PHONE_CONFIG>'))
    assert json.loads(scrub('{"body": {"P2": "x", "P34": 5, "P47": "s"}}'))["body"] == {
        "P2": "<removed>",
        "P34": "<removed>",
        "P47": "s",
    }
    assert "<removed>" in ET.fromstring(scrub("<c><P2>x</P2></c>")).findtext("P2", "")


def _lab_collections(site: str, clean: bool) -> list[HostCollection]:
    """The site's lab outputs as collected evidence: scrubbed, or exactly as served."""
    hosts = select(load_nornir(builtin_dir("inventory"), 1), site).inventory.hosts
    found = []
    for name, host in hosts.items():
        item = HostCollection(name, str(host.platform), site, host.get("role"))
        folder = builtin_dir("inventory") / "lab" / name
        for slug, command in saved_commands(item.platform, item.role, ()).items():
            path = folder / f"{slug}.txt"
            if path.exists():
                text = path.read_text(encoding="utf-8")
                item.evidence[command] = Evidence(name, item.platform, command, "ok", text)
        found.append(scrub_collection(item) if clean else item)
    return found


@pytest.mark.parametrize("site", ["office1", "office2"])
def test_scrubbing_the_lab_changes_no_finding(site: str) -> None:
    """Every check sees in scrubbed evidence what it sees in the raw outputs."""
    raw, clean = _lab_collections(site, False), _lab_collections(site, True)
    hosts = select(load_nornir(builtin_dir("inventory"), 1), site).inventory.hosts
    policies = {name: policy_of(host) for name, host in hosts.items()}
    before = analyse(raw, policies, Options(), site, "offline", time.time())
    after = analyse(clean, policies, Options(), site, "offline", time.time())

    def summary(report: object) -> list[tuple[str, str, str, str]]:
        return sorted(
            (f.fingerprint, f.status, f.message, "\n".join(r.text for r in f.evidence))
            for f in report.findings  # type: ignore[attr-defined]
        )

    changed = [(a, b) for a, b in zip(summary(before), summary(after), strict=True) if a != b]
    # a finding may quote a line that held a secret; nothing else may differ
    assert all(a[:3] == b[:3] and "<removed>" in b[3] for a, b in changed), changed
    assert summary(before), "the lab's outputs give findings"


def test_only_lines_with_a_secret_change_in_the_lab_outputs() -> None:
    secretive = re.compile(r"(?i)pass|secret|community|key|pwd|P\d+")
    for path in sorted((builtin_dir("inventory") / "lab").glob("*/*.txt")):
        text = path.read_text(encoding="utf-8")
        for before, after in zip(text.splitlines(), scrub(text).splitlines(), strict=True):
            if before != after:
                assert secretive.search(before), f"{path}: {before!r} -> {after!r}"


def test_scrub_evidence_marks_and_is_applied_once() -> None:
    raw = Evidence(
        "gw1", "cisco_ios", "show running-config", "ok", "enable secret 5 X", error="key 7 Y"
    )
    clean = scrub_evidence(raw)
    assert (clean.output, clean.error, clean.scrubbed) == (
        "enable secret 5 <removed>",
        "key 7 <removed>",
        True,
    )
    assert not raw.scrubbed
    assert scrub_evidence(clean) is clean


def test_the_store_refuses_evidence_the_scrubber_did_not_mark(tmp_path: Path) -> None:
    item = HostCollection("gw1", "cisco_ios", "office1", "gateway")
    item.evidence["show running-config"] = Evidence(
        "gw1", "cisco_ios", "show running-config", "ok", "hostname gw1\nenable secret 5 X\nend\n"
    )
    report = analyse([item], {"gw1": VoipPolicy()}, Options(), "office1", "offline", time.time())
    db = tmp_path / "store.sqlite"
    with Store.open(db) as store, pytest.raises(UnscrubbedEvidence, match="gw1.*show running"):
        store.save(report, [item])
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM runs").fetchone() == (0,)
    con.close()
    with Store.open(db) as store:
        store.save(report, [scrub_collection(item)])
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM runs").fetchone() == (1,)
    con.close()


def test_read_back_evidence_is_marked(tmp_path: Path) -> None:
    item = scrub_collection(HostCollection("gw1", "cisco_ios", "office1", "gateway"))
    item.evidence["show version"] = scrub_evidence(
        Evidence("gw1", "cisco_ios", "show version", "ok", "Cisco IOS XE Software")
    )
    report = analyse([item], {"gw1": VoipPolicy()}, Options(), "office1", "offline", time.time())
    with Store.open(tmp_path / "store.sqlite") as store:
        store.save(report, [item])
        (back,) = store.collections(report.run_id)
    assert all(e.scrubbed for e in back.evidence.values())
    assert command_slug("show version") in {command_slug(c) for c in back.evidence}
