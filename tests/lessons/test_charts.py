"""The synthesis charts' geometry and colours, without a database."""

import pytest

from lessons import charts


def test_contrast_ratio_matches_wcag_examples():
    assert charts.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert charts.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    assert charts.contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_the_palette_and_outline_stand_out_from_the_page():
    for colour in (*charts.PALETTE, charts.OUTLINE, charts.INK):
        assert charts.contrast_ratio(colour, charts.PAPER) >= charts.TEXT_CONTRAST


def test_usable_colour_keeps_a_strong_colour_and_replaces_a_weak_or_bad_one():
    assert charts.usable_colour("#1D5A96", "#000000") == "#1d5a96"
    assert charts.usable_colour("#ffe680", "#1d5a96") == "#1d5a96"  # pale yellow
    assert charts.usable_colour("red", "#1d5a96") == "#1d5a96"
    assert charts.usable_colour("", "#1d5a96") == "#1d5a96"


@pytest.mark.parametrize("share", [i / 20 for i in range(21)])
@pytest.mark.parametrize("colour", [*charts.PALETTE, "#ffcc00", "#777777"])
def test_text_on_any_fill_reads_at_aa(colour, share):
    fill = charts.mix(colour, share)
    assert charts.contrast_ratio(charts.text_on(fill), fill) >= charts.TEXT_CONTRAST


def test_mix_goes_from_paper_to_the_colour():
    assert charts.mix("#1d5a96", 0) == "#ffffff"
    assert charts.mix("#1d5a96", 1) == "#1d5a96"
    assert charts.mix("#000000", 0.5) == "#808080"


def test_shorten_cuts_long_labels_only():
    assert charts.shorten("Plan", 10) == "Plan"
    assert charts.shorten("A very long theme name indeed", 10) == "A very lo…"
    assert len(charts.shorten("x" * 50, 10)) == 10


def test_horizontal_bars_scale_to_the_largest_value():
    chart = charts.horizontal_bars(
        [("NSW", 10), ("WA", 5), ("TAS", 0)], width=640, label_width=190
    )
    nsw, wa, tas = chart.bars
    assert nsw.width == 640 - 190 - 56
    assert wa.width == pytest.approx(nsw.width / 2)
    assert tas.width == 0
    assert [bar.x for bar in chart.bars] == [190, 190, 190]
    assert nsw.y < wa.y < tas.y
    assert wa.y - nsw.y == 30 + 8
    assert nsw.value_x == 190 + nsw.width + 6
    assert nsw.label_x < nsw.x
    assert chart.height == tas.y + tas.height + 8
    assert [(bar.label, bar.value) for bar in chart.bars] == [
        ("NSW", 10),
        ("WA", 5),
        ("TAS", 0),
    ]


def test_bars_of_nothing_have_no_length_and_no_division_by_zero():
    chart = charts.horizontal_bars([("NSW", 0), ("WA", 0)])
    assert [bar.width for bar in chart.bars] == [0, 0]
    assert charts.horizontal_bars([]).bars == []
    assert charts.columns([]).bars == []


def test_columns_stand_on_one_axis_and_widen_the_chart():
    chart = charts.columns([(2022, 4), (2023, 2), (2024, 0)], plot_height=200)
    first, second, third = chart.bars
    assert first.height == 200
    assert second.height == 100
    assert third.height == 0
    for bar in chart.bars:
        assert bar.y + bar.height == chart.axis_y
        assert bar.value_y < bar.y
        assert bar.label_y > chart.axis_y
    assert first.x < second.x < third.x
    assert first.label == "2022"
    many = charts.columns([(year, 1) for year in range(1990, 2030)], slot=56)
    assert many.width >= 40 * 56
    assert all(b.x + b.width <= many.width for b in many.bars)


def test_stacked_bars_split_each_row_by_series():
    series = [("works", "Works", "#22703a"), ("doesnt", "Doesn't", "#a3234f")]
    chart = charts.stacked_bars(
        [("Plan", {"works": 30, "doesnt": 10}), ("Learn", {"works": 5})],
        series,
        width=640,
        label_width=150,
    )
    plan, learn = chart.rows
    assert plan.total == 40 and learn.total == 5
    works, doesnt = plan.segments
    assert works.x == 150
    assert doesnt.x == pytest.approx(works.x + works.width)
    assert works.width + doesnt.width == pytest.approx(640 - 150 - 56)
    assert works.width == pytest.approx(3 * doesnt.width)
    assert [s.series for s in learn.segments] == ["works"]  # no empty parts
    assert plan.total_x == pytest.approx(doesnt.x + doesnt.width + 6)
    assert [key.label for key in chart.legend] == ["Works", "Doesn't"]
    assert chart.legend[0].x < chart.legend[1].x
    for row in chart.rows:
        for part in row.segments:
            assert charts.contrast_ratio(part.text_fill, part.fill) >= 4.5
    tiny = charts.stacked_bars([("Plan", {"works": 1000, "doesnt": 1})], series)
    assert [s.show_value for s in tiny.rows[0].segments] == [True, False]


def test_heat_grid_shades_cells_by_share_of_the_largest():
    grid = charts.heat_grid(
        ["Trust", "Data"],
        ["Plan", "Learn"],
        ["#1d5a96", "#a4461b"],
        {(0, 0): 8, (0, 1): 1, (1, 1): 4},
        label_width=200,
        cell_width=96,
        cell_height=34,
        header=34,
    )
    assert len(grid.cells) == 4
    trust_plan, trust_learn, data_plan, data_learn = grid.cells
    assert (trust_plan.x, trust_plan.y) == (200, 34)
    assert (data_learn.x, data_learn.y) == (296, 68)
    assert trust_plan.fill == "#1d5a96"  # the largest: full colour
    assert data_plan.value == 0 and data_plan.fill == "#ffffff"
    assert data_learn.fill == charts.mix("#a4461b", 0.5)
    assert trust_learn.fill == charts.mix("#a4461b", 0.25)
    assert [h.label for h in grid.columns] == ["Plan", "Learn"]
    assert [h.label for h in grid.rows] == ["Trust", "Data"]
    assert grid.width == 200 + 2 * 96 + 2
    assert grid.height == 34 + 2 * 34 + 2
    for cell in grid.cells:
        assert charts.contrast_ratio(cell.text_fill, cell.fill) >= 4.5


def test_levels():
    assert charts.level(0, 10) == 0
    assert charts.level(1, 10) == 1
    assert charts.level(5, 10) == 2
    assert charts.level(10, 10) == charts.LEVELS
    assert charts.level(3, 0) == 0
