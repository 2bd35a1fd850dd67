"""Geometry of the synthesis charts, computed here so the server sends finished
SVG: small pure functions from counts to positions, sizes, labels and colours.

Every colour a chart uses is checked against the page: bars reach 3:1 against
the white background (WCAG 1.4.11) and text reaches 4.5:1 against whatever it
sits on (WCAG 1.4.3)."""

import math
import re
from dataclasses import dataclass

PAPER = "#ffffff"
INK = "#1b1f24"
BLACK = "#000000"
OUTLINE = "#6b7480"  # the form-field border: 4.8:1 on white
# The site's stream palette (static/css/site.css): every one is >= 4.5:1 on white.
PALETTE = ("#1d5a96", "#22703a", "#7a3587", "#a4461b", "#a3234f")
BAR = PALETTE[0]
BAR_CONTRAST = 3.0
TEXT_CONTRAST = 4.5
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")

FONT_WIDTH = 7.2  # an average glyph at the charts' 13px labels, for fitting text


def _channel(value):
    value /= 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour):
    """Relative luminance of a #rrggbb colour (WCAG 2.2)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first, second):
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def usable_colour(colour, fallback, *, against=PAPER, minimum=BAR_CONTRAST):
    """`colour` when it is a #rrggbb that stands out from `against`, else `fallback`."""
    if isinstance(colour, str) and HEX.match(colour):
        if contrast_ratio(colour, against) >= minimum:
            return colour.lower()
    return fallback


def text_on(fill):
    """The ink, white or black: whichever reads best on `fill` (always >= 4.5:1)."""
    return max((INK, PAPER, BLACK), key=lambda text: contrast_ratio(text, fill))


def mix(colour, share, base=PAPER):
    """`share` (0..1) of `colour` laid over `base`, as #rrggbb."""
    channels = []
    for i in (1, 3, 5):
        top, bottom = int(colour[i : i + 2], 16), int(base[i : i + 2], 16)
        channels.append(round(bottom + (top - bottom) * share))
    return "#" + "".join(f"{c:02x}" for c in channels)


def shorten(text, limit):
    """`text` cut to `limit` characters with an ellipsis; the table has it whole."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _scale(value, largest, length):
    return round(length * value / largest, 2) if largest else 0


def _fits(text, room):
    return len(str(text)) * FONT_WIDTH + 6 <= room


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    fill: str
    label_x: float
    label_y: float
    value_x: float
    value_y: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list
    axis_x: float = 0
    axis_y: float = 0


def horizontal_bars(
    items, *, fill=BAR, width=640, label_width=190, row=30, gap=8, top=8
):
    """One bar per (label, value), longest value the full width; the label sits
    left of its bar and the value right of it."""
    items = list(items)
    largest = max((value for _, value in items), default=0)
    plot = width - label_width - 56
    bars = []
    for index, (label, value) in enumerate(items):
        y = top + index * (row + gap)
        length = _scale(value, largest, plot)
        bars.append(
            Bar(
                label=shorten(label, label_width // 8),
                value=value,
                x=label_width,
                y=y,
                width=length,
                height=row,
                fill=fill,
                label_x=label_width - 8,
                label_y=y + row / 2,
                value_x=label_width + length + 6,
                value_y=y + row / 2,
            )
        )
    height = top + len(items) * (row + gap) - gap + top if items else 2 * top
    return BarChart(width=width, height=height, bars=bars, axis_x=label_width)


def columns(items, *, fill=BAR, slot=56, plot_height=200, top=24, bottom=32):
    """One column per (label, value), in the order given (years: oldest first).
    The chart widens with the number of columns so labels never overlap; the
    SVG's viewBox scales it to the page."""
    items = list(items)
    largest = max((value for _, value in items), default=0)
    column = slot * 0.7
    left = 8
    bars = []
    for index, (label, value) in enumerate(items):
        height = _scale(value, largest, plot_height)
        x = left + index * slot + (slot - column) / 2
        y = top + plot_height - height
        bars.append(
            Bar(
                label=str(label),
                value=value,
                x=round(x, 2),
                y=y,
                width=round(column, 2),
                height=height,
                fill=fill,
                label_x=round(x + column / 2, 2),
                label_y=top + plot_height + 20,
                value_x=round(x + column / 2, 2),
                value_y=y - 6,
            )
        )
    width = max(320, left * 2 + len(items) * slot)
    return BarChart(
        width=width,
        height=top + plot_height + bottom,
        bars=bars,
        axis_y=top + plot_height,
    )


@dataclass(frozen=True)
class Segment:
    series: str
    value: int
    x: float
    width: float
    fill: str
    text_fill: str
    show_value: bool
    value_x: float


@dataclass(frozen=True)
class StackedRow:
    label: str
    total: int
    y: float
    height: float
    segments: list
    label_x: float
    label_y: float
    total_x: float


@dataclass(frozen=True)
class LegendKey:
    label: str
    fill: str
    x: float
    y: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class StackedChart:
    width: int
    height: int
    rows: list
    legend: list
    axis_x: float


def stacked_bars(rows, series, *, width=640, label_width=150, row=30, gap=10):
    """Rows of bars split into coloured parts. `rows` is [(label, {key: value})],
    `series` is [(key, label, colour)]; the longest total spans the plot. A part
    wide enough carries its number; the legend names the colours."""
    rows = list(rows)
    series = list(series)
    legend_row = 30
    legend, x = [], label_width
    for _, label, colour in series:
        legend.append(LegendKey(label, colour, x, 6, x + 22, 19))
        x += 22 + len(label) * FONT_WIDTH + 24
    top = legend_row + 12
    plot = width - label_width - 56
    largest = max((sum(values.values()) for _, values in rows), default=0)
    drawn = []
    for index, (label, values) in enumerate(rows):
        y = top + index * (row + gap)
        x = label_width
        segments = []
        for key, _, colour in series:
            value = values.get(key, 0)
            if not value:
                continue
            length = _scale(value, largest, plot)
            segments.append(
                Segment(
                    series=key,
                    value=value,
                    x=round(x, 2),
                    width=length,
                    fill=colour,
                    text_fill=text_on(colour),
                    show_value=_fits(value, length),
                    value_x=round(x + length / 2, 2),
                )
            )
            x += length
        total = sum(values.values())
        drawn.append(
            StackedRow(
                label=shorten(label, label_width // 8),
                total=total,
                y=y,
                height=row,
                segments=segments,
                label_x=label_width - 8,
                label_y=y + row / 2,
                total_x=round(x + 6, 2),
            )
        )
    height = top + len(rows) * (row + gap) - gap + 8 if rows else top
    return StackedChart(
        width=width, height=height, rows=drawn, legend=legend, axis_x=label_width
    )


@dataclass(frozen=True)
class Cell:
    value: int
    x: float
    y: float
    fill: str
    text_fill: str
    text_x: float
    text_y: float


@dataclass(frozen=True)
class GridHeading:
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class Grid:
    width: int
    height: int
    cell_width: int
    cell_height: int
    columns: list
    rows: list
    cells: list


LEVELS = 4


def level(value, largest):
    """0 for nothing, else 1..LEVELS by share of the largest count."""
    if not value or not largest:
        return 0
    return max(1, math.ceil(LEVELS * value / largest))


def heat_grid(
    row_labels,
    column_labels,
    column_colours,
    counts,
    *,
    label_width=200,
    cell_width=96,
    cell_height=34,
    header=34,
):
    """A table of coloured cells: one row per theme, one column per stream.
    `counts` maps (row index, column index) to a number. Each cell is shaded in
    its column's colour by its share of the largest count and carries the number
    in whichever text colour reads on it; every cell has an outline, so even the
    palest stands out from the page."""
    row_labels = list(row_labels)
    column_labels = list(column_labels)
    largest = max(counts.values(), default=0)
    columns = [
        GridHeading(
            shorten(label, cell_width // 8),
            label_width + index * cell_width + cell_width / 2,
            header - 12,
        )
        for index, label in enumerate(column_labels)
    ]
    rows, cells = [], []
    for r, label in enumerate(row_labels):
        y = header + r * cell_height
        rows.append(
            GridHeading(shorten(label, label_width // 8), label_width - 8, y + 22)
        )
        for c, colour in enumerate(column_colours):
            value = counts.get((r, c), 0)
            fill = mix(colour, level(value, largest) / LEVELS)
            x = label_width + c * cell_width
            cells.append(
                Cell(
                    value=value,
                    x=x,
                    y=y,
                    fill=fill,
                    text_fill=text_on(fill),
                    text_x=x + cell_width / 2,
                    text_y=y + 22,
                )
            )
    return Grid(
        width=label_width + len(column_labels) * cell_width + 2,
        height=header + len(row_labels) * cell_height + 2,
        cell_width=cell_width,
        cell_height=cell_height,
        columns=columns,
        rows=rows,
        cells=cells,
    )
