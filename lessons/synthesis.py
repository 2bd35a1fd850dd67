"""The synthesis laid out: from the counts (lessons/selectors.py) to the tables,
the charts and the links from every number to what it counts.

A number of lessons leads to the list of those lessons (`synthesis:lessons`,
with the same filters), a number of stories to browse (`stories:list`) with
the filters that pick exactly those stories (state, year). The kinds of lesson
are drawn in greys and patterns that no stream uses (chart_colours.py)."""

from django.urls import reverse
from django.utils.http import urlencode

from communities.models import State
from lessons import charts
from lessons.chart_colours import KIND_SWATCHES, PALETTE, usable_colour
from lessons.models import Kind
from lessons.selectors import NO_THEME

NO_THEME_LABEL = "No theme yet"
NO_YEAR = "Year not given"
NO_YEAR_SHORT = "No year"
LINK_ORDER = ("q", "stream", "kind", "theme", "state", "year")

# a bar chart drawn for a phone: as wide as a 375 px screen's page, its labels
# wrapping sooner so that the bars keep room
NARROW = 343
NARROW_LABELS = 120


def address(name, **filters):
    """The page `name` with only the filters given a value, in a fixed order
    (so one set of filters is one address, and one kept page)."""
    query = [(key, filters[key]) for key in LINK_ORDER if filters.get(key)]
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def lessons_address(**filters):
    return address("synthesis:lessons", **filters)


def stories_address(**filters):
    return address("stories:list", **filters)


def plural(n, one, many):
    return f"{n} {one if n == 1 else many}"


def synthesis_context(counts, filters):
    """Every number, table row, chart and link of the synthesis page."""
    streams = counts.streams
    matrix, grid = _themes_by_stream(counts, filters)
    kinds = [(kind.value, kind.label, KIND_SWATCHES[kind.value]) for kind in Kind]
    kind_rows, kind_totals, kind_charts = _kinds_by_stream(counts, kinds, filters)
    states, state_charts = _stories_by_state(counts.by_state, filters)
    years, year_chart = _stories_by_year(counts.by_year, filters)
    lesson_total = sum(total for total, _ in kind_totals)
    return {
        "streams": streams,
        "lesson_total": lesson_total,
        "lesson_total_link": lessons_address(**filters),
        "story_total": sum(n for _, n, _ in states),
        "matrix": matrix,
        "grid": grid,
        "kinds": [{"label": label, "swatch": swatch} for _, label, swatch in kinds],
        "swatches": list(KIND_SWATCHES.values()),
        "kind_rows": kind_rows,
        "kind_totals": kind_totals,
        # each bar chart twice: as wide as a page, and as a phone's screen
        "kind_chart": kind_charts[0],
        "kind_chart_narrow": kind_charts[1],
        "states": states,
        "state_chart": state_charts[0],
        "state_chart_narrow": state_charts[1],
        "years": years,
        "year_chart": year_chart,
    }


def _themes_by_stream(counts, filters):
    """Lessons by theme (a row each, and one for lessons without a theme if
    there are any) and stream (a column each): the table's rows and the grid,
    each count > 0 linked to its lessons."""
    streams, by_stream_theme = counts.streams, counts.by_stream_theme
    stream_colours = [
        usable_colour(stream.colour, PALETTE[i % len(PALETTE)])
        for i, stream in enumerate(streams)
    ]
    rows = [(theme.name, theme, theme.slug) for theme in counts.themes]
    if any(theme is None for _, theme in by_stream_theme):
        rows.append((NO_THEME_LABEL, None, NO_THEME))
    matrix, links = [], {}
    for r, (label, theme, slug) in enumerate(rows):
        cells = []
        for c, stream in enumerate(streams):
            n = by_stream_theme.get((stream.pk, theme.pk if theme else None), 0)
            href = (
                lessons_address(stream=stream.slug, theme=slug, **filters) if n else ""
            )
            cells.append((n, href))
            if n:
                under = f"under “{label}”" if theme else "under no theme yet"
                name = f"{plural(n, 'lesson', 'lessons')} in {stream.name} {under}"
                links[(r, c)] = charts.Link(href, name)
        total = sum(n for n, _ in cells)
        matrix.append(
            {
                "label": label,
                "theme": theme,
                "counts": cells,
                "total": total,
                "total_link": lessons_address(theme=slug, **filters) if total else "",
            }
        )
    grid = charts.heat_grid(
        [row["label"] for row in matrix],
        [stream.name for stream in streams],
        stream_colours,
        {
            (r, c): n
            for r, row in enumerate(matrix)
            for c, (n, _) in enumerate(row["counts"])
        },
        links=links,
    )
    return matrix, grid


def _kinds_by_stream(counts, kinds, filters):
    """Lessons by stream (a row each) and kind (a column each): the table's
    rows, each kind's total and the stacked bars, every part linked."""
    kind_rows, links = [], {}
    for index, stream in enumerate(counts.streams):
        cells = []
        for key, label, _ in kinds:
            n = counts.by_stream_kind.get((stream.pk, key), 0)
            href = lessons_address(stream=stream.slug, kind=key, **filters) if n else ""
            cells.append((n, href))
            if n:
                name = f"{stream.name}, {label}: {plural(n, 'lesson', 'lessons')}"
                links[(index, key)] = charts.Link(href, name)
        total = sum(n for n, _ in cells)
        kind_rows.append(
            {
                "stream": stream,
                "counts": cells,
                "total": total,
                "total_link": lessons_address(stream=stream.slug, **filters)
                if total
                else "",
            }
        )
    kind_totals = []
    for i, (key, _, _) in enumerate(kinds):
        n = sum(row["counts"][i][0] for row in kind_rows)
        kind_totals.append((n, lessons_address(kind=key, **filters) if n else ""))
    bars = [
        (
            row["stream"].name,
            {key: n for (key, _, _), (n, _) in zip(kinds, row["counts"], strict=True)},
        )
        for row in kind_rows
    ]
    kind_charts = (
        charts.stacked_bars(bars, kinds, links=links),
        charts.stacked_bars(
            bars, kinds, links=links, width=NARROW, label_most=NARROW_LABELS
        ),
    )
    return kind_rows, kind_totals, kind_charts


def _stories_by_state(by_state, filters):
    """(label, stories, browse link) for every state and territory, and the
    bars; each bar with stories leads to browse by that state."""
    states, links = [], []
    for state in State:
        n = by_state.get((state.value,), 0)
        href = stories_address(state=state.value, year=filters.get("year")) if n else ""
        states.append((state.label, n, href))
        name = f"{state.label}: {plural(n, 'story', 'stories')}"
        links.append(charts.Link(href, name) if n else None)
    bars = [(label, n) for label, n, _ in states]
    state_charts = (
        charts.horizontal_bars(bars, links=links),
        charts.horizontal_bars(
            bars, links=links, width=NARROW, label_most=NARROW_LABELS
        ),
    )
    return states, state_charts


def _stories_by_year(by_year, filters):
    """(year, stories, browse link) oldest first, then the stories without a
    year if any (browse has no filter for them: no link), and the columns."""
    state = filters.get("state")
    years = [
        (year, n, stories_address(year=year, state=state))
        for (year,), n in sorted(
            (key, n) for key, n in by_year.items() if key[0] is not None
        )
    ]
    if no_year := by_year.get((None,), 0):
        years.append((NO_YEAR, no_year, ""))
    links = [
        charts.Link(href, f"{year}: {plural(n, 'story', 'stories')}") if href else None
        for year, n, href in years
    ]
    chart = charts.columns(
        [(NO_YEAR_SHORT if y == NO_YEAR else y, n) for y, n, _ in years], links=links
    )
    return years, chart


def filters_said(filters):
    """The filters in use in words, to follow "counting stories": "from
    Victoria in 2023", "from Victoria", "from 2023"; "" for none."""
    state, year = filters.get("state"), filters.get("year")
    if state and year:
        return f"from {State(state).label} in {year}"
    if state or year:
        return f"from {State(state).label if state else year}"
    return ""
