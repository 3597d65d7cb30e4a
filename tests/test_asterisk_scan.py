"""`fleetaudit scan DIR --platform asterisk` (issue 11): a folder of outputs named by the
plain command (`sip_show_peers.txt`) and bare configuration files (`pjsip.conf`) reads as
the collector's `<command_slug>.txt` folder does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fleetaudit.audit import Options, audit_offline
from fleetaudit.cli import main
from fleetaudit.policy import load_policy

LAB = Path(__file__).parent.parent / "inventory" / "lab"
PROFILE = {
    "subnets": ["193.201.230.128/26"],
    "rtp": {"udp": "10000-65535"},
    "codecs": ["PCMU", "PCMA", "G729"],
    "targets": {"pbx": ["192.168.20.10"]},
}


def _plain_name(slug_file: Path) -> str:
    """``asterisk_-rx_sip_show_peers.txt`` -> ``sip_show_peers.txt``;
    ``cat_etc_asterisk_pjsip_endpoint_conf.txt`` -> ``pjsip.endpoint.conf``."""
    stem = slug_file.stem
    if stem.startswith("asterisk_-rx_"):
        return f"{stem.removeprefix('asterisk_-rx_')}.txt"
    name = stem.removeprefix("cat_etc_asterisk_").removesuffix("_conf")
    # FreePBX's split files are pjsip.<part>.conf; the _custom ones keep their underscore
    if name.startswith("pjsip_") and name != "pjsip_custom":
        name = "pjsip." + name.removeprefix("pjsip_")
    return f"{name}.conf"


def _renamed(source: Path, target: Path) -> Path:
    target.mkdir()
    for file in source.glob("*.txt"):
        shutil.copy(file, target / _plain_name(file))
    return target


def _findings(folder: Path) -> list[tuple[str, str, str]]:
    policy = load_policy(PROFILE, "test")
    report = audit_offline([folder], "asterisk", "pbx", policy, Options())
    return sorted((f.check, f.subject, f.status) for f in report.findings)


@pytest.mark.parametrize("device", ["office1-pbx", "office2-pbx"])
def test_plain_names_read_as_the_collector_slugs(device: str, tmp_path: Path) -> None:
    plain = _renamed(LAB / device, tmp_path / device)
    assert (plain / "sip.conf").exists() and (plain / "rtp.conf").exists()
    if device == "office1-pbx":
        assert (plain / "pjsip.conf").exists() and (plain / "pjsip.endpoint_custom.conf").exists()
        assert (plain / "pjsip_show_endpoints.txt").exists()
    else:
        assert (plain / "sip_show_peers.txt").exists()
    copied = tmp_path / "slugs"
    shutil.copytree(LAB / device, copied)
    expected = _findings(copied)
    assert expected and _findings(plain) == expected


def test_a_slug_file_wins_over_a_plain_name(tmp_path: Path) -> None:
    folder = tmp_path / "pbx"
    shutil.copytree(LAB / "office2-pbx", folder)
    (folder / "sip.conf").write_text("[general]\nallowguest=yes\n")
    statuses = {s for c, _, s in _findings(folder) if c == "AST008"}
    # read from cat_etc_asterisk_sip_conf.txt (pjsip.conf is not in the folder: unknown)
    assert "pass" in statuses and "fail" not in statuses


def test_scan_cli_of_a_plain_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "pbx"
    folder.mkdir()
    (folder / "sip.conf").write_text(
        "[general]\nallowguest=yes\ncontext=from-sip-unknown\n\n"
        "[vats]\ntype=peer\nhost=dynamic\ninsecure=port,invite\n"
    )
    (folder / "sip_show_peers.txt").write_text(
        "No such command 'sip show peers' (type 'core show help sip show peers' for other "
        "possible commands)\n"
    )
    (folder / "rtp.conf").write_text("[general]\nrtpstart=10000\nrtpend=20000\n")
    code = main(["scan", str(folder), "--platform", "asterisk", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    host = report["hosts"][0]
    assert host["commands"]['asterisk -rx "sip show peers"'] == "rejected"
    assert host["commands"]["cat /etc/asterisk/sip.conf"] == "ok"
    failing = {(f["check"], f["subject"]) for f in report["findings"] if f["status"] == "fail"}
    assert ("AST007", "peer vats") in failing
    assert code == 1


GOLDEN = Path(__file__).parent / "platforms" / "asterisk"
#: the public captures issue 11's acceptance names, each with the fact it must give
CAPTURES = [
    ("sip_show_peers/public_asternet_30_1_8_layout.txt", "sip_peers"),
    ("sip_show_peers/public_asternet_59_13_layout.txt", "sip_peers"),
    ("sip_show_peers/seed_1_6_collapsed_with_registry.txt", "sip_peers"),
    ("sip_show_registry/seed_registered_before_peers.txt", "sip_registry"),
    ("sip_show_registry/seed_auth_sent_after_peers.txt", "sip_registry"),
    ("pjsip_show_endpoints/issue_575_tls_nonqual_truncated_contact.txt", "pjsip_endpoints"),
    ("sip_show_peers/console_notice_between_prompts.txt", "sip_peers"),
]


@pytest.mark.parametrize(("name", "fact"), CAPTURES, ids=[c[0] for c in CAPTURES])
def test_public_captures_read_through_scan(name: str, fact: str, tmp_path: Path) -> None:
    capture = tmp_path / Path(name).name
    shutil.copy(GOLDEN / name, capture)
    report = audit_offline([capture], "asterisk", "pbx", load_policy(PROFILE, "t"), Options())
    (host,) = report.hosts
    assert host.facts.get(fact) is not None, host.why_unknown
    assert not any("unsupported" in reason for reason in host.why_unknown.values())
