"""Inline SVG charts: accessible, escaped, proportional, deterministic."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armtrace.reports.charts import (
    LABEL_ROOM,
    LABEL_SIZE,
    LABEL_WIDTH,
    bar_chart,
    text_width,
    timeline_chart,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect")]


def test_bar_chart_is_an_accessible_image_stating_its_numbers() -> None:
    root = parse(bar_chart([("US", 120), ("JP", 15)], title="Countries", unit="components"))
    assert root.get("role") == "img"
    labelled_by = (root.get("aria-labelledby") or "").split()
    ids = {el.get("id"): (el.text or "") for el in root.iter() if el.get("id")}
    assert ids[labelled_by[0]] == "Countries"
    description = ids[labelled_by[1]]
    assert "US: 120 components" in description
    assert "JP: 15 components" in description


def test_bar_lengths_are_proportional_to_values() -> None:
    root = parse(bar_chart([("a", 100), ("b", 50), ("c", 25)], title="t"))
    widths = [float(rect.get("width") or 0) for rect in bars(root)]
    assert widths[1] == pytest.approx(widths[0] / 2, abs=0.1)
    assert widths[2] == pytest.approx(widths[0] / 4, abs=0.1)


def test_bar_chart_escapes_labels_and_title() -> None:
    hostile = '<script>alert("x")</script> & Co'
    svg = bar_chart([(hostile, 3)], title="<b>t</b>")
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)  # still well-formed XML
    texts = ["".join(el.itertext()) for el in root.iter(f"{SVG}title")]
    assert hostile in texts and "<b>t</b>" in texts


def test_long_labels_are_shortened_on_screen_but_kept_whole_in_the_tooltip() -> None:
    name = "Analog Devices International Unlimited Company"
    svg = bar_chart([(name, 2), ("Infineon", 1)], title="Companies")
    shown = _shown_labels(svg)
    assert shown[0].endswith("…") and name.startswith(shown[0][:-1])
    assert shown[1] == "Infineon"  # a label that fits is left whole
    assert f"<title>{name}</title>" in svg


DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LONG_NAMES = [
    "Semiconductor Components Industries, LLC (onsemi)",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
    "MMMMMMMMMMMMMMMMMMMMMMMMMMMMM",
    "Analog Devices International Unlimited Company",
    "Shenzhen Xinyuanxing Electronic Technology Co Ltd",
    "深圳市新源兴电子科技有限公司深圳市新源兴电子科技有限公司",
    "Акционерное общество Ангстрем Зеленоград",
]


def _shown_labels(svg: str) -> list[str]:
    """The visible text of each bar label (the text after its <title>)."""
    labels = []
    for group in parse(svg).iter(f"{SVG}g"):
        label = next(group.iter(f"{SVG}text"))
        title = label.find(f"{SVG}title")
        assert title is not None
        labels.append(title.tail or "")
    return labels


@pytest.mark.skipif(not DEJAVU.exists(), reason="needs Debian's fonts-dejavu-core to measure")
@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1,
                        max_size=80), min_size=1, max_size=5))  # fmt: skip
def test_no_label_runs_off_the_left_edge(extra: list[str]) -> None:
    from PIL import ImageFont

    font = ImageFont.truetype(str(DEJAVU), LABEL_SIZE)
    names = [*LONG_NAMES, *extra]
    svg = bar_chart([(name, float(n + 1)) for n, name in enumerate(names)], title="Companies")
    for name, shown in zip(names, _shown_labels(svg), strict=True):
        # Measured with the font itself: the label ends 6 px before the bar, so it starts at
        # LABEL_WIDTH - 6 - width, which must stay clear of the left edge.
        assert LABEL_WIDTH - 6 - font.getlength(shown) >= 8, shown
        assert text_width(shown) <= LABEL_ROOM, shown
        assert shown == name or (shown.endswith("…") and name.startswith(shown[:-1]))


def test_empty_bar_chart_says_no_data() -> None:
    root = parse(bar_chart([], title="Companies"))
    assert "No data." in "".join(root.itertext())
    assert bars(root) == []


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
def test_bar_chart_rejects_values_that_are_not_counts(bad: float) -> None:
    with pytest.raises(ValueError, match="finite and not negative"):
        bar_chart([("x", bad)], title="t")


def test_same_data_gives_identical_output_and_different_data_different_ids() -> None:
    first = bar_chart([("a", 1)], title="t")
    assert first == bar_chart([("a", 1)], title="t")
    other = bar_chart([("a", 2)], title="t")
    assert parse(first).get("aria-labelledby") != parse(other).get("aria-labelledby")


def test_timeline_merges_equal_dates_orders_bars_and_scales_heights() -> None:
    points = [(date(2023, 3, 1), 2), (date(2019, 6, 1), 4), (date(2023, 3, 1), 6)]
    root = parse(timeline_chart(points, title="Date codes"))
    rects = bars(root)
    assert len(rects) == 2
    xs = [float(r.get("x") or 0) for r in rects]
    heights = [float(r.get("height") or 0) for r in rects]
    assert xs[0] < xs[1]
    assert heights[0] == pytest.approx(heights[1] / 2, abs=0.1)  # 4 against the merged 8
    tooltips = ["".join(r.itertext()) for r in rects]
    assert tooltips == ["2019-06-01: 4", "2023-03-01: 8"]


def test_timeline_axis_labels_cover_the_years() -> None:
    svg = timeline_chart([(date(2019, 1, 1), 1), (date(2022, 5, 1), 1)], title="t")
    texts = "".join(parse(svg).itertext())
    for year in ("2019", "2020", "2021", "2022", "2023"):
        assert year in texts
    assert "12 in all" not in texts and "2 in all" in texts


def test_timeline_spanning_decades_keeps_about_ten_year_labels() -> None:
    svg = timeline_chart([(date(1977, 1, 1), 1), (date(2023, 1, 1), 1)], title="t")
    year_labels = [el.text for el in parse(svg).iter(f"{SVG}text") if (el.text or "").isdigit()]
    assert 5 <= len([y for y in year_labels if len(y or "") == 4]) <= 12


def test_empty_timeline_says_no_data() -> None:
    assert "No data." in timeline_chart([], title="Date codes")


def test_timeline_rejects_negative_counts() -> None:
    with pytest.raises(ValueError):
        timeline_chart([(date(2020, 1, 1), -3)], title="t")


def test_one_of_a_unit_is_singular() -> None:
    svg = bar_chart([("a", 1), ("b", 2)], title="t", unit="components")
    assert "1 component<" in svg and "2 components<" in svg
