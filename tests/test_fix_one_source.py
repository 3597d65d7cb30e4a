"""`checks explain` and the findings take their fix text from one source (issue 9).

A check's fix is either a template its findings fill in (``FIX`` in the check), or lines
a platform's firewall planner writes (FW001, FW002), which explain renders by running the
check on the platform's documented example. Either way, every line of a real finding's
fix must have the shape of a line `checks explain` shows for that check and platform; and
every check has such a finding on every platform it fixes. The real findings: the lab's
office1 and office2 audited over SSH, the checks' failing fixtures scanned offline, and
the lab's phones scanned offline under a provider asking the opposite of what they do or
with one setting changed (no copy of their outputs is kept here).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from fleetaudit import api
from fleetaudit.audit import Options, audit_offline
from fleetaudit.checkkit import Check, load_checks
from fleetaudit.paths import builtin_dir
from fleetaudit.policy import load_policy
from fleetaudit.report.checks import fix_texts
from fleetaudit.rules.examples import PlannedFixes, example_of

FIXTURES = Path(__file__).parent / "checks"
INVENTORY = builtin_dir("inventory")
COMMENT = ("#", "!", ";", "[")


def _template_pattern(line: str) -> re.Pattern[str]:
    """A template line with its ``{placeholders}`` as wildcards."""
    return re.compile("^" + re.sub(r"\\\{[^}]*\\\}", ".*", re.escape(line.strip())) + "$")


def shape(line: str) -> str:
    """A config line with its values blurred: quoted text and ``[...]`` as one value,
    ``key=value`` as ``key=``, ``udp``/``tcp`` as one protocol word, and every word not
    a lower-case keyword as ``·``.

    >>> shape('/ip firewall filter add chain=wan-in place-before=[find where comment="x y"]')
    '/ip firewall filter add chain= place-before='
    >>> shape(" 29 permit udp 193.201.230.128 0.0.0.63 host 203.0.113.2 range 20001 65535")
    '· permit udp|tcp · · host · range · ·'
    """
    line = re.sub(r'"[^"]*"|\[[^\]]*\]', "·", line.strip())
    words = []
    for word in line.split():
        if word in ("udp", "tcp"):
            words.append("udp|tcp")
        elif "=" in word:
            words.append(word.split("=", 1)[0] + "=")
        elif re.fullmatch(r"/?[a-z][a-z-]*", word):
            words.append(word)
        else:
            words.append("·")
    return " ".join(words)


def explained(check: Check, platform: str) -> list[str]:
    """The fix lines `checks explain` shows for ``platform`` (every variant it names)."""
    texts = fix_texts(check)
    return [
        line
        for name, text in texts.items()
        if name == platform or name.startswith((f"{platform} ", f"{platform}/"))
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith(COMMENT)
    ]


def same_source(check: Check, platform: str, line: str) -> bool:
    shown = explained(check, platform)
    if isinstance(check.fix, PlannedFixes):
        return shape(line) in {shape(s) for s in shown}
    return any(_template_pattern(s).match(line.strip()) for s in shown)


def _fixture_findings() -> Iterator[tuple[str, str, str, str]]:
    for case in sorted(FIXTURES.glob("*/fail-*/host.yaml")):
        meta = yaml.safe_load(case.read_text())
        if meta.get("peers"):
            continue  # cross-device fixtures: the lab sites audit those checks
        check_id = case.parent.parent.name
        report = audit_offline(
            [case.parent],
            meta["platform"],
            meta.get("role"),
            load_policy(meta.get("voip"), str(case)),
            Options(only_checks=(check_id,)),
        )
        for finding in report.findings:
            if finding.status == "fail":
                yield (
                    f"{check_id}/{case.parent.name}",
                    finding.check,
                    meta["platform"],
                    (finding.remediation),
                )


# A provider wanting the codec order and SIP transport the lab's phones do not use.
OPPOSITE = {
    "codecs": ["G729", "PCMA", "PCMU"],
    "transports": ["tcp"],
    "signalling": {"tcp": "5060"},
}

# (lab host, output file, text in it, what it becomes): one failing setting each.
CHANGED = [
    ("office1-phone1", "get_sep_mac_cnf_xml.txt", "<dtmfOutofBand>avt<", "<dtmfOutofBand>none<"),
    ("office1-phone1", "get_sep_mac_cnf_xml.txt", "<natEnabled>false<", "<natEnabled>true<"),
    (
        "office1-phone2",
        "get_servlet_m_mod_data_p_settings-config_q_exportcfg.txt",
        "account.1.dtmf.type = 1",
        "account.1.dtmf.type = 0",
    ),
    (
        "office1-phone2",
        "get_servlet_m_mod_data_p_status_q_load.txt",
        "example.ru:2",
        "example.ru:3",
    ),
    (
        "office1-phone3",
        "post_api_v1_mgmt_config_get.txt",
        '"tcpIpApp.ice.stun.server": ""',
        '"tcpIpApp.ice.stun.server": "stun.example.net"',
    ),
    ("office1-phone4", "get_cgi-bin_api-get_accounts.txt", '"reg": 1', '"reg": 0'),
    (
        "office1-phone4",
        "post_cgi-bin_api_values_get.txt",
        '"P2301": "0",\n    "P2302": "1"',
        '"P2301": "1",\n    "P2302": "0"',
    ),
]


def _lab_phone_findings(tmp: Path) -> Iterator[tuple[str, str, str, str]]:
    hosts = yaml.safe_load((INVENTORY / "hosts.yaml").read_text())
    groups = yaml.safe_load((INVENTORY / "groups.yaml").read_text())
    profile = groups["provider_vats"]["data"]["voip"]
    runs = [(n, {**profile, **OPPOSITE}, None) for n, h in hosts.items() if "phone" in n]
    runs += [(name, profile, (file, old, new)) for name, file, old, new in CHANGED]
    for name, voip, change in runs:
        folder = INVENTORY / "lab" / name
        if change is not None:
            file, old, new = change
            folder = tmp / f"{name}-{len(list(tmp.iterdir()))}"
            folder.mkdir()
            for output in (INVENTORY / "lab" / name).iterdir():
                text = output.read_text(encoding="utf-8")
                if output.name == file:
                    assert old in text, f"{name}/{file} no longer holds {old!r}"
                    text = text.replace(old, new, 1)
                (folder / output.name).write_text(text, encoding="utf-8")
        platform = hosts[name]["platform"]
        report = audit_offline([folder], platform, "phone", load_policy(voip, name), Options())
        yield from (
            (f"lab {name} {change or 'opposite'}", f.check, platform, f.remediation)
            for f in report.findings
            if f.status == "fail"
        )


@pytest.fixture(scope="module")
def real_findings(
    lab_inventory: Path, tmp_path_factory: pytest.TempPathFactory
) -> list[tuple[str, str, str, str]]:
    """(where, check, platform, remediation) of every failing finding."""
    found = list(_fixture_findings())
    found += _lab_phone_findings(tmp_path_factory.mktemp("changed"))
    for site in ("office1", "office2"):
        report = api.audit_site(lab_inventory, site, store=False)
        platform = {h.name: h.platform for h in report.hosts}
        found += [
            (f"{site}/{f.host}", f.check, platform[f.host], f.remediation)
            for f in report.findings
            if f.status == "fail"
        ]
    return found


def test_every_finding_fix_has_the_shape_explain_shows(
    real_findings: list[tuple[str, str, str, str]],
) -> None:
    checks = {c.id: c for c in load_checks()}
    wrong = [
        f"{where} {check_id} {platform}: {line.strip()!r}"
        for where, check_id, platform, remediation in real_findings
        for line in remediation.splitlines()
        if line.strip() and not line.lstrip().startswith(COMMENT)
        if not same_source(checks[check_id], platform, line)
    ]
    assert wrong == [], "finding fix lines `checks explain` does not show:\n" + "\n".join(wrong)


def test_every_check_has_a_real_finding_on_every_platform_it_fixes(
    real_findings: list[tuple[str, str, str, str]],
) -> None:
    seen = {(check_id, platform) for _, check_id, platform, _ in real_findings}
    unseen = [
        f"{check.id} {platform}"
        for check in load_checks()
        for platform in check.platforms
        if platform in {name.split()[0].split("/")[0] for name in check.fix}
        and (check.id, platform) not in seen
    ]
    assert unseen == [], "no real finding to compare explain with:\n" + "\n".join(unseen)


@pytest.mark.parametrize("check_id", ["FW001", "FW002"])
def test_planned_fixes_are_the_checks_own_output_on_each_platforms_example(
    check_id: str,
) -> None:
    check = next(c for c in load_checks() if c.id == check_id)
    assert isinstance(check.fix, PlannedFixes)
    for platform in check.platforms:
        assert example_of(platform).config.strip()
        lines = check.fix[platform].splitlines()
        assert lines and all(same_source(check, platform, line) for line in lines)
