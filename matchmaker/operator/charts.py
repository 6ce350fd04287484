"""Charts drawn by the server as SVG (no script needed, readable in screenshots and exports).

Every chart is a <figure>-ready SVG string with a <title>/<desc>, a <title> tooltip per mark and
presentation attributes only (the CSP forbids style attributes)."""

from __future__ import annotations

from markupsafe import Markup, escape

# The chain colours of static/css/app.css (.chain-*).
CHAIN_COLOURS = {
    "innovation": "#6f42c1", "supply": "#0d6efd", "data": "#20c997", "capital": "#fd7e14",
    "industry": "#6c757d", "service": "#0dcaf0", "talent": "#d63384",
}
PALETTE = ("#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#d63384", "#20c997", "#6c757d", "#0dcaf0",
           "#ffc107", "#dc3545")
SERIES_COLOURS = {"registrations": "#0d6efd", "postings": "#198754", "suggestions": "#fd7e14", "matches": "#d63384"}


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(items: list[tuple[str, int, str | None]], *, title: str, chart_id: str,
              label_width: int = 200, width: int = 520, bar_height: int = 22, notes: list[str] | None = None) -> Markup:
    """Horizontal bars: one (label, value, colour or None) per item; `notes` are texts shown after values."""
    gap = 6
    height = max(1, len(items)) * (bar_height + gap) + 8
    biggest = max((v for _, v, _ in items), default=0) or 1
    room = width - label_width - 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" role="img" '
             f'viewBox="0 0 {width} {height}" data-testid="{escape(chart_id)}">',
             f"<title>{escape(title)}</title>"]
    if not items:
        parts.append(f'<text x="4" y="18" font-size="13" fill="#6c757d">—</text>')
    for i, (text, value, colour) in enumerate(items):
        y = 4 + i * (bar_height + gap)
        length = 0 if not value else max(2, round(room * value / biggest))
        colour = colour or PALETTE[i % len(PALETTE)]
        note = f" {notes[i]}" if notes and i < len(notes) and notes[i] else ""
        parts.append(
            f'<g class="bar" data-label="{escape(text)}" data-value="{value}">'
            f"<title>{escape(text)}: {value}{escape(note)}</title>"
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" font-size="13" text-anchor="end" fill="#212529">'
            f"{escape(_clip(text, label_width - 12))}</text>"
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" rx="3" fill="{colour}"></rect>'
            f'<text x="{label_width + length + 6}" y="{y + bar_height * 0.7:.1f}" font-size="13" fill="#212529">'
            f"{value}{escape(note)}</text></g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _width(text: str, size: float = 13) -> float:
    """Roughly how wide a text is drawn: a Chinese character is a square, a Latin one about 0.6 of it."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def _clip(text: str, room: float) -> str:
    """The text, shortened with an ellipsis to fit `room` units at 13px."""
    if _width(text) <= room:
        return text
    while text and _width(text + "…") > room:
        text = text[:-1]
    return text + "…"


def funnel_chart(steps: list[tuple[str, int, float | None]], *, title: str, chart_id: str, colour: str) -> Markup:
    """A funnel: one centred bar per step, its width proportional to the count, with the share of
    the previous step beside it."""
    width, label_width, bar_height, gap = 540, 170, 22, 5
    room = width - label_width - 110
    biggest = max((n for _, n, _ in steps), default=0) or 1
    height = len(steps) * (bar_height + gap) + 6
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart funnel" id="{escape(chart_id)}" role="img" '
             f'viewBox="0 0 {width} {height}" data-testid="{escape(chart_id)}">', f"<title>{escape(title)}</title>"]
    for i, (text, count, rate) in enumerate(steps):
        y = 3 + i * (bar_height + gap)
        length = 0 if not count else max(2, round(room * count / biggest))
        x = label_width + (room - length) / 2
        rate_text = "" if rate is None else f" ({_fmt(rate * 100)}%)"
        parts.append(
            f'<g class="step" data-step="{escape(text)}" data-value="{count}">'
            f"<title>{escape(text)}: {count}{rate_text}</title>"
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" font-size="13" text-anchor="end" fill="#212529">'
            f"{escape(_clip(text, label_width - 10))}</text>"
            f'<rect x="{x:.1f}" y="{y}" width="{length}" height="{bar_height}" rx="3" fill="{colour}" '
            f'fill-opacity="{1 - i * 0.07:.2f}"></rect>'
            f'<text x="{label_width + room + 8}" y="{y + bar_height * 0.7:.1f}" font-size="13" fill="#212529">'
            f"{count}{rate_text}</text></g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(labels: list[str], series: list[tuple[str, list[int], str]], *, title: str, chart_id: str) -> Markup:
    """Weekly counts as lines with dots, a y axis with a few ticks and a legend underneath."""
    width, height, left, right, top, bottom = 1000, 250, 44, 30, 10, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    biggest = max((v for _, values, _ in series for v in values), default=0)
    ceiling = _nice_ceiling(biggest)
    n = max(1, len(labels) - 1)

    def xy(i: int, v: int) -> tuple[float, float]:
        return left + plot_w * i / n, top + plot_h - plot_h * v / ceiling

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" role="img" '
             f'viewBox="0 0 {width} {height}" data-testid="{escape(chart_id)}">', f"<title>{escape(title)}</title>"]
    for k in range(5):
        value = ceiling * k / 4
        y = top + plot_h - plot_h * k / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dee2e6"></line>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#6c757d">{_fmt(value)}</text>')
    for i, text in enumerate(labels):
        if i % max(1, len(labels) // 6) == 0 or i == len(labels) - 1:
            x, _ = xy(i, 0)
            parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" font-size="11" text-anchor="middle" '
                         f'fill="#6c757d">{escape(text)}</text>')
    for name, values, colour in series:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(values)))
        parts.append(f'<g class="series" data-series="{escape(name)}" data-values="{",".join(map(str, values))}">'
                     f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"></polyline>')
        for i, v in enumerate(values):
            x, y = xy(i, v)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>{escape(name)} · '
                         f"{escape(labels[i])}: {v}</title></circle>")
        parts.append("</g>")
    x = left
    for name, _values, colour in series:
        parts.append(f'<rect x="{x}" y="{height - 22}" width="12" height="12" fill="{colour}"></rect>'
                     f'<text x="{x + 16}" y="{height - 12}" font-size="12" fill="#212529">{escape(name)}</text>')
        x += 24 + 14 * len(name) if not name.isascii() else 24 + 7 * len(name)
    parts.append("</svg>")
    return Markup("".join(parts))


def _nice_ceiling(value: int) -> int:
    if value <= 4:
        return 4
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return step * 4
    return value
