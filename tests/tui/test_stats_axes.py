"""The statistics charts' axes: the recall chart starts at the first week of reviews and ends at this week;
the heat map names the current month."""

from __future__ import annotations

from datetime import date, timedelta

from studyapp.core.stats import WeekRecall
from studyapp.tui.screens.stats import recall_weeks
from studyapp.tui.widgets.heat_map import HeatMap


def _weeks(with_reviews: int, total: int = 26) -> list[WeekRecall]:
    monday = date(2026, 11, 30) - timedelta(weeks=total - 1)
    return [
        WeekRecall(
            monday + timedelta(weeks=i),
            5 if i >= total - with_reviews else 0,
            0.8 if i >= total - with_reviews else None,
        )
        for i in range(total)
    ]


def test_one_week_of_reviews_shows_the_last_four_weeks_ending_this_week() -> None:
    shown, ticks, labels = recall_weeks(_weeks(1))
    assert len(shown) == 4 and shown[-1].start == date(2026, 11, 30)
    assert ticks[-1] == 3 and labels[-1] == "this week"


def test_six_months_of_reviews_keep_about_five_labels_the_last_this_week() -> None:
    shown, ticks, labels = recall_weeks(_weeks(26))
    assert len(shown) == 26 and 4 <= len(ticks) <= 6 and labels[-1] == "this week"
    assert labels[0] != "this week"


def test_the_heat_map_names_the_month_just_begun() -> None:
    today = date(2026, 12, 2)  # a Wednesday; December's first Monday is not yet come
    days = [(today - timedelta(days=i), 1) for i in range(181, -1, -1)]
    heat = HeatMap(days)
    header = str(heat.render()).splitlines()[0]
    assert header.rstrip().endswith("Dec") and "Jun" in header
