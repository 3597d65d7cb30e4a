"""Progress of a many-site run on a terminal: sites done of all, and per worker the site
it audits and how many it finished. Silent when disabled (``--quiet``, not a terminal)."""

from __future__ import annotations

import sys
import threading
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

from fleetaudit.dispatch.cluster import SiteDone, Watch


class SitesProgress:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: RichProgress | None = None
        self._total: TaskID | None = None
        self._workers: dict[str, TaskID] = {}
        self._lock = threading.Lock()

    def watch(self) -> Watch:
        return Watch(self.start, self.auditing, self.site_done, self.note)

    def __enter__(self) -> SitesProgress:
        if self.enabled:
            self._bar = RichProgress(
                TextColumn("{task.fields[who]:<28}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=Console(file=sys.stderr),
                transient=True,
            )
            self._bar.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, value, tb)

    def note(self, text: str) -> None:
        line = f"fleetaudit: {text}"
        if self._bar is not None:
            self._bar.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=sys.stderr)

    def start(self, sites: int) -> None:
        if self._bar is not None:
            self._total = self._bar.add_task("", total=sites, who="sites")

    def auditing(self, site: str, worker: str) -> None:
        if self._bar is not None:
            with self._lock:
                task = self._worker(worker)
                self._bar.update(task, description=f"auditing {site}")

    def site_done(self, done: SiteDone) -> None:
        if self._bar is None or self._total is None:
            return
        with self._lock:
            outcome = "done" if done.assessed else "NOT ASSESSED"
            self._bar.update(self._total, advance=1, description=f"{done.site}: {outcome}")
            if done.worker:
                self._bar.update(self._worker(done.worker), advance=1, description="")

    def _worker(self, worker: str) -> TaskID:
        assert self._bar is not None
        if worker not in self._workers:
            self._workers[worker] = self._bar.add_task("", total=None, who=f"  {worker}")
        return self._workers[worker]
