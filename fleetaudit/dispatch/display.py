"""Progress of a many-site run on a terminal: sites done of all, and per worker the site
it audits and how many it finished. Silent when disabled (``--quiet``, not a terminal)."""

from __future__ import annotations

import sys

from rich.progress import TaskID

from fleetaudit.dispatch.cluster import SiteDone, Watch
from fleetaudit.progress import TerminalBar


class SitesProgress(TerminalBar):
    def __init__(self, enabled: bool) -> None:
        super().__init__(enabled, "{task.fields[who]:<28}")
        self._total: TaskID | None = None
        self._workers: dict[str, TaskID] = {}

    def watch(self) -> Watch:
        return Watch(self.start, self.auditing, self.site_done, self.note)

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
