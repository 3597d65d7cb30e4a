"""Phones over real HTTP: a lab of fault-playing phones built from office1's fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetaudit.lab import Lab
from fleetaudit.paths import builtin_dir

SITE = "phone-faults"


def phone(fixtures: str, platform: str, **lab: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"role": "phone", "lab": {"fixtures": fixtures, **lab}}
    # https verifies by default; the lab's plain-http phones must say http (and are warned)
    data["phone"] = {"scheme": "https" if lab.get("tls") else "http"}
    return {
        "hostname": "127.0.0.1",
        "platform": platform,
        "groups": ["phones_lab", "site"],
        "data": data,
    }


FAULTY = {
    "p-401": phone("office1-phone3", "poly_phone", fault="wrong_password"),
    "p-500": phone("office1-phone2", "yealink_phone", fault="server_error"),
    "p-500-one-call": phone(
        "office1-phone3",
        "poly_phone",
        fault="server_error",
        command="GET /api/v2/mgmt/lineInfo",
    ),
    "p-hang": phone("office1-phone4", "grandstream_phone", fault="hang"),
    "p-html": phone("office1-phone3", "poly_phone", fault="not_json"),
    "p-truncated": phone("office1-phone2", "yealink_phone", fault="truncated"),
    "p-tls": phone("office1-phone3", "poly_phone", tls=True),
    "p-gs-401": phone("office1-phone4", "grandstream_phone", fault="wrong_password"),
    "p-closed": phone("office1-phone2", "yealink_phone", fault="closed"),
}


def write_inventory(folder: Path, hosts: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lab").symlink_to(builtin_dir("inventory") / "lab")
    groups = {
        "phones_lab": {"username": "admin", "password": "lab-phone"},
        "site": {"data": {"site": SITE, "timeouts": {"connect": 1, "command": 1.5}}},
    }
    (folder / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    (folder / "groups.yaml").write_text(yaml.safe_dump(groups))
    return folder


@pytest.fixture(scope="module")
def faulty_phones(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The faulty phones served over HTTP(S); yields an inventory pointing at them."""
    source = write_inventory(tmp_path_factory.mktemp("phones-src"), FAULTY)
    with Lab(source, ephemeral_ports=True) as lab:
        yield lab.write_inventory(tmp_path_factory.mktemp("phones"))
