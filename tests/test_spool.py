"""A live audit keeps each host's raw outputs on disk, not in memory, once parsed."""

from __future__ import annotations

from fleetaudit.evidence import Evidence, HostCollection
from fleetaudit.spool import EvidenceSpool, SpooledCollections


def _host(name: str, output: str) -> HostCollection:
    item = HostCollection(name, "cisco_ios", "office1", "gateway")
    item.evidence["show version"] = Evidence(name, "cisco_ios", "show version", "ok", output)
    return item


def test_spooled_hosts_come_back_whole_in_order_and_stay_out_of_memory() -> None:
    spool = EvidenceSpool()
    kept = [spool.add(_host("gw2", "Version 2")), spool.add(_host("gw1", "Version 1"))]
    assert [e.output for h in kept for e in h.evidence.values()] == ["", ""]
    assert kept[0].evidence["show version"].status == "ok"  # the envelope stays
    crashed = HostCollection("gw3", "cisco_ios", "office1", None, "unreachable", "task failed")
    collections = SpooledCollections([*kept, crashed], spool)
    assert len(collections) == 3
    assert [c.name for c in collections] == ["gw2", "gw1", "gw3"]
    assert collections[1].evidence["show version"].output == "Version 1"
    assert [c.name for c in collections[1:]] == ["gw1", "gw3"]
    assert collections[2] is crashed  # never spooled: as it is
    twice = [[e.output for e in c.evidence.values()] for c in collections]
    assert twice == [[e.output for e in c.evidence.values()] for c in collections]
    spool.close()
