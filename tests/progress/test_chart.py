"""The SVG writer: well-formed, escaped, with axes, labels and a title."""

import itertools
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from app.progress import chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything not well-formed


@pytest.mark.parametrize(
    ("maximum", "top", "step"),
    [(0, 1.0, 0.2), (7, 8, 2), (10, 10, 2), (1380, 1500, 500), (2448, 2500, 500), (0.3, 0.3, 0.1)],
)
def test_nice_axis(maximum: float, top: float, step: float) -> None:
    axis = chart.nice_axis(maximum)
    assert axis.top == pytest.approx(top)
    assert axis.step == pytest.approx(step)
    assert axis.top >= maximum


def test_format_number() -> None:
    assert chart.format_number(40) == "40"
    assert chart.format_number(2.5) == "2.5"
    assert chart.format_number(12500) == "12.5k"
    assert chart.format_number(8000, thousands=True) == "8k"


def test_date_ticks() -> None:
    week = chart.date_ticks(date(2026, 3, 16), date(2026, 3, 22))
    assert week == [date(2026, 3, d) for d in range(16, 23)]  # short spans: every day
    ticks = chart.date_ticks(date(2026, 8, 31), date(2026, 11, 22))  # 12 weeks
    assert ticks[0] == date(2026, 8, 31)
    assert all(t.weekday() == 0 for t in ticks)
    assert all((b - a).days == 7 for a, b in itertools.pairwise(ticks))
    assert 1 < len(chart.date_ticks(date(2021, 1, 1), date(2026, 1, 1))) <= chart.MAX_X_LABELS


def test_bar_chart_has_title_axes_labels_and_one_bar_a_value() -> None:
    svg = chart.bar_chart(
        'Volume <per> week — "Ada" & co',
        ["Mar 16", "Mar 23", "Mar 30"],
        [1740, 2448, 0],
        y_label="Volume load (kg)",
        x_label="week starting",
    )
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.findtext(f"{SVG}title") == 'Volume <per> week — "Ada" & co'
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert 'Volume <per> week — "Ada" & co' in texts
    assert {"Volume load (kg)", "week starting", "Mar 16", "Mar 23", "Mar 30"} <= set(texts)
    assert {"0", "500", "1000", "1500", "2000", "2500"} <= set(texts)  # y ticks to 2500
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == chart.BAR]
    assert len(bars) == 3
    heights = [float(r.get("height", "")) for r in bars]
    plot_h = chart.HEIGHT - chart.TOP - chart.BOTTOM
    assert heights == pytest.approx([1740 / 2500 * plot_h, 2448 / 2500 * plot_h, 0], abs=0.1)
    assert "<per>" not in svg  # escaped in the source


def test_empty_bar_chart_says_so() -> None:
    root = _parse(chart.bar_chart("t", ["a"], [0], y_label="y", x_label="x"))
    assert "No data in this range" in [t.text for t in root.iter(f"{SVG}text")]


def test_many_bars_thin_out_their_labels() -> None:
    labels = [f"w{i}" for i in range(52)]
    root = _parse(chart.bar_chart("t", labels, [1.0] * 52, y_label="y", x_label="x"))
    shown = [t.text for t in root.iter(f"{SVG}text") if (t.text or "").startswith("w")]
    assert 1 < len(shown) <= chart.MAX_X_LABELS
    assert shown[0] == "w0"


def test_line_chart_places_points_by_date() -> None:
    svg = chart.line_chart(
        "e1RM <hip thrust>",
        [(date(2026, 3, 10), 93.33), (date(2026, 3, 18), 86.33), (date(2026, 4, 7), 100.0)],
        start=date(2026, 3, 10),
        end=date(2026, 4, 7),
        y_label="e1RM (kg)",
        x_label="dates",
    )
    root = _parse(svg)
    circles = list(root.iter(f"{SVG}circle"))
    assert len(circles) == 3
    xs = [float(c.get("cx", "")) for c in circles]
    plot_w = chart.WIDTH - chart.LEFT - chart.RIGHT
    assert xs == pytest.approx(
        [chart.LEFT, chart.LEFT + 8 / 28 * plot_w, chart.LEFT + plot_w], abs=0.05
    )
    assert root.find(f"{SVG}polyline") is not None
    assert root.findtext(f"{SVG}title") == "e1RM <hip thrust>"


def test_empty_line_chart() -> None:
    day = date(2026, 3, 1)
    root = _parse(chart.line_chart("t", [], start=day, end=day, y_label="y", x_label="x"))
    assert root.find(f"{SVG}polyline") is None
    assert "No data in this range" in [t.text for t in root.iter(f"{SVG}text")]
