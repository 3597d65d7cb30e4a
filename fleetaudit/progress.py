"""A progress bar on a terminal while hosts are collected; silent otherwise."""

from __future__ import annotations

import sys
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

    from fleetaudit.evidence import HostCollection


class TerminalBar:
    """A rich progress display on stderr while ``enabled`` (a terminal), nothing otherwise;
    ``label`` is its first column."""

    def __init__(self, enabled: bool, label: str) -> None:
        self.enabled = enabled
        self._label = label
        self._bar: RichProgress | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> Self:
        if self.enabled:  # rich's live display is imported only to be shown
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn(self._label),
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


class Progress(TerminalBar):
    def __init__(self, enabled: bool) -> None:
        super().__init__(enabled, "collecting")
        self._task: TaskID | None = None

    def start(self, hosts: int) -> None:
        if self._bar is not None:
            self._task = self._bar.add_task("", total=hosts)

    def host_done(self, host: HostCollection) -> None:
        if self._bar is not None and self._task is not None:
            with self._lock:
                self._bar.update(self._task, advance=1, description=f"{host.name}: {host.status}")
