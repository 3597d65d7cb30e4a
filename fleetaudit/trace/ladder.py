"""A call's ladder (sequence diagram) as sngrep draws it: one column per address:port,
one arrow per message; as text for the terminal and Markdown, as inline SVG for HTML."""

from __future__ import annotations

import time
from html import escape

from fleetaudit.trace.calls import Call, Row

COLUMN = 28  # characters between two columns in the text ladder


def columns(rows: list[Row]) -> list[str]:
    return list(dict.fromkeys(end for row in rows for end in (row.src, row.dst)))


def clock(ts: float) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(ts)) + f".{int(ts % 1 * 1000):03d}"


def text(call: Call) -> str:
    rows = call.rows
    ends = columns(rows)
    width = COLUMN * (len(ends) - 1) + 1
    margin = 22
    lines = [f"Call-ID {call.call_id}: {call.summary()}"]
    header = [" "] * (width + COLUMN)
    for i, end in enumerate(ends):
        start = max(0, i * COLUMN - len(end) // 2)
        header[start : start + len(end)] = end
    lines.append(" " * margin + "".join(header).rstrip())
    for row in rows:
        a, b = ends.index(row.src), ends.index(row.dst)
        line = [" "] * width
        for i in range(len(ends)):
            line[i * COLUMN] = "|"
        left, right = sorted((a * COLUMN, b * COLUMN))
        label = f" {row.label}{' (again)' if row.retransmission else ''} "
        span = right - left - 1
        if span > 0:
            body = list(label[:span].center(span, "-"))
            if a < b:
                body[-1] = ">"
            else:
                body[0] = "<"
            line[left + 1 : right] = body
        lines.append(f"{'#' + str(row.number):>7} {clock(row.ts)} " + "".join(line).rstrip())
    if call.rows_dropped:
        lines.append(f"        ... {call.rows_dropped} more message(s) not drawn")
    return "\n".join(lines)


def svg(call: Call) -> str:
    rows = call.rows
    ends = columns(rows)
    gap, top, step, left = 220, 40, 26, 150
    width = left + gap * max(len(ends) - 1, 1) + 120
    height = top + step * (len(rows) + 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="monospace" font-size="12" role="img" '
        f'aria-label="ladder of Call-ID {escape(call.call_id)}">',
        '<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="8" refY="4" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z"/></marker></defs>',
    ]
    for i, end in enumerate(ends):
        x = left + i * gap
        parts.append(
            f'<text x="{x}" y="16" text-anchor="middle" font-weight="bold">{escape(end)}</text>'
            f'<line x1="{x}" y1="24" x2="{x}" y2="{height - 8}" stroke="#999"/>'
        )
    for n, row in enumerate(rows):
        y = top + step * n + 10
        x1, x2 = left + ends.index(row.src) * gap, left + ends.index(row.dst) * gap
        color = "#b00" if row.label[:1] in "456" else "#06c" if row.label[:1] == "2" else "#333"
        dash = ' stroke-dasharray="4 3"' if row.retransmission else ""
        parts.append(
            f'<text x="4" y="{y + 4}">#{row.number} {clock(row.ts)}</text>'
            f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{color}"{dash} '
            f'marker-end="url(#arrow)"/>'
            f'<text x="{(x1 + x2) // 2}" y="{y - 4}" text-anchor="middle" fill="{color}">'
            f"{escape(row.label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
