"""Geometry of the synthesis charts, computed here so the server sends finished
SVG: small pure functions from counts to positions, sizes, labels, colours
and links.

Labels are never cut short: each column of labels is as wide as its widest
label needs, up to a limit past which labels wrap onto more lines and their
row grows (lessons/chart_text.py). A bar, part or cell with something behind
it carries a `Link` to the stories or lessons it counts. Colours are checked
against the page (lessons/chart_colours.py)."""

import math
from dataclasses import dataclass

from lessons.chart_colours import BAR, mix, text_on
from lessons.chart_text import LINE, Line, label_lines, label_room, text_width


@dataclass(frozen=True)
class Link:
    """Where a mark leads, and what the link says (its accessible name and
    the tooltip a pointer shows)."""

    href: str
    name: str


def _scale(value, largest, length):
    return round(length * value / largest, 2) if largest else 0


def _fits(text, room):
    return text_width(text, bold=True) + 6 <= room


def _row_height(lines, least):
    return max(least, len(lines) * LINE + 6)


@dataclass(frozen=True)
class Bar:
    label: str
    lines: list  # [Line]
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
    link: Link | None = None


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list
    axis_x: float = 0
    axis_y: float = 0


def horizontal_bars(
    items, *, links=None, fill=BAR, width=640, row=30, gap=8, top=8, label_most=240
):
    """One bar per (label, value), longest value the full width; the label sits
    left of its bar (wrapping past `label_most`) and the value right of it.
    `links` is a list of a Link (or None) per item."""
    items = list(items)
    links = links or [None] * len(items)
    label_width = label_room([label for label, _ in items], least=80, most=label_most)
    largest = max((value for _, value in items), default=0)
    plot = width - label_width - 56
    bars, y = [], top
    for (label, value), link in zip(items, links, strict=True):
        lines = label_lines(label, label_width - 14)
        height = _row_height(lines, row)
        length = _scale(value, largest, plot)
        bars.append(
            Bar(
                label=str(label),
                lines=lines,
                value=value,
                x=label_width,
                y=y,
                width=length,
                height=height,
                fill=fill,
                label_x=label_width - 8,
                label_y=y + height / 2,
                value_x=label_width + length + 6,
                value_y=y + height / 2,
                link=link,
            )
        )
        y += height + gap
    height = y - gap + top if items else 2 * top
    return BarChart(width=width, height=height, bars=bars, axis_x=label_width)


def columns(
    items, *, links=None, fill=BAR, slot=56, plot_height=200, top=24, bottom=12
):
    """One column per (label, value), in the order given (years: oldest first).
    The chart widens with the number of columns so labels never overlap; the
    SVG's viewBox scales it to the page. A label wider than its slot wraps."""
    items = list(items)
    links = links or [None] * len(items)
    largest = max((value for _, value in items), default=0)
    column = slot * 0.7
    left = 8
    bars, deepest = [], 1
    for index, ((label, value), link) in enumerate(zip(items, links, strict=True)):
        height = _scale(value, largest, plot_height)
        x = left + index * slot + (slot - column) / 2
        y = top + plot_height - height
        lines = label_lines(label, slot - 4)
        lines = [Line(line.text, 0 if i == 0 else LINE) for i, line in enumerate(lines)]
        deepest = max(deepest, len(lines))
        bars.append(
            Bar(
                label=str(label),
                lines=lines,
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
                link=link,
            )
        )
    width = max(320, left * 2 + len(items) * slot)
    return BarChart(
        width=width,
        height=top + plot_height + 20 + (deepest - 1) * LINE + bottom,
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
    link: Link | None = None


@dataclass(frozen=True)
class StackedRow:
    label: str
    lines: list
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
    legend_bottom: float
    axis_x: float


def legend_keys(series, *, left, width, row=26):
    """A key per (key, label, Swatch), left to right, onto a new row when the
    next one would pass `width`; and where the last row ends."""
    keys, x, y = [], left, 6
    for _, label, swatch in series:
        room = 22 + text_width(label) + 24
        if x > left and x + room > width:
            x, y = left, y + row
        keys.append(LegendKey(label, swatch.paint, x, y, x + 22, y + 13))
        x += room
    return keys, y + 16


def stacked_bars(
    rows, series, *, links=None, width=640, row=30, gap=10, label_most=200
):
    """Rows of bars split into parts. `rows` is [(label, {key: value})],
    `series` is [(key, label, Swatch)] and `links` {(row index, key): Link};
    the longest total spans the plot. A part wide enough carries its number
    in a colour that reads on its ground and marks; the legend names them."""
    rows, series, links = list(rows), list(series), links or {}
    label_width = label_room([label for label, _ in rows], least=80, most=label_most)
    legend, legend_bottom = legend_keys(series, left=label_width, width=width)
    plot = width - label_width - 56
    largest = max((sum(values.values()) for _, values in rows), default=0)
    drawn, y = [], legend_bottom + 14
    for index, (label, values) in enumerate(rows):
        lines = label_lines(label, label_width - 14)
        height = _row_height(lines, row)
        x, segments = label_width, []
        for key, _, swatch in series:
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
                    fill=swatch.paint,
                    text_fill=swatch.text,
                    show_value=_fits(value, length),
                    value_x=round(x + length / 2, 2),
                    link=links.get((index, key)),
                )
            )
            x += length
        drawn.append(
            StackedRow(
                label=str(label),
                lines=lines,
                total=sum(values.values()),
                y=y,
                height=height,
                segments=segments,
                label_x=label_width - 8,
                label_y=y + height / 2,
                total_x=round(x + 6, 2),
            )
        )
        y += height + gap
    return StackedChart(
        width=width,
        height=y - gap + 8 if rows else y,
        rows=drawn,
        legend=legend,
        legend_bottom=legend_bottom,
        axis_x=label_width,
    )


@dataclass(frozen=True)
class Cell:
    value: int
    x: float
    y: float
    height: float
    fill: str
    text_fill: str
    text_x: float
    text_y: float
    link: Link | None = None


@dataclass(frozen=True)
class GridHeading:
    label: str
    lines: list
    x: float
    y: float


@dataclass(frozen=True)
class Grid:
    width: int
    height: int
    cell_width: int
    columns: list
    rows: list
    cells: list


LEVELS = 4


def level(value, largest):
    """0 for nothing, else 1..LEVELS by share of the largest count."""
    if not value or not largest:
        return 0
    return max(1, math.ceil(LEVELS * value / largest))


def _headings(column_labels, label_width, cell_width):
    """The column headings, wrapped to their cells, bottom lines level; and
    how deep the heading row is."""
    wrapped = [label_lines(label, cell_width - 8) for label in column_labels]
    depth = max((len(lines) for lines in wrapped), default=1)
    header = 12 + depth * LINE
    headings = [
        GridHeading(
            str(label),
            [Line(line.text, 0 if i == 0 else LINE) for i, line in enumerate(lines)],
            label_width + index * cell_width + cell_width / 2,
            header - 8 - (len(lines) - 1) * LINE,
        )
        for index, (label, lines) in enumerate(zip(column_labels, wrapped, strict=True))
    ]
    return headings, header


def heat_grid(
    row_labels,
    column_labels,
    column_colours,
    counts,
    *,
    links=None,
    cell_width=96,
    cell_height=34,
):
    """A table of coloured cells: one row per theme, one column per stream,
    each column wide enough for the longest word of its heading (headings wrap
    between words). `counts` and `links` map (row index, column index) to a
    number and a Link.
    Each cell is shaded in its column's colour by its share of the largest
    count and carries the number in whichever text colour reads on it; every
    cell has an outline, so even the palest stands out from the page."""
    row_labels, column_labels = list(row_labels), list(column_labels)
    links = links or {}
    words = [word for label in column_labels for word in str(label).split()]
    cell_width = label_room(words, least=cell_width, most=2 * cell_width, pad=12)
    label_width = label_room(row_labels, least=80, most=200)
    columns, header = _headings(column_labels, label_width, cell_width)
    largest = max(counts.values(), default=0)
    rows, cells, y = [], [], header
    for r, label in enumerate(row_labels):
        lines = label_lines(label, label_width - 14)
        height = _row_height(lines, cell_height)
        rows.append(GridHeading(str(label), lines, label_width - 8, y + height / 2))
        for c, colour in enumerate(column_colours):
            value = counts.get((r, c), 0)
            fill = mix(colour, level(value, largest) / LEVELS)
            x = label_width + c * cell_width
            cells.append(
                Cell(
                    value=value,
                    x=x,
                    y=y,
                    height=height,
                    fill=fill,
                    text_fill=text_on(fill),
                    text_x=x + cell_width / 2,
                    text_y=y + height / 2,
                    link=links.get((r, c)),
                )
            )
        y += height
    return Grid(
        width=label_width + len(column_labels) * cell_width + 2,
        height=y + 2,
        cell_width=cell_width,
        columns=columns,
        rows=rows,
        cells=cells,
    )
