"""The SVG chart geometry (core/charts.py)."""

import pytest

from core.charts import (
    BAR_LABEL,
    BAR_ROW,
    COLUMN_HEIGHT,
    COLUMN_MARGIN,
    Series,
    bar_chart,
    column_chart,
    nice_step,
)

SIGNED, IN_FORCE = Series("signed", "Signed"), Series("in_force", "In force")
BASELINE = COLUMN_HEIGHT - COLUMN_MARGIN["bottom"]
PLOT_HEIGHT = BASELINE - COLUMN_MARGIN["top"]


@pytest.mark.parametrize(
    ("maximum", "step"), [(0, 1), (3, 1), (8, 2), (17, 5), (40, 10), (120, 50), (999, 500)]
)
def test_nice_step_is_a_round_number_giving_about_four_grid_lines(maximum, step):
    assert nice_step(maximum) == step


def test_columns_stack_their_segments_from_the_baseline():
    chart = column_chart(
        ["2015"], [IN_FORCE, SIGNED], {("2015", "in_force"): 2, ("2015", "signed"): 2}
    )

    lower, upper = chart.columns[0].segments
    assert lower.series == IN_FORCE
    assert lower.y + lower.height == BASELINE
    assert upper.y + upper.height == lower.y


def test_column_heights_are_proportional_to_the_values():
    chart = column_chart(["2015", "2016"], [SIGNED], {("2015", "signed"): 4, ("2016", "signed"): 2})

    first, second = (column.segments[0] for column in chart.columns)
    assert first.height == pytest.approx(2 * second.height, abs=0.1)
    assert first.height == PLOT_HEIGHT  # 4 is the top of the axis (step 1)


def test_empty_categories_get_a_column_without_segments():
    chart = column_chart(
        ["2015", "2016", "2017"], [SIGNED], {("2015", "signed"): 1, ("2017", "signed"): 1}
    )

    assert [column.total for column in chart.columns] == [1, 0, 1]
    assert chart.columns[1].segments == ()
    assert chart.columns[1].values == (0,)


def test_ticks_run_from_zero_to_the_rounded_maximum():
    chart = column_chart(["2015"], [SIGNED], {("2015", "signed"): 7})

    assert [tick.value for tick in chart.ticks] == [0, 2, 4, 6, 8]
    assert chart.ticks[0].y == BASELINE


def test_many_columns_label_every_nth_year_so_labels_never_overlap():
    years = [str(year) for year in range(1970, 2030)]
    chart = column_chart(years, [SIGNED], {(year, "signed"): 1 for year in years})

    slot = chart.columns[1].label_x - chart.columns[0].label_x
    assert slot * chart.label_every >= 36


def test_summary_of_a_column_chart_gives_total_first_and_last():
    chart = column_chart(["2015", "2016"], [SIGNED], {("2015", "signed"): 1, ("2016", "signed"): 2})

    assert (chart.total, chart.first, chart.last) == (3, "2015", "2016")


def test_bars_are_proportional_to_the_largest_value_and_one_row_each():
    chart = bar_chart([("Germany", 10, "/de/"), ("Japan", 5, "/jp/")])

    germany, japan = chart.bars
    assert germany.width == pytest.approx(2 * japan.width, abs=0.1)
    assert japan.y - germany.y == BAR_ROW
    assert chart.height == 2 * BAR_ROW
    assert germany.width <= chart.width - BAR_LABEL
