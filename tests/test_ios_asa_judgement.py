"""Issue 10, "Real configs it cannot judge" (Cisco IOS and ASA): one regression test per
item, each built from the issue's example, run through `scan` as a user would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fleetaudit import api
from fleetaudit.model import Finding
from fleetaudit.policy import load_policy
from fleetaudit.report.fixes import plan as fix_plan
from tests.report.apply_fixes import apply_cisco

PROFILE = {
    "provider": "vats",
    "subnets": ["193.201.230.128/26"],
    "signalling": {"tcp": "5060", "udp": "5060"},
    "rtp": {"udp": "10000-65535"},
    "keepalive_s": 120,
}


def scan(tmp_path: Path, config: str, platform: str, role: str, **profile: object) -> list[Finding]:
    path = tmp_path / "config.txt"
    path.write_text(config, encoding="utf-8")
    policy = load_policy({**PROFILE, **profile}, "test")
    return api.scan([path], platform, role=role, policy=policy).findings


def of(findings: list[Finding], check: str, status: str | None = None) -> list[Finding]:
    return [f for f in findings if f.check == check and (status is None or f.status == status)]


# --- pre-7 PIX / FWSM syntax: `nameif ethernet0 outside security0`, `fixup` --------------

PIX6 = """\
Building configuration...
: Saved
:
PIX Version 6.3(5)
nameif ethernet0 outside security0
nameif ethernet1 inside security100
hostname pix
fixup protocol ftp 21
fixup protocol sip 5060
fixup protocol sip udp 5060
ip address outside 203.0.113.2 255.255.255.0
ip address inside 192.168.1.1 255.255.255.0
global (outside) 1 interface
nat (inside) 1 0.0.0.0 0.0.0.0 0 0
static (inside,outside) 203.0.113.5 192.168.1.10 netmask 255.255.255.255 0 0
timeout conn 1:00:00 half-closed 0:10:00 udp 0:02:00 rpc 0:10:00 h323 0:05:00
sysopt noproxyarp inside
: end
[OK]
pix#
"""


def test_pix6_fixup_sip_is_sip_inspection_on(tmp_path: Path) -> None:
    alg = of(scan(tmp_path, PIX6, "cisco_asa", "firewall"), "ALG001")
    assert [f.status for f in alg] == ["fail"], alg
    assert "fixup protocol sip 5060" in alg[0].message
    assert alg[0].remediation == "no fixup protocol sip 5060\nno fixup protocol sip udp 5060"


def test_pix6_no_fixup_sip_is_off(tmp_path: Path) -> None:
    config = PIX6.replace("fixup protocol sip 5060\nfixup protocol sip udp 5060\n", "")
    config = config.replace(
        "fixup protocol ftp 21\n", "fixup protocol ftp 21\nno fixup protocol sip 5060\n"
    )
    alg = of(scan(tmp_path, config, "cisco_asa", "firewall"), "ALG001")
    assert [f.status for f in alg] == ["pass"], alg


def test_pix6_sip_over_udp_fixup_stays_on_when_the_tcp_one_is_off(tmp_path: Path) -> None:
    config = PIX6.replace("fixup protocol sip 5060\n", "no fixup protocol sip 5060\n")
    alg = of(scan(tmp_path, config, "cisco_asa", "firewall"), "ALG001")
    assert [f.status for f in alg] == ["fail"], alg
    assert alg[0].remediation == "no fixup protocol sip udp 5060"


def test_pix6_interfaces_are_judged_for_proxy_arp(tmp_path: Path) -> None:
    no_static = "".join(line + "\n" for line in PIX6.splitlines() if not line.startswith("static"))
    arp = of(scan(tmp_path, no_static, "cisco_asa", "firewall"), "ARP001")
    assert {f.subject: f.status for f in arp} == {"outside": "fail", "inside": "pass"}, arp
    assert of(arp, "ARP001", "fail")[0].remediation == "sysopt noproxyarp outside"


def test_pix6_static_into_the_outside_subnet_keeps_proxy_arp(tmp_path: Path) -> None:
    arp = of(scan(tmp_path, PIX6, "cisco_asa", "firewall"), "ARP001")
    outside = [f for f in arp if f.subject == "outside"]
    assert [f.status for f in outside] == ["pass"], arp
    assert "203.0.113.5" in outside[0].message


def test_pix6_dynamic_nat_and_udp_timeout_are_read(tmp_path: Path) -> None:
    nat = of(scan(tmp_path, PIX6, "cisco_asa", "firewall", keepalive_s=300), "NAT001")
    assert [f.status for f in nat] == ["fail"], nat
    assert "120" in nat[0].message


def test_capture_trailers_after_the_end_line_do_not_make_it_truncated(tmp_path: Path) -> None:
    findings = scan(tmp_path, PIX6, "cisco_asa", "firewall")
    assert not [f for f in findings if "truncated" in f.message]
    cut = PIX6.split("sysopt noproxyarp inside")[0]
    assert any("truncated" in f.message for f in scan(tmp_path, cut, "cisco_asa", "firewall"))


# --- IOS WAN edge: not only `ip nat outside` ---------------------------------------------

ROUTER = """\
version 15.7
hostname edge
!
interface GigabitEthernet0/0
 description uplink
{wan}
!
interface GigabitEthernet0/1
 ip address 192.168.10.1 255.255.255.0
 no ip proxy-arp
!
{extra}
{route}
end
"""


def _qos001(tmp_path: Path, wan: str, route: str = "", extra: str = "") -> list[Finding]:
    config = ROUTER.format(wan=wan, route=route, extra=extra)
    return of(scan(tmp_path, config, "cisco_ios", "router"), "QOS001")


def test_wan_edge_by_the_default_routes_next_hop(tmp_path: Path) -> None:
    found = _qos001(
        tmp_path,
        " ip address 198.51.100.2 255.255.255.252",
        "ip route 0.0.0.0 0.0.0.0 198.51.100.1",
    )
    assert [(f.subject, f.status) for f in found] == [("GigabitEthernet0/0", "fail")], found


def test_wan_edge_by_the_default_routes_interface(tmp_path: Path) -> None:
    found = _qos001(
        tmp_path,
        " ip address 198.51.100.2 255.255.255.252",
        "ip route 0.0.0.0 0.0.0.0 Gi0/0 198.51.100.1\nip route 0.0.0.0 0.0.0.0 192.168.10.254 250",
    )
    assert [(f.subject, f.status) for f in found] == [("GigabitEthernet0/0", "fail")], found


def test_wan_edge_by_a_dhcp_client(tmp_path: Path) -> None:
    found = _qos001(tmp_path, " ip address dhcp")
    assert [(f.subject, f.status) for f in found] == [("GigabitEthernet0/0", "fail")], found


def test_wan_edge_by_a_pppoe_dialer(tmp_path: Path) -> None:
    dialer = (
        "interface Dialer1\n ip address negotiated\n encapsulation ppp\n dialer pool 1\n"
        " service-policy output WAN\n!\n"
        "class-map match-any VOICE\n match dscp ef\n!\n"
        "policy-map WAN\n class VOICE\n  priority percent 30\n!"
    )
    found = _qos001(tmp_path, " no ip address\n pppoe-client dial-pool-number 1", extra=dialer)
    assert [(f.subject, f.status) for f in found] == [("Dialer1", "pass")], found


def test_nat_outside_wins_over_a_floating_default_route_on_the_lan(tmp_path: Path) -> None:
    found = _qos001(
        tmp_path,
        " ip address 198.51.100.2 255.255.255.252\n ip nat outside",
        "ip route 0.0.0.0 0.0.0.0 192.168.10.254 254",
    )
    assert [f.subject for f in found] == ["GigabitEthernet0/0"], found


def test_no_sign_of_a_wan_stays_unknown(tmp_path: Path) -> None:
    found = _qos001(tmp_path, " ip address 198.51.100.2 255.255.255.252")
    assert [f.status for f in found] == ["unknown"], found


# --- access switches: voice VLAN without global `mls qos` ---------------------------------

SWITCH = """\
version 12.2
hostname access1
!
{globals}
!
interface FastEthernet0/5
 switchport mode access
 switchport access vlan 10
 switchport voice vlan 20
{port}
 spanning-tree portfast
!
interface Vlan1
 no ip address
 shutdown
!
end
"""


def _qos002(tmp_path: Path, port: str, globals_: str = "") -> list[Finding]:
    config = SWITCH.format(port=port, globals=globals_)
    return of(scan(tmp_path, config, "cisco_ios", "switch"), "QOS002")


def test_voice_vlan_without_global_mls_qos_fails(tmp_path: Path) -> None:
    found = _qos002(tmp_path, "")
    assert [f.status for f in found] == ["fail"], found
    assert "no `mls qos`" in found[0].message
    assert found[0].remediation.startswith("mls qos\n")


def test_mls_qos_trust_cos_without_global_mls_qos_does_nothing(tmp_path: Path) -> None:
    found = _qos002(tmp_path, " mls qos trust cos")
    assert [f.status for f in found] == ["fail"], found
    assert "FastEthernet0/5 (`mls qos trust ...`) does nothing" in found[0].message


def test_global_mls_qos_map_lines_are_not_mls_qos(tmp_path: Path) -> None:
    maps = "mls qos map cos-dscp 0 8 16 24 32 46 48 56\nmls qos srr-queue output cos-map queue 1 threshold 3 5"
    found = _qos002(tmp_path, " mls qos trust cos", maps)
    assert [f.status for f in found] == ["fail"], found


def test_global_mls_qos_and_port_trust_passes(tmp_path: Path) -> None:
    found = _qos002(tmp_path, " mls qos trust cos", "mls qos")
    assert [f.status for f in found] == ["pass"], found


# --- firewall answers decided, not undecided ---------------------------------------------

EDGE = """\
version 15.4
hostname edge
!
interface Dialer1
 ip address negotiated
 ip access-group EXT_IN in
 ip nat outside
 dialer pool 1
!
interface FastEthernet0/0
 ip address 172.16.2.1 255.255.255.0
 ip nat inside
!
ip access-list extended EXT_IN
 permit tcp any any eq 1415
 permit esp host any any
 deny   udp any any log
 deny   ip any any log
!
ip nat inside source list 1 interface Dialer1 overload
end
"""


def test_an_unreadable_line_that_cannot_carry_udp_does_not_undecide_rtp(tmp_path: Path) -> None:
    findings = scan(tmp_path, EDGE, "cisco_ios", "router", targets={"phones": ["172.16.2.0/24"]})
    rtp = of(findings, "FW001")
    assert [f.status for f in rtp] == ["fail"], rtp
    assert "denied" in rtp[0].message and "cannot be evaluated" not in rtp[0].message


# --- ASA multiple context mode: notes with `changeto context`, tabs, prose ----------------

MULTI_CONTEXT = """\
Active/Active failover needs multiple context mode. The system context:

context HR
\tallocate-interface eth1 inside
\tallocate-interface eth3 outside
\tconfig-url flash:hr.cfg

Then each context's own configuration:

changeto context HR
int inside
\tnameif inside
\tsecurity-level 100
\tip address 172.16.1.1 255.255.255.0 standby 172.16.1.2
int outside
\tnameif outside
\tsecurity-level 0
\tip address 1.1.1.1 255.255.255.0 standby 1.1.1.2
sysopt noproxyarp inside
policy-map global_policy
\tclass inspection_default
\t\tinspect sip
service-policy global_policy global
: end

changeto context ACC
int inside
\tnameif inside
\tsecurity-level 100
\tip address 172.16.2.1 255.255.255.0 standby 172.16.2.2
int outside
\tnameif outside
\tsecurity-level 0
\tip address 1.1.1.3 255.255.255.0 standby 1.1.1.4
{acc_policy}: end

That is all: fail over and test both contexts.
"""


def test_every_context_is_judged_for_proxy_arp(tmp_path: Path) -> None:
    config = MULTI_CONTEXT.format(acc_policy="")
    arp = of(scan(tmp_path, config, "cisco_asa", "firewall"), "ARP001")
    assert {f.subject: f.status for f in arp} == {
        "HR/inside": "pass",
        "HR/outside": "fail",
        "ACC/inside": "fail",
        "ACC/outside": "fail",
    }, arp
    acc = next(f for f in arp if f.subject == "ACC/outside")
    assert acc.remediation == "changeto context ACC\nsysopt noproxyarp outside"


def test_sip_inspection_in_one_context_fails_alg001_with_that_contexts_fix(tmp_path: Path) -> None:
    config = MULTI_CONTEXT.format(acc_policy="")
    alg = of(scan(tmp_path, config, "cisco_asa", "firewall"), "ALG001")
    assert [f.status for f in alg] == ["fail"], alg
    assert "context HR" in alg[0].message
    assert alg[0].remediation == (
        "changeto context HR\npolicy-map global_policy\n class inspection_default\n  no inspect sip"
    )


def test_alg001_never_passes_on_a_context_whose_policy_is_not_in_the_file(tmp_path: Path) -> None:
    hr_off = MULTI_CONTEXT.replace("\t\tinspect sip\n", "")
    alg = of(scan(tmp_path, hr_off.format(acc_policy=""), "cisco_asa", "firewall"), "ALG001")
    assert [f.status for f in alg] == ["unknown"], alg  # ACC's policy is not shown
    acc_off = "policy-map global_policy\n\tclass inspection_default\n"
    acc_off += "service-policy global_policy global\n"
    alg = of(scan(tmp_path, hr_off.format(acc_policy=acc_off), "cisco_asa", "firewall"), "ALG001")
    assert [f.status for f in alg] == ["pass"], alg


def test_a_context_cut_before_its_end_is_not_judged(tmp_path: Path) -> None:
    cut = MULTI_CONTEXT.format(acc_policy="").rsplit(": end", 1)[0]
    findings = scan(tmp_path, cut, "cisco_asa", "firewall")
    assert all(f.status == "unknown" for f in of(findings, "ARP001")), findings


#: an ASA with an outside and inside interface and the PBX statically NATed
ASA_INSIDE_PBX = """\
ASA Version 9.8(2)
hostname fw
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 192.168.20.1 255.255.255.0
object network PBX
 host 192.168.20.10
 nat (inside,outside) static 203.0.113.10
"""

ASA_GROUPS = (
    ASA_INSIDE_PBX
    + """\
object service SIP-UDP
 service udp destination eq sip
object-group network PROVIDER-NETS
 network-object 193.201.230.128 255.255.255.192
object-group network PEERS
 group-object PROVIDER-NETS
object-group protocol VOICE-PROTO
 protocol-object udp
 protocol-object tcp
object-group service SIP-PORTS tcp-udp
 port-object eq sip
object-group service SVC
 service-object object ospf
 service-object object SIP-UDP
 group-object RTP
object-group service RTP
 service-object udp destination range 10000 65535
access-list OUTSIDE-IN extended permit object ospf any any
access-list OUTSIDE-IN extended permit object-group SVC object-group PEERS object PBX
access-list OUTSIDE-IN extended permit object-group VOICE-PROTO object-group PEERS object PBX object-group SIP-PORTS
access-list OUTSIDE-IN extended deny ip any any
access-group OUTSIDE-IN in interface outside
: end
"""
)

PBX = {"pbx": ["192.168.20.10"]}


def test_asa_builtin_service_objects_and_nested_groups_decide(tmp_path: Path) -> None:
    findings = scan(tmp_path, ASA_GROUPS, "cisco_asa", "firewall", targets=PBX)
    decided = {f.check: f.status for f in findings if f.check in ("FW001", "FW002")}
    assert decided == {"FW001": "pass", "FW002": "pass"}, findings


def test_asa_group_that_closes_rtp_is_decided_as_a_fail(tmp_path: Path) -> None:
    closed = ASA_GROUPS.replace("range 10000 65535", "range 10000 20000")
    rtp = of(scan(tmp_path, closed, "cisco_asa", "firewall", targets=PBX), "FW001")
    assert [f.status for f in rtp] == ["fail"], rtp
    assert "20001-65535" in rtp[0].message


IOS_GROUPS = """\
version 15.7
hostname gw
!
object-group network PROVIDER
 193.201.230.128 255.255.255.192
!
object-group network PEERS
 group-object PROVIDER
 host 198.51.100.7
!
object-group service SIP
 tcp-udp eq sip
!
object-group service VOICE
 group-object SIP
 udp range 10000 65535
!
interface GigabitEthernet0/0
 ip address 203.0.113.2 255.255.255.0
 ip access-group WAN-IN in
 ip nat outside
!
interface GigabitEthernet0/1
 ip address 192.168.20.1 255.255.255.0
 ip nat inside
!
ip nat inside source static 192.168.20.10 203.0.113.10
!
ip access-list extended WAN-IN
 10 permit object-group VOICE object-group PEERS host 203.0.113.10
 20 deny ip any any
!
end
"""


def test_ios_nested_service_and_network_groups_with_port_names_decide(tmp_path: Path) -> None:
    findings = scan(tmp_path, IOS_GROUPS, "cisco_ios", "router", targets=PBX)
    decided = {f.check: f.status for f in findings if f.check in ("FW001", "FW002")}
    assert decided == {"FW001": "pass", "FW002": "pass"}, findings


# --- overlapping firewall fixes at one ACL entry merge into one plan ---------------------

OVERLAP = {
    "cisco_ios": """\
version 15.7
hostname gw
!
interface GigabitEthernet0/0
 ip address 203.0.113.2 255.255.255.0
 ip access-group WAN-IN in
 ip nat outside
!
interface GigabitEthernet0/1
 ip address 192.168.20.1 255.255.255.0
 ip nat inside
!
ip nat inside source static 192.168.20.10 203.0.113.10
!
ip access-list extended WAN-IN
 10 permit icmp any any
 20 deny ip any any
!
end
""",
    "cisco_asa": ASA_INSIDE_PBX
    + """\
access-list OUTSIDE-IN extended permit icmp any any
access-list OUTSIDE-IN extended deny ip any any
access-group OUTSIDE-IN in interface outside
: end
""",
}


def _fw(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.check in ("FW001", "FW002")]


@pytest.mark.parametrize("platform", sorted(OVERLAP))
def test_fw001_and_fw002_fixes_at_one_entry_merge_and_prove_themselves(
    tmp_path: Path, platform: str
) -> None:
    role = "router" if platform == "cisco_ios" else "firewall"
    config = OVERLAP[platform]
    path = tmp_path / "config.txt"
    path.write_text(config, encoding="utf-8")
    policy = load_policy({**PROFILE, "targets": PBX}, "test")
    before = api.scan([path], platform, role=role, policy=policy)
    assert {f.check: f.status for f in _fw(before.findings)} == {"FW001": "fail", "FW002": "fail"}
    (device,) = fix_plan(before)
    text = device.apply_text()
    numbers = re.findall(r"^ (\d+) permit", text, re.MULTILINE)
    assert len(numbers) == len(set(numbers)), text  # no sequence number claimed twice
    path.write_text(apply_cisco(config, text), encoding="utf-8")
    after = api.scan([path], platform, role=role, policy=policy)
    assert {f.check: f.status for f in _fw(after.findings)} == {"FW001": "pass", "FW002": "pass"}
    was = {f.fingerprint for f in before.findings if f.status == "fail"}
    assert not [f for f in after.findings if f.status == "fail" and f.fingerprint not in was]


def test_qos001_fix_replaces_an_attached_output_policy_without_voice_priority(
    tmp_path: Path,
) -> None:
    policy = (
        "class-map match-all HIGH\n match ip precedence 6 7\n!\n"
        "policy-map OLD\n class HIGH\n  priority percent 10\n!"
    )
    found = _qos001(
        tmp_path,
        " ip address dhcp\n service-policy output OLD",
        extra=policy,
    )
    assert [f.status for f in found] == ["fail"], found
    assert "interface GigabitEthernet0/0\n no service-policy output OLD\n" in found[0].remediation
    config = ROUTER.format(
        wan=" ip address dhcp\n service-policy output OLD", route="", extra=policy
    )
    fixed = tmp_path / "fixed.txt"
    fixed.write_text(apply_cisco(config, found[0].remediation), encoding="utf-8")
    policy_ = load_policy(PROFILE, "test")
    after = api.scan([fixed], "cisco_ios", role="router", policy=policy_).findings
    assert [f.status for f in of(after, "QOS001")] == ["pass"]


def test_a_firewall_with_no_inside_address_is_not_called_off_the_path(tmp_path: Path) -> None:
    config = "\n".join(line for line in PIX6.splitlines() if not line.startswith("ip address"))
    found = [
        f
        for f in scan(tmp_path, config + "\n", "cisco_asa", "firewall", targets=PBX)
        if f.check in ("FW001", "FW002")
    ]
    assert {f.status for f in found} == {"unknown"}, found


def test_qos001_on_several_contexts_points_at_the_router_in_front(tmp_path: Path) -> None:
    qos = of(scan(tmp_path, MULTI_CONTEXT.format(acc_policy=""), "cisco_asa", "firewall"), "QOS001")
    assert [f.status for f in qos] == ["unknown"], qos
    assert "multiple context mode" in qos[0].message and "router in front" in qos[0].message


def test_qos001_on_pix6_gives_no_config_fix_the_software_lacks(tmp_path: Path) -> None:
    qos = of(scan(tmp_path, PIX6, "cisco_asa", "firewall"), "QOS001")
    assert [f.status for f in qos] == ["fail"], qos
    assert qos[0].remediation == "" and "before 7.0" in qos[0].message


ASA82 = """\
: Saved
:
ASA Version 8.2(5)
hostname fw
interface Ethernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
interface Ethernet0/1
 nameif inside
 security-level 100
 ip address 192.168.20.1 255.255.255.0
access-list OUTSIDE_IN extended permit udp 193.201.230.128 255.255.255.192 host 203.0.113.10 range 10000 65535
access-list OUTSIDE_IN extended permit udp 193.201.230.128 255.255.255.192 host 203.0.113.10 eq sip
access-list OUTSIDE_IN extended permit tcp 193.201.230.128 255.255.255.192 host 203.0.113.10 eq sip
access-list OUTSIDE_IN extended deny ip any any
global (outside) 1 interface
nat (inside) 1 0.0.0.0 0.0.0.0
static (inside,outside) 203.0.113.10 192.168.20.10 netmask 255.255.255.255
access-group OUTSIDE_IN in interface outside
sysopt noproxyarp inside
: end
"""


def test_pre_83_static_config_lets_access_lists_name_the_mapped_address(tmp_path: Path) -> None:
    findings = scan(tmp_path, ASA82, "cisco_asa", "firewall", targets=PBX)
    decided = {f.check: f.status for f in findings if f.check in ("FW001", "FW002")}
    assert decided == {"FW001": "pass", "FW002": "pass"}, findings
