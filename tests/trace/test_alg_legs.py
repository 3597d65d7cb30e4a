"""TRC004's third trace from real traffic: a call through a SIP ALG (tests/trace/alg_relay.py)
recorded on both legs, in one capture and split into one capture per leg."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from alg_relay import OUTSIDE_ADDRESS, PORT_SHIFT, AlgRelay
from conftest import scenario

from fleetaudit.cli import main

RELAY, PHONE, PHONE_MEDIA = 25120, 25121, 25122  # sipp's media takes 25122-25125
SERVER, RELAY_OUT, SERVER_MEDIA = 25126, 25127, 25130


def call_through_alg(tmp_path: Path, record: Any) -> Path:
    with AlgRelay(RELAY, RELAY_OUT, SERVER) as alg:
        pcap = record(
            tmp_path / "alg.pcap",
            RELAY,
            ["-sn", "uac"],
            ["-sf", scenario("oneway_uas.xml"), "-mp", str(SERVER_MEDIA)],
            f" or port {SERVER} or port {RELAY_OUT}",
            uas_port=SERVER,
        )
    assert alg.rewritten == 1  # the INVITE's SDP; the server's 200 passes unchanged
    return pcap


def rewritten(capsys: Any, *pcaps: Path) -> tuple[int, list[dict[str, Any]], dict[str, Any]]:
    code = main(["sip-trace", *map(str, pcaps), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    found = [
        f
        for f in report["findings"]
        if f["check"] == "TRC004" and f["status"] == "fail" and "sdp-rewritten" in f["subject"]
    ]
    return code, found, report


def evidence(finding: dict[str, Any]) -> list[tuple[str, int]]:
    return [
        (Path(e["source"]).name, e["line"])
        for e in [finding["evidence"], *finding["evidence_more"]]
    ]


def test_sdp_rewritten_between_two_legs_in_one_capture(
    tmp_path: Path, sipp_record: Any, capsys: Any
) -> None:
    pcap = call_through_alg(tmp_path, sipp_record)
    code, [finding], report = rewritten(capsys, pcap)
    assert code == 1
    assert finding["severity"] == "medium"  # no --site: the ALG is not named yet
    phone, alg = f"127.0.0.1:{PHONE_MEDIA}", f"{OUTSIDE_ADDRESS}:{PHONE_MEDIA + PORT_SHIFT}"
    assert f"audio {phone} at packet 1 became audio {alg} in packet 2" in finding["message"]
    assert "INVITE (CSeq 1)" in finding["message"]
    assert evidence(finding) == [("alg.pcap", 1), ("alg.pcap", 2)]
    [ladder] = report["sip_trace"]["ladders"]
    assert [m["label"] for m in ladder["messages"][:2]] == ["INVITE", "INVITE"]
    assert ladder["messages"][0]["dst"] == f"127.0.0.1:{RELAY}"
    assert ladder["messages"][1]["dst"] == f"127.0.0.1:{SERVER}"


def test_sdp_rewritten_between_two_capture_files(
    tmp_path: Path, sipp_record: Any, capsys: Any
) -> None:
    both = call_through_alg(tmp_path, sipp_record)
    inside, outside = tmp_path / "inside.pcap", tmp_path / "outside.pcap"
    for leg, ports in ((inside, (RELAY, PHONE)), (outside, (SERVER, RELAY_OUT))):
        expression = " or ".join(f"port {p}" for p in ports)
        subprocess.run(
            ["tcpdump", "-r", str(both), "-w", str(leg), expression],
            check=True,
            capture_output=True,
        )
    code, [finding], _ = rewritten(capsys, inside, outside)
    assert code == 1
    assert evidence(finding) == [("inside.pcap", 1), ("outside.pcap", 1)]
    assert f"at packet 1 of {inside} became" in finding["message"]
    assert finding["message"].endswith(f"in packet 1 of {outside}")

    _, unchanged, _ = rewritten(capsys, inside)  # one leg alone shows nothing rewritten
    assert unchanged == []
