"""A small SVG writer for progress charts: bars per period, or a line over dates.

Pure: strings in, an SVG document out. Every piece of text is XML-escaped.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape, quoteattr

SVG_TYPE = "image/svg+xml"

WIDTH, HEIGHT = 800, 400
LEFT, RIGHT, TOP, BOTTOM = 80, 24, 48, 72
MAX_X_LABELS = 12
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK, GRID, BAR, LINE = "#1f2933", "#d9dee3", "#3b82f6", "#dc2626"


@dataclass(frozen=True)
class Axis:
    """A y axis from 0 to `top` with a tick every `step`."""

    top: float
    step: float

    @property
    def ticks(self) -> list[float]:
        count = round(self.top / self.step)
        return [self.step * i for i in range(count + 1)]


def nice_axis(maximum: float, target_ticks: int = 5) -> Axis:
    """0..top with round steps (1, 2, 2.5 or 5 × 10^k) so that top ≥ maximum."""
    if maximum <= 0 or not math.isfinite(maximum):
        return Axis(top=1.0, step=0.2)
    raw = maximum / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return Axis(top=step * math.ceil(maximum / step - 1e-9), step=step)


def format_number(value: float, *, thousands: bool | None = None) -> str:
    """Tick labels: 12 500 → "12.5k", 2.5 → "2.5", 40 → "40". `thousands` forces (or
    forbids) the k form, so that every tick of one axis reads alike."""
    if value and (thousands if thousands is not None else abs(value) >= 10_000):
        return f"{value / 1000:g}k"
    return f"{value:g}" if value != int(value) else str(int(value))


def date_ticks(start: date, end: date) -> list[date]:
    """At most MAX_X_LABELS ticks: every day, or every 1, 2, 4, 13 or 26 weeks on Mondays."""
    span = (end - start).days
    if span + 1 <= MAX_X_LABELS:
        return [date.fromordinal(start.toordinal() + i) for i in range(span + 1)]
    weeks = next(w for w in (1, 2, 4, 8, 13, 26, 52, 104, 260) if span / (7 * w) < MAX_X_LABELS)
    first = date.fromordinal(start.toordinal() + (-start.weekday()) % 7)  # the first Monday
    return [
        date.fromordinal(day) for day in range(first.toordinal(), end.toordinal() + 1, 7 * weeks)
    ]


def _text(x: float, y: float, content: str, **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


def _frame(title: str, y_label: str, x_label: str, axis: Axis, body: list[str]) -> str:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label={quoteattr(title)} '
        f'font-family={quoteattr(FONT)} font-size="12" fill="{INK}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        _text(WIDTH / 2, 28, title, text_anchor="middle", font_size="16", font_weight="600"),
    ]
    thousands = axis.top >= 10_000
    for tick in axis.ticks:
        y = TOP + plot_h - tick / axis.top * plot_h
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        label = format_number(tick, thousands=thousands)
        parts.append(_text(LEFT - 8, y + 4, label, text_anchor="end"))
    parts += body
    parts += [
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="{INK}"/>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" '
        f'stroke="{INK}"/>',
        _text(
            18,
            TOP + plot_h / 2,
            y_label,
            text_anchor="middle",
            transform=f"rotate(-90 18 {TOP + plot_h / 2:.1f})",
        ),
        _text(LEFT + plot_w / 2, HEIGHT - 12, x_label, text_anchor="middle"),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def _no_data(parts: list[str]) -> None:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts.append(
        _text(LEFT + plot_w / 2, TOP + plot_h / 2, "No data in this range", text_anchor="middle")
    )


def _label_every(labels: Sequence[str]) -> int:
    """Show every n-th label so that labels (≈ 7 px a character at 12 px) never overlap."""
    if not labels:
        return 1
    plot_w = WIDTH - LEFT - RIGHT
    widest = 7 * max(len(label) for label in labels) + 12
    fits = max(1, min(MAX_X_LABELS, int(plot_w // widest)))
    return max(1, math.ceil(len(labels) / fits))


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[float], *, y_label: str, x_label: str
) -> str:
    """One bar per label (e.g. per week), on a y axis from 0."""
    axis = nice_axis(max(values, default=0.0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts: list[str] = []
    slot = plot_w / max(len(values), 1)
    every = _label_every(labels)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = LEFT + i * slot
        height = value / axis.top * plot_h
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{TOP + plot_h - height:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{height:.1f}" fill="{BAR}">'
            f"<title>{escape(f'{label}: {format_number(round(value, 2))}')}</title></rect>"
        )
        if i % every == 0:
            parts.append(_text(x + slot / 2, TOP + plot_h + 18, label, text_anchor="middle"))
    if not any(values):
        _no_data(parts)
    return _frame(title, y_label, x_label, axis, parts)


def line_chart(
    title: str,
    points: Sequence[tuple[date, float]],
    *,
    start: date,
    end: date,
    y_label: str,
    x_label: str,
) -> str:
    """A line through (date, value) points on a time axis from `start` to `end`."""
    axis = nice_axis(max((v for _, v in points), default=0.0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = max((end - start).days, 1)

    def x_of(day: date) -> float:
        return LEFT + (day - start).days / span * plot_w

    parts: list[str] = []
    label_format = "%b %d" if span < 366 else "%b %Y"
    for day in date_ticks(start, end):
        x = x_of(day)
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP + plot_h}" x2="{x:.1f}" y2="{TOP + plot_h + 5}" '
            f'stroke="{INK}"/>'
        )
        parts.append(_text(x, TOP + plot_h + 18, day.strftime(label_format), text_anchor="middle"))
    coords = [(x_of(day), TOP + plot_h - value / axis.top * plot_h) for day, value in points]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for (x, y), (day, value) in zip(coords, points, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{LINE}">'
            f"<title>{escape(f'{day.isoformat()}: {format_number(round(value, 2))}')}</title>"
            "</circle>"
        )
    if not points:
        _no_data(parts)
    return _frame(title, y_label, x_label, axis, parts)
