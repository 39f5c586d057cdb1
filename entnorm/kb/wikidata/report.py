"""Counting and telling: the run's statistics, the progress bar and the end-of-run summary (all on stderr)."""
from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from ...doc import LABELS

SHOW_ERRORS = 5      # malformed lines printed as they come; all are counted
KEEP_ERRORS = 100    # malformed lines listed in manifest.json


@dataclass
class Stats:
    entities: int = 0
    candidates: int = 0
    kept: Counter = field(default_factory=Counter)      # type -> records written
    skipped: Counter = field(default_factory=Counter)   # reason -> entities
    dropped: Counter = field(default_factory=Counter)   # type -> typed candidates not written (duplicate, replaced)
    malformed: int = 0
    errors: list = field(default_factory=list)          # "file:line: reason", the first KEEP_ERRORS
    incomplete: list = field(default_factory=list)      # "file: problem" for truncated / corrupt dumps
    yaml_records: int = 0

    def add_error(self, where: str, reason: str, out=None, progress=None) -> None:
        self.malformed += 1
        if len(self.errors) < KEEP_ERRORS:
            self.errors.append(f"{where}: {reason}")
        if self.malformed <= SHOW_ERRORS and out is not None:
            if progress is not None:
                progress.clear()
            print(f"entnorm kb build: malformed line {where}: {reason}", file=out)

    def counts(self) -> dict:
        return {"entities": self.entities, "kept": {t: self.kept[t] for t in LABELS},
                "kept_total": sum(self.kept.values()), "yaml_records": self.yaml_records,
                "skipped": dict(sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0]))),
                "dropped_after_typing": {t: self.dropped[t] for t in LABELS if self.dropped[t]},
                "malformed": self.malformed, "malformed_examples": self.errors, "incomplete": self.incomplete}

    def summary(self, seconds: float, n_dumps: int) -> str:
        rate = self.entities / seconds if seconds > 0 else 0.0
        lines = [f"entnorm kb build: {self.entities:,} entities from {n_dumps} dump(s) in {seconds:,.1f} s "
                 f"({rate:,.0f} entities/s)",
                 f"  {'type':<6}{'kept':>12}{'dropped':>10}"]
        lines += [f"  {t:<6}{self.kept[t]:>12,}{self.dropped[t]:>10,}" for t in LABELS]
        lines.append(f"  {'total':<6}{sum(self.kept.values()):>12,}{sum(self.dropped.values()):>10,}"
                     + (f"  (incl. {self.yaml_records:,} from YAML)" if self.yaml_records else ""))
        if self.dropped:
            lines.append("  (dropped: typed, but the QID was repeated in the dump or a YAML record has it)")
        lines.append(f"  skipped {sum(self.skipped.values()):,}:")
        lines += [f"    {n:>12,}  {reason}" for reason, n in self.counts()["skipped"].items()]
        lines.append(f"  malformed {self.malformed:,} line(s)")
        lines += [f"    {e}" for e in self.errors[:SHOW_ERRORS]]
        if self.malformed > SHOW_ERRORS:
            lines.append(f"    ... and {self.malformed - SHOW_ERRORS:,} more (manifest.json lists "
                         f"{min(self.malformed, KEEP_ERRORS)})")
        lines += [f"  INCOMPLETE {p}" for p in self.incomplete]
        return "\n".join(lines)


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


class Progress:
    """One self-overwriting line: entities, entities/s, kept, % of the compressed input and ETA."""

    def __init__(self, total_bytes: int, enabled: bool, out=None):
        self.total, self.enabled, self.out = total_bytes, enabled, out or sys.stderr
        self.t0 = self.last = time.monotonic()

    def update(self, stats: Stats, done_bytes: int, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.5 and not force):
            return
        self.last, elapsed = now, max(now - self.t0, 1e-9)
        msg = f"{stats.entities:,} entities  {stats.entities / elapsed:,.0f} ent/s  {stats.candidates:,} candidates"
        if self.total and done_bytes:
            frac = min(done_bytes / self.total, 1.0)
            bar = "#" * int(frac * 20)
            eta = elapsed * (self.total - done_bytes) / done_bytes if done_bytes < self.total else 0
            msg = f"[{bar:<20}] {frac:6.1%}  {msg}  ETA {_clock(eta)}"
        self.out.write(f"\r{msg}\x1b[K")
        self.out.flush()

    def message(self, text: str) -> None:
        if self.enabled:
            self.clear()
            self.out.write(text)
            self.out.flush()

    def clear(self) -> None:
        if self.enabled:
            self.out.write("\r\x1b[K")
            self.out.flush()
