"""The synthesis charts' geometry, text and colours, without a database."""

import pytest

from lessons import chart_text, charts
from lessons.chart_colours import (
    INK,
    KIND_SWATCHES,
    OUTLINE,
    PALETTE,
    PAPER,
    TEXT_CONTRAST,
    Swatch,
    contrast_ratio,
    luminance,
    mix,
    text_on,
    usable_colour,
)

LONG_THEME = "Being honest about what didn't work, and what we did about it"


def test_contrast_ratio_matches_wcag_examples():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_the_palette_and_outline_stand_out_from_the_page():
    for colour in (*PALETTE, OUTLINE, INK):
        assert contrast_ratio(colour, PAPER) >= TEXT_CONTRAST


def test_usable_colour_keeps_a_strong_colour_and_replaces_a_weak_or_bad_one():
    assert usable_colour("#1D5A96", "#000000") == "#1d5a96"
    assert usable_colour("#ffe680", "#1d5a96") == "#1d5a96"  # pale yellow
    assert usable_colour("red", "#1d5a96") == "#1d5a96"
    assert usable_colour("", "#1d5a96") == "#1d5a96"


@pytest.mark.parametrize("share", [i / 20 for i in range(21)])
@pytest.mark.parametrize("colour", [*PALETTE, "#ffcc00", "#777777"])
def test_text_on_any_fill_reads_at_aa(colour, share):
    fill = mix(colour, share)
    assert contrast_ratio(text_on(fill), fill) >= TEXT_CONTRAST


def test_mix_goes_from_paper_to_the_colour():
    assert mix("#1d5a96", 0) == "#ffffff"
    assert mix("#1d5a96", 1) == "#1d5a96"
    assert mix("#000000", 0.5) == "#808080"


# The kinds' swatches


def _hue_and_saturation(colour):
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    top, bottom = max(red, green, blue), min(red, green, blue)
    return top - bottom  # chroma: 0 for a grey


def test_each_kind_has_its_own_pattern_and_its_own_shade():
    swatches = list(KIND_SWATCHES.values())
    assert {s.pattern for s in swatches} == {"solid", "stripes", "dots"}
    grounds = [luminance(s.ground) for s in swatches]
    assert len(set(grounds)) == 3
    assert set(KIND_SWATCHES) == {"works", "doesnt_work", "enabling"}


@pytest.mark.parametrize("swatch", KIND_SWATCHES.values(), ids=str)
def test_kind_swatches_stand_out_and_carry_readable_numbers(swatch):
    for colour in swatch.colours:
        assert contrast_ratio(colour, PAPER) >= 3  # WCAG 1.4.11 against the page
        assert contrast_ratio(swatch.text, colour) >= TEXT_CONTRAST  # 1.4.3


@pytest.mark.parametrize("swatch", KIND_SWATCHES.values(), ids=str)
def test_no_kind_is_painted_in_a_stream_colour(swatch):
    for colour in swatch.colours:
        assert colour not in PALETTE
        # the streams are strong hues; the kinds are greys (near-zero chroma)
        assert _hue_and_saturation(colour) < 0.12
    for stream in PALETTE:
        assert _hue_and_saturation(stream) > 0.3


def test_a_patterned_swatch_is_painted_by_its_pattern():
    solid = Swatch("works", INK)
    dots = Swatch("enabling", OUTLINE, INK, "dots")
    assert solid.paint == INK
    assert dots.paint == "url(#swatch-enabling)"
    assert dots.colours == (OUTLINE, INK)


# Text: never cut short


def test_text_width_errs_wide_of_what_chromium_draws():
    # Chromium's own measures at 13px in DejaVu Sans, the widest common face
    drawn = {
        "Australian Capital Territory": 173.5,
        "Being honest about what didn't work": 239.9,
        "Communicate": 90.7,
        "Enabling condition": 120.6,
        "2024": 33.1,
    }
    for text, width in drawn.items():
        estimate = chart_text.text_width(text)
        assert width <= estimate <= width * 1.15, text


def test_wrap_breaks_between_words_and_keeps_every_word():
    lines = chart_text.wrap(LONG_THEME, 150)
    assert len(lines) > 1
    assert " ".join(lines) == LONG_THEME
    assert all(chart_text.text_width(line) <= 150 for line in lines)
    assert chart_text.wrap("Plan", 150) == ["Plan"]
    assert chart_text.wrap("", 150) == [""]


def test_a_word_wider_than_the_room_is_broken_inside_it():
    lines = chart_text.wrap("Supercalifragilistic", 40)
    assert "".join(lines) == "Supercalifragilistic"
    assert all(chart_text.text_width(line) <= 40 for line in lines)


def test_label_lines_are_centred_on_the_label():
    one = chart_text.label_lines("Plan", 100)
    assert [(line.text, line.dy) for line in one] == [("Plan", 0)]
    three = chart_text.label_lines("aaaa bbbb cccc", 40)
    assert [line.dy for line in three] == [-chart_text.LINE, chart_text.LINE, 15]


def test_label_room_fits_the_widest_label_within_limits():
    assert chart_text.label_room(["Plan"], least=80, most=200) == 80
    wide = chart_text.label_room(["Australian Capital Territory"], least=80, most=240)
    assert wide >= chart_text.text_width("Australian Capital Territory")
    assert chart_text.label_room([LONG_THEME], least=80, most=200) == 200


def _whole(lines):
    return " ".join(line.text for line in lines)


# The charts


def test_horizontal_bars_scale_to_the_largest_value_and_keep_whole_labels():
    chart = charts.horizontal_bars(
        [("Australian Capital Territory", 10), ("WA", 5), ("TAS", 0)], width=640
    )
    act, wa, tas = chart.bars
    room = chart.axis_x
    assert room >= chart_text.text_width("Australian Capital Territory")
    assert act.width == 640 - room - 56
    assert wa.width == pytest.approx(act.width / 2)
    assert tas.width == 0
    assert [bar.x for bar in chart.bars] == [room] * 3
    assert act.y < wa.y < tas.y
    assert wa.y - act.y == 30 + 8
    assert act.value_x == room + act.width + 6
    assert act.label_x < act.x
    assert chart.height == tas.y + tas.height + 8
    assert [(_whole(bar.lines), bar.value) for bar in chart.bars] == [
        ("Australian Capital Territory", 10),
        ("WA", 5),
        ("TAS", 0),
    ]


def test_a_label_too_long_for_its_column_wraps_and_its_row_grows():
    chart = charts.horizontal_bars([(LONG_THEME, 3), ("Short", 1)])
    long, short = chart.bars
    assert len(long.lines) > 1
    assert _whole(long.lines) == LONG_THEME
    assert long.height > short.height == 30
    assert short.y == long.y + long.height + 8


def test_bars_carry_their_links():
    link = charts.Link("/stories/?state=WA", "Western Australia: 2 stories")
    chart = charts.horizontal_bars([("WA", 2), ("TAS", 0)], links=[link, None])
    assert [bar.link for bar in chart.bars] == [link, None]


def test_bars_of_nothing_have_no_length_and_no_division_by_zero():
    chart = charts.horizontal_bars([("NSW", 0), ("WA", 0)])
    assert [bar.width for bar in chart.bars] == [0, 0]
    assert charts.horizontal_bars([]).bars == []
    assert charts.columns([]).bars == []


def test_columns_stand_on_one_axis_and_widen_the_chart():
    link = charts.Link("/stories/?year=2022", "2022: 4 stories")
    chart = charts.columns(
        [(2022, 4), (2023, 2), (2024, 0)], links=[link, None, None], plot_height=200
    )
    first, second, third = chart.bars
    assert first.height == 200
    assert second.height == 100
    assert third.height == 0
    for bar in chart.bars:
        assert bar.y + bar.height == chart.axis_y
        assert bar.value_y < bar.y
        assert bar.label_y > chart.axis_y
        assert bar.label_y + 4 < chart.height
    assert first.x < second.x < third.x
    assert _whole(first.lines) == "2022"
    assert first.link == link and second.link is None
    many = charts.columns([(year, 1) for year in range(1990, 2030)], slot=56)
    assert many.width >= 40 * 56
    assert all(b.x + b.width <= many.width for b in many.bars)


def test_a_column_label_wider_than_its_slot_wraps_below_the_axis():
    chart = charts.columns([("Year not given", 2)], slot=56)
    (bar,) = chart.bars
    assert [line.text for line in bar.lines] == ["Year", "not", "given"]
    assert [line.dy for line in bar.lines] == [0, chart_text.LINE, chart_text.LINE]
    assert bar.label_y + 2 * chart_text.LINE < chart.height


SERIES = [
    ("works", "Works", KIND_SWATCHES["works"]),
    ("doesnt", "Doesn't", KIND_SWATCHES["doesnt_work"]),
]


def test_stacked_bars_split_each_row_by_series():
    link = charts.Link("/synthesis/lessons/?stream=plan&kind=works", "Plan, Works")
    chart = charts.stacked_bars(
        [("Plan", {"works": 30, "doesnt": 10}), ("Learn", {"works": 5})],
        SERIES,
        links={(0, "works"): link},
        width=640,
    )
    plan, learn = chart.rows
    room = chart.axis_x
    assert plan.total == 40 and learn.total == 5
    works, doesnt = plan.segments
    assert works.x == room
    assert doesnt.x == pytest.approx(works.x + works.width)
    assert works.width + doesnt.width == pytest.approx(640 - room - 56)
    assert works.width == pytest.approx(3 * doesnt.width)
    assert [s.series for s in learn.segments] == ["works"]  # no empty parts
    assert plan.total_x == pytest.approx(doesnt.x + doesnt.width + 6)
    assert works.link == link and doesnt.link is None
    assert works.fill == KIND_SWATCHES["works"].paint
    assert doesnt.fill == "url(#swatch-doesnt_work)"
    assert [key.label for key in chart.legend] == ["Works", "Doesn't"]
    assert chart.legend[0].x < chart.legend[1].x
    assert chart.rows[0].y > chart.legend_bottom
    for row in chart.rows:
        for part in row.segments:
            swatch = KIND_SWATCHES["works" if part.series == "works" else "doesnt_work"]
            for colour in swatch.colours:
                assert contrast_ratio(part.text_fill, colour) >= 4.5
    tiny = charts.stacked_bars([("Plan", {"works": 1000, "doesnt": 1})], SERIES)
    assert [s.show_value for s in tiny.rows[0].segments] == [True, False]


def test_a_legend_too_wide_for_one_row_takes_two():
    series = [
        (f"k{i}", f"A long name for kind {i}", KIND_SWATCHES["works"]) for i in range(4)
    ]
    chart = charts.stacked_bars([("Plan", {"k0": 1})], series, width=640)
    assert len({key.y for key in chart.legend}) > 1
    assert all(
        key.text_x + chart_text.text_width(key.label) <= 640 for key in chart.legend
    )


def test_heat_grid_shades_cells_by_share_of_the_largest():
    link = charts.Link("/synthesis/lessons/?stream=plan&theme=trust", "8 lessons")
    grid = charts.heat_grid(
        ["Trust", "Data"],
        ["Plan", "Learn"],
        ["#1d5a96", "#a4461b"],
        {(0, 0): 8, (0, 1): 1, (1, 1): 4},
        links={(0, 0): link},
        cell_width=96,
        cell_height=34,
    )
    room = grid.width - 2 * 96 - 2
    assert len(grid.cells) == 4
    trust_plan, trust_learn, data_plan, data_learn = grid.cells
    header = trust_plan.y
    assert (trust_plan.x, data_learn.x) == (room, room + 96)
    assert data_learn.y == header + 34
    assert trust_plan.fill == "#1d5a96"  # the largest: full colour
    assert data_plan.value == 0 and data_plan.fill == "#ffffff"
    assert data_learn.fill == mix("#a4461b", 0.5)
    assert trust_learn.fill == mix("#a4461b", 0.25)
    assert trust_plan.link == link and trust_learn.link is None
    assert [h.label for h in grid.columns] == ["Plan", "Learn"]
    assert [h.label for h in grid.rows] == ["Trust", "Data"]
    assert grid.height == header + 2 * 34 + 2
    for cell in grid.cells:
        assert contrast_ratio(cell.text_fill, cell.fill) >= 4.5


def test_heat_grid_columns_fit_their_longest_word_and_rows_their_labels():
    grid = charts.heat_grid(
        [LONG_THEME, "Trust"],
        ["Communicate", "Monitor and evaluate together"],
        ["#1d5a96", "#a4461b"],
        {(0, 0): 1},
        cell_width=60,
    )
    assert grid.cell_width >= chart_text.text_width("Communicate") + 8
    for heading in grid.columns:
        assert len(heading.lines) >= 1
        for line in heading.lines:
            assert chart_text.text_width(line.text) <= grid.cell_width - 8
    long, short = grid.rows
    assert _whole(long.lines) == LONG_THEME
    tall = [cell for cell in grid.cells if cell.y == grid.cells[0].y]
    assert tall[0].height > 34
    assert grid.cells[2].y == grid.cells[0].y + grid.cells[0].height
    assert all(cell.y >= max(h.y for h in grid.columns) for cell in grid.cells)


def test_levels():
    assert charts.level(0, 10) == 0
    assert charts.level(1, 10) == 1
    assert charts.level(5, 10) == 2
    assert charts.level(10, 10) == charts.LEVELS
    assert charts.level(3, 0) == 0


def test_a_bar_chart_drawn_for_a_phone_keeps_room_for_its_bars():
    states = [("Australian Capital Territory", 3), ("Northern Territory", 12)]
    chart = charts.horizontal_bars(states, width=343, label_most=120)
    assert chart.width == 343 and chart.axis_x <= 120
    longest = max(bar.width for bar in chart.bars)
    assert longest >= 160  # the bars, not the labels, take most of the width
    assert [" ".join(line.text for line in bar.lines) for bar in chart.bars] == [
        label for label, _ in states
    ]  # every word kept, wrapped
    assert max(bar.value_x for bar in chart.bars) + 20 <= 343
