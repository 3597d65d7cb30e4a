"""PSEC001 ties a phone to the switch port it is on: move the phone, the finding follows."""

from __future__ import annotations

from pathlib import Path

from fleetaudit.audit import Options, audit_live
from fleetaudit.checkkit import Host
from fleetaudit.lab import Lab
from fleetaudit.model import Finding
from fleetaudit.paths import builtin_dir
from fleetaudit.platforms.phones.family import phone_keepalives

LAB = builtin_dir("inventory") / "lab"


def psec(inventory: Path) -> list[Finding]:
    report, _ = audit_live(inventory, "office1", None, Options(only_checks=("PSEC001",)))
    return [f for f in report.findings if f.check == "PSEC001" and f.status == "fail"]


def moved(command: str, text: str) -> str:
    """The phone SEP001122334455 moved from Gi1/0/5 to Gi1/0/7 (no port-security)."""
    if command == "show mac address-table":
        return text.replace(
            "0011.2233.4455    DYNAMIC     Gi1/0/5", "0011.2233.4455    DYNAMIC     Gi1/0/7"
        )
    return text.replace("GigabitEthernet1/0/5", "GigabitEthernet1/0/7")


def test_moving_the_phone_off_the_aging_port_stops_psec001_citing_it(tmp_path: Path) -> None:
    with Lab(builtin_dir("inventory"), site="office1", ephemeral_ports=True) as lab:
        inventory = lab.write_inventory(tmp_path / "inventory")
        (before,) = psec(inventory)
        assert before.subject == "GigabitEthernet1/0/5"
        assert (
            "office1-sw1 GigabitEthernet1/0/5 ages out after 60 s of inactivity; phone "
            "SEP001122334455 (office1-phone1) on that port (MAC address table) refreshes every "
            "115 s" in before.message
        )
        sources = {ref.source for ref in before.evidence}
        assert {"show running-config", "GET /SEP<MAC>.cnf.xml"} <= sources  # cross-device proof

        for host, command, slug in [
            ("office1-sw1", "show mac address-table", "show_mac_address-table"),
            ("office1-sw1", "show cdp neighbors detail", "show_cdp_neighbors_detail"),
            ("office1-phone1", "GET /PortInformationX?1", "get_portinformationx_1"),
        ]:
            text = (LAB / host / f"{slug}.txt").read_text()
            lab.set_output(host, command, moved(command, text))
        after = psec(inventory)
    assert [f.subject for f in after] == ["GigabitEthernet1/0/5"]  # still 60 s vs the profile
    assert "SEP001122334455" not in after[0].message
    assert "no audited phone seen on this port" in after[0].message


def test_phone_keepalives_for_nat_checks() -> None:
    from fleetaudit.facts import PhoneAccount, Ref

    ref = Ref("GET /x", 3, "account.1.sip_server.1.expires = 3600")
    phone = Host(
        "p1",
        "yealink_phone",
        "phone",
        "s",
        {
            "phone_accounts": [
                PhoneAccount(1, True, register_refresh_s=3600, refs={"register_expires_s": ref}),
                PhoneAccount(2, True, register_refresh_s=300, keepalive_s=30),
                PhoneAccount(3, False, register_refresh_s=9999),
            ]
        },
    )
    unknown = Host("p2", "poly_phone", "phone", "s", {"phone_accounts": None})
    switch = Host("sw1", "cisco_ios", "switch", "s", {})
    assert phone_keepalives([phone, unknown, switch]) == [("p1", 3600, ref)]
