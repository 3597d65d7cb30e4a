"""Each host's evidence and facts on disk, so a run's memory stays flat in N.

A live audit's raw outputs go, as each host completes, to an anonymous temporary file
(gone with the process), compressed, one record per host. The parse stage, the store and
a candidate audit read them back one host at a time through :class:`SpooledCollections`,
a sequence that looks like the list of collections it replaces. Each host's facts, once
its checks are run, go to another (:class:`FactsSpool`), as the store keeps them; the
store and the JSON report read them back one host at a time.
"""

from __future__ import annotations

import dataclasses
import pickle
import tempfile
import threading
import zlib
from collections.abc import Iterator, Sequence
from typing import IO, overload

from fleetaudit.evidence import HostCollection
from fleetaudit.model import HostResult, SpooledFacts, packed_facts


class EvidenceSpool:
    """Write-once, read-many: each host's collection, compressed, in a temporary file.
    Writers may be the collector's threads (one lock)."""

    def __init__(self) -> None:
        # open for the spool's life; the file has no name and goes with the process
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="fleetaudit-evidence-")  # noqa: SIM115
        self._where: dict[str, tuple[int, int]] = {}  # host -> (offset, length)
        self._lock = threading.Lock()

    def add(self, item: HostCollection) -> HostCollection:
        """Spool ``item``'s evidence; returns the host without it (outputs emptied)."""
        record = zlib.compress(pickle.dumps(item, pickle.HIGHEST_PROTOCOL), 1)
        with self._lock:
            offset = self._file.seek(0, 2)
            self._file.write(record)
            self._where[item.name] = (offset, len(record))
        return without_outputs(item)

    def get(self, name: str) -> HostCollection | None:
        where = self._where.get(name)
        if where is None:
            return None
        with self._lock:
            self._file.seek(where[0])
            record = self._file.read(where[1])
        found: HostCollection = pickle.loads(zlib.decompress(record))  # noqa: S301 - our own file
        return found

    def close(self) -> None:
        self._file.close()


def without_outputs(item: HostCollection) -> HostCollection:
    """The host's collection with each evidence's envelope but no output."""
    evidence = {c: dataclasses.replace(e, output="") for c, e in item.evidence.items()}
    return dataclasses.replace(item, evidence=evidence)


class SpooledCollections(Sequence[HostCollection]):
    """The run's collections in inventory order, each read back whole from the spool
    when asked for (a host never spooled, say one whose task crashed, as it is)."""

    def __init__(self, hosts: list[HostCollection], spool: EvidenceSpool) -> None:
        self._hosts, self._spool = hosts, spool

    def __len__(self) -> int:
        return len(self._hosts)

    @overload
    def __getitem__(self, index: int) -> HostCollection: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[HostCollection]: ...

    def __getitem__(self, index: int | slice) -> HostCollection | Sequence[HostCollection]:
        if isinstance(index, slice):
            return [self._whole(h) for h in self._hosts[index]]
        return self._whole(self._hosts[index])

    def __iter__(self) -> Iterator[HostCollection]:
        return (self._whole(h) for h in self._hosts)

    def _whole(self, host: HostCollection) -> HostCollection:
        return self._spool.get(host.name) or host


class FactsSpool:
    """Hosts' facts, packed as the store keeps them, in a temporary file (one thread)."""

    #: what stays in memory: the device (the console's line per host shows its model)
    KEPT = ("device",)

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="fleetaudit-facts-")  # noqa: SIM115

    def add(self, host: HostResult) -> SpooledFacts:
        """Write ``host``'s facts; returns what stands for them (read back when asked)."""
        record = packed_facts(host.facts)
        offset, length = self._file.seek(0, 2), len(record)
        self._file.write(record)
        kept = {name: host.facts[name] for name in self.KEPT if name in host.facts}
        return SpooledFacts(lambda: self._read(offset, length), tuple(host.facts), kept)

    def _read(self, offset: int, length: int) -> bytes:
        self._file.seek(offset)
        return self._file.read(length)
