"""A Yealink phone is logged in to with the scheme its 401 challenge names: firmware that
asks for Basic and firmware that asks for Digest both audit, over the real HTTP lab."""

from __future__ import annotations

from pathlib import Path

from fleetaudit.audit import Options, audit_live
from fleetaudit.lab import Lab

from .conftest import SITE, phone, write_inventory


def test_yealink_basic_and_digest_challenges(tmp_path: Path) -> None:
    hosts = {
        "y-basic": phone("office1-phone2", "yealink_phone", auth="basic"),
        "y-digest": phone("office1-phone2", "yealink_phone", auth="digest"),
        "y-basic-wrong": phone(
            "office1-phone2", "yealink_phone", auth="basic", fault="wrong_password"
        ),
    }
    source = write_inventory(tmp_path / "src", hosts)
    with Lab(source, ephemeral_ports=True) as lab:
        inventory = lab.write_inventory(tmp_path / "inv")
        report, collections = audit_live(inventory, SITE, None, Options())
    status = {h.name: h.status for h in report.hosts}
    assert status == {"y-basic": "ok", "y-digest": "ok", "y-basic-wrong": "auth_failed"}
    accounts = {h.name: h.facts["phone_accounts"] for h in report.hosts if h.status == "ok"}
    assert accounts["y-basic"] == accounts["y-digest"] and accounts["y-basic"]
