"""What phones do wrong, through the real HTTP(S) server: statuses and unknowns, no crash."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetaudit.audit import Options, audit_live
from fleetaudit.model import Report
from fleetaudit.platforms.phones.lab import lab_ca_file

from .conftest import SITE


def audit(inventory: Path) -> Report:
    report, _ = audit_live(inventory, SITE, None, Options())
    return report


@pytest.fixture(scope="module")
def report(faulty_phones: Path) -> Report:
    return audit(faulty_phones)


def host(report: Report, name: str) -> Any:
    return next(h for h in report.hosts if h.name == name)


def statuses(report: Report, name: str) -> set[str]:
    return {f.status for f in report.findings if f.host == name}


@pytest.mark.parametrize(
    ("name", "status", "error"),
    [
        ("p-401", "auth_failed", "authentication failed"),
        ("p-gs-401", "auth_failed", "authentication failed"),
        ("p-500", "partial", "HTTP 500"),
        ("p-hang", "timeout", "no answer in 1.5 s"),
        ("p-html", "partial", "expected JSON, got an HTML page"),
        ("p-truncated", "partial", "truncated"),
        ("p-tls", "unreachable", "TLS: the phone's certificate is not trusted"),
        ("p-closed", "unreachable", "connection refused"),
    ],
)
def test_faults_become_statuses_and_unknowns(
    report: Report, name: str, status: str, error: str
) -> None:
    found = host(report, name)
    assert found.status == status, found.error
    assert error in (found.error or "")
    assert statuses(report, name) == {"unknown"}, [
        (f.check, f.status, f.message) for f in report.findings if f.host == name
    ]


def test_one_failing_call_leaves_the_others_assessed(report: Report) -> None:
    found = host(report, "p-500-one-call")
    assert found.status == "partial" and "lineInfo" in (found.error or "")
    assert found.facts["phone_registrations"] is None
    assert found.facts["phone_accounts"] is not None
    by_check = {f.check: f.status for f in report.findings if f.host == "p-500-one-call"}
    assert by_check["PHN001"] == "unknown" and by_check["PHN005"] == "fail"


def _with_verify(inventory: Path, dest: Path, verify: Any) -> Path:
    dest.mkdir()
    for name in ("groups.yaml", "defaults.yaml"):
        if (inventory / name).exists():
            (dest / name).write_text((inventory / name).read_text())
    hosts = yaml.safe_load((inventory / "hosts.yaml").read_text())
    tls = {"p-tls": hosts["p-tls"]}
    tls["p-tls"]["data"]["phone"] = {"scheme": "https", "verify": verify}
    (dest / "hosts.yaml").write_text(yaml.safe_dump(tls))
    return dest


@pytest.mark.parametrize("verify", ["ca", False], ids=["trusted-ca-file", "verify-off"])
def test_tls_with_a_trusted_ca_or_verification_off(
    faulty_phones: Path, tmp_path: Path, verify: Any
) -> None:
    setting = str(lab_ca_file()) if verify == "ca" else verify
    found = host(audit(_with_verify(faulty_phones, tmp_path / "inv", setting)), "p-tls")
    assert found.status == "ok", found.error
    assert found.facts["device"].model == "VVX 450"


def test_tls_is_verified_by_default_even_over_https(faulty_phones: Path, tmp_path: Path) -> None:
    inventory = _with_verify(faulty_phones, tmp_path / "inv", True)
    found = host(audit(inventory), "p-tls")
    assert found.status == "unreachable" and "not trusted" in (found.error or "")


def test_a_hung_phone_costs_one_timeout(faulty_phones: Path, tmp_path: Path) -> None:
    hosts = yaml.safe_load((faulty_phones / "hosts.yaml").read_text())
    inventory = tmp_path / "inv"
    inventory.mkdir()
    (inventory / "groups.yaml").write_text((faulty_phones / "groups.yaml").read_text())
    (inventory / "hosts.yaml").write_text(yaml.safe_dump({"p-hang": hosts["p-hang"]}))
    started = time.monotonic()
    found = host(audit(inventory), "p-hang")
    assert found.status == "timeout"
    assert time.monotonic() - started < 1 + 1.5 + 1.5  # not 3 calls x 1.5 s
