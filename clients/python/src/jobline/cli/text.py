"""Pure formatting for people: durations, ages, sizes, timestamps and aligned tables."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Iterable, Sequence


def duration(seconds: float | None) -> str:
    """``0.4s``, ``12s``, ``3m05s``, ``2h07m``, ``3d04h``; ``-`` when unknown."""
    if seconds is None:
        return "-"
    seconds = max(0.0, float(seconds))
    if seconds < 10:
        return f"{seconds:.1f}s"
    whole = int(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours:02d}h"


def parse_time(value: str | None) -> datetime | None:
    """An ISO-8601 instant of the API (``2026-12-02T01:31:11.271Z``) as an aware datetime."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))  # Python 3.10 does not read "Z"
    except ValueError:
        return None


def age(value: str | None, now: datetime | None = None) -> str:
    """How long ago an instant was, as ``kubectl get`` shows AGE: ``45s``, ``3m05s``, ``2d04h``."""
    instant = parse_time(value)
    if instant is None:
        return "-"
    now = now or datetime.now(timezone.utc)
    return duration((now - instant).total_seconds())


def timestamp(value: str | None) -> str:
    """``2026-12-02 01:31:11 UTC``; ``-`` when absent."""
    instant = parse_time(value)
    if instant is None:
        return value or "-"
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def clock(value: str | None) -> str:
    """The time of day of an instant, to the millisecond: ``01:31:11.271``."""
    instant = parse_time(value)
    if instant is None:
        return value or "-"
    return instant.astimezone(timezone.utc).strftime("%H:%M:%S.%f")[:-3]


def size(n: int | None) -> str:
    if n is None:
        return "-"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def compact(value: Any) -> str:
    """JSON on one line, as it would be typed: ``{"stages": 3}``."""
    return json.dumps(value, separators=(", ", ": "), ensure_ascii=False)


def clip(text: str, width: int | None) -> str:
    if width is None or len(text) <= width:
        return text
    return text[: max(0, width - 1)] + "…"


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], width: int | None = None) -> str:
    """Columns aligned on the widest cell, two spaces apart, as ``kubectl get`` prints them; the last column is
    clipped to ``width`` (a terminal's) when given."""
    cells = [[str(h) for h in headers]] + [["-" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for row in cells:
        line = "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:-1]))
        line = (line + "  " if line else "") + row[-1]
        lines.append(clip(line, width).rstrip())
    return "\n".join(lines)


def fields(pairs: Iterable[tuple[str, Any]]) -> str:
    """``Name:  value`` lines aligned on the longest name, skipping absent values."""
    present = [(name, value) for name, value in pairs if value not in (None, "", [])]
    if not present:
        return ""
    longest = max(len(name) for name, _ in present)
    return "\n".join(f"{(name + ':').ljust(longest + 1)}  {value}" for name, value in present)
