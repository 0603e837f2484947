"""Progress of long staff commands: a tqdm bar for a person at a terminal, plain lines for logs and pipes.

    with command_progress(self.stdout, label="orders.Order", total=n, unit="rows") as progress:
        progress.advance(rows)                       # bar, or "orders.Order: 500/1200 rows"
        progress.advance(note="LU…: paid")          # bar + the note above it, or "[3/10] LU…: paid"

Whether it is a terminal is asked of stderr (where the bar goes), so `cmd > file` at a terminal still shows
the bar and keeps the file free of it; cron, Celery and CI get the plain lines.
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from tqdm import tqdm


class Progress:
    def __init__(self, stdout, *, label: str, total: int | None = None, unit: str = "items", stream: TextIO | None = None):
        stream = stream or sys.stderr
        self.stdout, self.label, self.total, self.unit, self.done = stdout, label, total, unit, 0
        self.interactive = stream.isatty()
        self.bar = tqdm(total=total, desc=label, unit=unit, file=stream, leave=True) if self.interactive else None

    def advance(self, count: int = 1, *, note: str = "") -> None:
        self.done += count
        if self.bar is not None:
            if note:
                self.bar.write(note, file=self.bar.fp)
            self.bar.update(count)
            return
        of = f"{self.done}/{self.total}" if self.total is not None else str(self.done)
        self.stdout.write(f"[{of}] {note}" if note else f"{self.label}: {of} {self.unit}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@contextmanager
def command_progress(stdout, *, label: str, total: int | None = None, unit: str = "items",
                     stream: TextIO | None = None) -> Iterator[Progress]:
    progress = Progress(stdout, label=label, total=total, unit=unit, stream=stream)
    try:
        yield progress
    finally:
        progress.close()
