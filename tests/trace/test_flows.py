"""Each flow of issue 14 detected in a capture of real SIP traffic (sipp on 127.0.0.1,
tcpdump on lo), with packet numbers as evidence, and exit 1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import dpkt
from conftest import scenario

from fleetaudit.cli import main
from fleetaudit.facts import Interface, Nat, Ref, SipAlg
from fleetaudit.model import Finding, HostResult, Report
from fleetaudit.store import Store

PUBLIC = "203.0.113.5"  # what the phone's NAT would show the registrar


def trace(capsys: Any, *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["sip-trace", *args, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def failing(report: dict[str, Any], check: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["check"] == check and f["status"] == "fail"]


def packets(finding: dict[str, Any]) -> list[int]:
    return [e["line"] for e in [finding["evidence"], *finding["evidence_more"]] if e]


def test_auth_loop_401_then_403(tmp_path: Path, sipp_record: Any, capsys: Any) -> None:
    pcap = sipp_record(
        tmp_path / "auth.pcap",
        25060,
        ["-sf", scenario("auth_uac.xml"), "-au", "200", "-ap", "wrong"],
        ["-sf", scenario("auth_uas.xml")],
    )
    code, report = trace(capsys, str(pcap))
    assert code == 1
    [loop] = failing(report, "TRC001")
    assert "403 Forbidden" in loop["message"] and "unknown" in loop["message"]
    assert packets(loop) == [1, 2, 3, 4]
    assert not failing(report, "TRC002")  # the 403 is told once, as the loop


def test_100_trying_then_503_with_hangup_cause(
    tmp_path: Path, sipp_record: Any, capsys: Any
) -> None:
    pcap = sipp_record(
        tmp_path / "503.pcap",
        25070,
        ["-sf", scenario("busy503_uac.xml")],
        ["-sf", scenario("busy503_uas.xml")],
    )
    code, report = trace(capsys, str(pcap))
    assert code == 1
    [error] = failing(report, "TRC002")
    assert error["severity"] == "high"
    assert "503 Service Unavailable" in error["message"]
    assert "no route" in error["message"]  # the SIP code table's words
    assert "Unallocated (unassigned) number" in error["message"]
    assert "X-Asterisk-Hangupcausecode: 1" in error["message"]
    assert packets(error) == [1, 2, 3]
    ladder = report["sip_trace"]["ladders"][0]["messages"]
    assert [m["label"] for m in ladder] == [
        "INVITE",
        "100 Trying",
        "503 Service Unavailable",
        "ACK",
    ]


def test_invite_never_answered(tmp_path: Path, sipp_record: Any, capsys: Any) -> None:
    pcap = sipp_record(
        tmp_path / "silent.pcap",
        25080,
        ["-sn", "uac", "-max_invite_retrans", "3", "-timeout", "6"],
        None,  # nothing listens on 25080: the INVITE goes unanswered
        " and udp",
    )
    code, report = trace(capsys, str(pcap))
    assert code == 1
    [silence] = failing(report, "TRC003")
    assert "never answered" in silence["message"] and "fail2ban" in silence["message"]
    assert len(packets(silence)) >= 3
    assert "(retransmission)" in silence["evidence_more"][0]["text"]


def rewrite_source(pcap: Path, out: Path, port: int, address: str) -> Path:
    """The phone's packets (from ``port``) as its NAT would forward them: from a public
    address. sipp can only send from 127.0.0.1; SIP headers and SDP stay as sent."""
    import socket

    with pcap.open("rb") as src, out.open("wb") as dst:
        reader = dpkt.pcap.Reader(src)
        writer = dpkt.pcap.Writer(dst, linktype=reader.datalink())
        for ts, buf in reader:
            frame = dpkt.ethernet.Ethernet(buf)
            ip = frame.data
            if isinstance(ip, dpkt.ip.IP) and getattr(ip.data, "sport", None) == port:
                ip.src = socket.inet_aton(address)
            elif isinstance(ip, dpkt.ip.IP) and getattr(ip.data, "dport", None) == port:
                ip.dst = socket.inet_aton(address)
            writer.writepkt(bytes(frame), ts)
    return out


def stored_site(db: Path) -> None:
    """office1's latest audit: office1-rtr1 NATs 192.168.20.0/24 with a 30 s UDP
    timeout and its SIP ALG on (ALG001 failing)."""
    rtr = HostResult("office1-rtr1", "mikrotik_routeros", "office1", "router", "ok")
    rtr.facts = {
        "nat": Nat(enabled=True, udp_timeout_s=30),
        "sip_alg": SipAlg(enabled=True, detail="sip service-port on"),
        "interfaces": [Interface("bridge", ipv4=["192.168.20.1/24"])],
    }
    alg = Finding(
        "ALG001",
        "sip-alg-enabled",
        "high",
        "fail",
        "office1-rtr1",
        "sip_alg",
        "SIP ALG is on",
        [Ref("/ip firewall service-port print", 3, "sip")],
    )
    report = Report("a1b2c3d4e5f6", "2025-01-01T00:00:00+00:00", "office1", "0", [rtr], [alg])
    with Store.open(db) as store:
        store.save(report, [])


def test_register_behind_nat_linked_to_site(tmp_path: Path, sipp_record: Any, capsys: Any) -> None:
    raw = sipp_record(
        tmp_path / "register-lo.pcap",
        25090,
        ["-sf", scenario("register_uac.xml")],
        ["-sf", scenario("register_uas.xml")],
    )
    pcap = rewrite_source(raw, tmp_path / "register.pcap", 25091, PUBLIC)
    db = tmp_path / "fa.sqlite"
    stored_site(db)
    code, report = trace(capsys, str(pcap), "--site", "office1", "--db", str(db))
    assert code == 1
    [interval] = failing(report, "TRC005")
    assert "3600 s" in interval["message"] and "office1-rtr1 is 30 s" in interval["message"]
    nat = failing(report, "TRC004")
    private = [f for f in nat if "private-address" in f["subject"]]
    assert private and all("ALG001 on office1-rtr1" in f["message"] for f in private)
    assert {"Via", "Contact"} <= {f["message"].split(" ")[0] for f in private}
    assert any("received-rport" in f["subject"] for f in nat)
    assert packets(private[0]) == [1]

    code, report = trace(capsys, str(pcap))  # without --site: intervals not assessed
    assert not failing(report, "TRC005")
    assert [f["status"] for f in report["findings"] if f["check"] == "TRC005"] == ["unknown"]


def test_one_way_rtp(tmp_path: Path, sipp_record: Any, capsys: Any) -> None:
    pcap = sipp_record(
        tmp_path / "oneway.pcap",
        25100,
        ["-sf", scenario("oneway_uac.xml")],
        ["-sf", scenario("oneway_uas.xml"), "-mp", "25103"],
        " or (udp and portrange 6000-6100)",
    )
    code, report = trace(capsys, str(pcap))
    assert code == 1
    [oneway] = failing(report, "TRC006")
    assert "none reached the caller" in oneway["message"]


def test_answered_call_keeps_its_bye_and_200(tmp_path: Path, sipp_record: Any, capsys: Any) -> None:
    """The hang-up is the last thing on the wire before tcpdump stops: record() must not
    lose it (it did while tcpdump ran without --immediate-mode)."""
    pcap = sipp_record(
        tmp_path / "hangup.pcap",
        25110,
        ["-sf", scenario("oneway_uac.xml")],
        ["-sf", scenario("oneway_uas.xml"), "-mp", "25113"],
        " or (udp and portrange 6000-6100)",
    )
    code, report = trace(capsys, str(pcap))
    assert code == 1
    [ladder] = report["sip_trace"]["ladders"]  # kept for its one-way media
    sip = ladder["messages"]
    assert [m["label"] for m in sip] == ["INVITE", "200 OK", "ACK", "BYE", "200 OK"]
    bye, ok = sip[-2:]
    assert (bye["src"], bye["dst"]) == (sip[0]["src"], sip[0]["dst"])  # the caller hangs up
    assert (ok["src"], ok["dst"]) == (bye["dst"], bye["src"])
    assert bye["packet"] > 4 and ok["packet"] == bye["packet"] + 1  # after the RTP

    main(["sip-trace", str(pcap), "--format", "markdown"])
    drawn = capsys.readouterr().out.split("## Call ladders")[1]
    assert f"#{bye['packet']} " in drawn and "BYE" in drawn
