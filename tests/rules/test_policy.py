"""A malformed provider profile exits 2 with the offending key named (and how to fix it),
through the real CLI against a copy of the demo inventory; the parts of the profile the
firewall checks read are loaded as written."""

from __future__ import annotations

import ipaddress
import shutil
from pathlib import Path

import pytest

from fleetaudit.cli import main
from fleetaudit.errors import UsageError
from fleetaudit.paths import builtin_dir
from fleetaudit.policy import load_policy

PROFILE = 'rtp: {udp: "10000-65535"}'
TARGETS = "pbx: [192.168.20.10]               # behind fw1 (static NAT) and rtr1 (dst-nat)"


def run_with(tmp_path: Path, old: str, new: str) -> list[str]:
    inventory = tmp_path / "inv"
    shutil.copytree(builtin_dir("inventory"), inventory)
    groups = inventory / "groups.yaml"
    text = groups.read_text()
    assert old in text, old
    groups.write_text(text.replace(old, new, 1))
    return ["run", "--site", "office1", "--inventory", str(inventory), "--quiet", "--no-store"]


@pytest.mark.parametrize(
    ("old", "new", "needles"),
    [
        (
            "subnets: [193.201.230.128/26]",
            "subnets: [193.201.230.129/26]",
            ["voip.subnets[0]", "193.201.230.129/26", "host bits set", "193.201.230.128/26"],
        ),
        (
            "subnets: [193.201.230.128/26]",
            "subnets: [193.201.230.128/33]",
            ["voip.subnets[0]", "not an IPv4 prefix"],
        ),
        (
            PROFILE,
            'rtp: {udp: "65535-10000"}',
            ["voip.rtp.udp", "'65535-10000' is reversed", "10000-65535"],
        ),
        (
            PROFILE,
            'rtp: {sctp: "10000-65535"}',
            ["voip.rtp.sctp", "unknown protocol", "tcp or udp"],
        ),
        (PROFILE, 'rtp: {udp: "10000-70000"}', ["voip.rtp.udp", "ports 1-65535"]),
        ('udp: "5060"}', 'udp: "sip"}', ["voip.signalling.udp", "'sip' is not a port"]),
        (TARGETS, "pbx: [192.168.20.0/24]", ["voip_targets.pbx[0]", "not an IPv4 address"]),
        (TARGETS, "pbx: 192.168.20.10", ["voip_targets.pbx", "expected a list"]),
        ("phone_vlan: 20\n", "phone_vlan: 5000\n", ["voip_targets.phone_vlan", "VLAN id 1-4094"]),
        (
            "phone_vlan: 20\n",
            "phone_vlan: 20\n      sbc: [1.2.3.4]\n",
            ["voip_targets.sbc", "unknown key"],
        ),
        ("any_traffic: true", "any_traffic: maybe", ["voip.any_traffic", "true or false"]),
    ],
)
def test_malformed_profile_exits_2_naming_the_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, old: str, new: str, needles: list[str]
) -> None:
    assert main(run_with(tmp_path, old, new)) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, err


def test_the_demo_profile_loads_with_its_targets() -> None:
    policy = load_policy(
        {
            "subnets": ["193.201.230.128/26"],
            "any_traffic": True,
            "signalling": {"tcp": "80,443,5060,5061,11024", "udp": "5060"},
            "rtp": {"udp": "10000-65535"},
            "targets": {"pbx": ["192.168.20.10"], "phones": ["192.168.20.0/25"], "phone_vlan": 20},
        },
        "site",
    )
    assert policy.any_traffic and policy.targets.phone_vlan == 20
    assert policy.targets.for_provider() == [("PBX", ipaddress.IPv4Network("192.168.20.10/32"))]
    assert [str(r) for r in policy.rtp["udp"]] == ["10000-65535"]


def test_phones_are_the_target_without_a_pbx() -> None:
    policy = load_policy({"targets": {"phones": ["10.0.20.0/24"]}}, "site")
    assert policy.targets.for_provider() == [("phones", ipaddress.IPv4Network("10.0.20.0/24"))]


def test_targets_key_is_named_in_errors() -> None:
    with pytest.raises(UsageError, match=r"site\.voip\.targets: expected a mapping"):
        load_policy({"targets": ["192.168.20.10"]}, "site")


def test_the_demo_profile_as_nornir_reads_it() -> None:
    """Nornir reads YAML 1.2, where the profile's `sip_alg: off` is the string "off"."""
    from fleetaudit.inventory import load_nornir, policy_of

    hosts = load_nornir(builtin_dir("inventory"), 1).inventory.hosts
    policy = policy_of(hosts["office1-gw1"])
    assert hosts["office1-gw1"].get("voip")["sip_alg"] == "off"
    assert policy.sip_alg is False and policy.any_traffic is True
    assert policy.targets.phone_vlan == 20
