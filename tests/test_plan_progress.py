"""The regioplan's rules, by hand: where a goal should be, whether it is there, and how the
regiobeeld's figures and intervals are read for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samenspel.analytics.plan.indicators import INDICATORS, Observation, observations
from samenspel.analytics.plan.progress import (
    ActionStatus,
    Direction,
    GoalStatus,
    Reason,
    Step,
    Target,
    action_status,
    assess,
)
from samenspel.analytics.population.contract import CONDITIONS, EVENT_KINDS
from samenspel.analytics.population.regiobeeld import SEGMENTS
from samenspel.analytics.population.standardise import poisson_exact, wilson

LONELY = Target(2020, 48.0, 2026, 40.0, Direction.DOWN)  # 48% → 40%: 4/3 point a year
SCREENED = Target(2024, 10.0, 2028, 80.0, Direction.UP)  # 10% → 80%: 17.5 points a year


def test_the_line_runs_straight_from_baseline_to_target() -> None:
    assert LONELY.expected(2020) == 48
    assert LONELY.expected(2022) == pytest.approx(48 - 2 * 8 / 6)  # 45.33
    assert LONELY.expected(2026) == 40
    assert LONELY.expected(2030) == 40  # past the target year the target stands
    assert SCREENED.expected(2025) == pytest.approx(27.5)


def test_on_track_behind_and_achieved_by_the_interval() -> None:
    # 46 (44–48) in 2022: the line's 45.33 lies within the interval
    assert assess(LONELY, [Observation(2022, 46, 44, 48)]).status == GoalStatus.ON_TRACK
    # 47 (46–48): even the interval's best end misses 45.33
    behind = assess(LONELY, [Observation(2022, 47, 46, 48)])
    assert behind.status == GoalStatus.BEHIND
    assert behind.expected == pytest.approx(45.3333, abs=1e-3)
    # 22 (19–25) in 2025 on a line at 27.5: behind; 26 (23–29): on track
    assert assess(SCREENED, [Observation(2025, 22, 19, 25)]).status == GoalStatus.BEHIND
    assert assess(SCREENED, [Observation(2025, 26, 23, 29)]).status == GoalStatus.ON_TRACK
    # past the target in the goal's direction
    assert assess(LONELY, [Observation(2023, 39.5, 38, 41)]).status == GoalStatus.ACHIEVED
    # without an interval the figure itself is judged
    assert assess(SCREENED, [Observation(2025, 27.4)]).status == GoalStatus.BEHIND
    assert assess(SCREENED, [Observation(2025, 27.5)]).status == GoalStatus.ON_TRACK


def test_only_the_latest_figure_after_the_baseline_counts() -> None:
    figures = [Observation(2023, 30, 28, 32), Observation(2020, 10), Observation(2021, 47, 46, 48)]
    # 2023's 30 is far ahead of the line's 44
    assert assess(LONELY, figures).latest == Observation(2023, 30, 28, 32)
    nothing_yet = assess(LONELY, [Observation(2020, 48, 47, 49)])
    assert (nothing_yet.status, nothing_yet.reason) == (
        GoalStatus.NOT_MEASURABLE,
        Reason.NO_FIGURE,
    )


def test_a_hidden_latest_figure_is_not_measurable_and_says_why() -> None:
    progress = assess(LONELY, [Observation(2022, 46, 44, 48), Observation(2023, None)])
    assert (progress.status, progress.reason) == (GoalStatus.NOT_MEASURABLE, Reason.HIDDEN)


RANK = {GoalStatus.BEHIND: 0, GoalStatus.ON_TRACK: 1, GoalStatus.ACHIEVED: 2}


@given(
    value=st.floats(0, 100),
    better=st.floats(0, 50),
    width=st.floats(0, 10),
    year=st.integers(2025, 2030),
)
def test_a_better_figure_never_gives_a_worse_status(
    value: float, better: float, width: float, year: int
) -> None:
    """Moving a figure (and its interval) in the goal's direction never lowers its status."""
    low = assess(SCREENED, [Observation(year, value, value - width, value + width)])
    up = value + better
    high = assess(SCREENED, [Observation(year, up, up - width, up + width)])
    assert RANK[high.status] >= RANK[low.status]


def test_an_action_is_late_when_a_milestone_passed_undone() -> None:
    today = dt.date(2026, 12, 6)
    past, future = dt.date(2026, 11, 1), dt.date(2027, 1, 1)
    assert action_status([Step(past, True), Step(future, False)], done=False, today=today) == (
        ActionStatus.ON_SCHEDULE
    )
    assert action_status([Step(past, False)], done=False, today=today) == ActionStatus.LATE
    assert action_status([Step(today, False)], done=False, today=today) == ActionStatus.ON_SCHEDULE
    assert action_status([Step(past, False)], done=True, today=today) == ActionStatus.DONE


def _release() -> dict[str, object]:
    """A published regiobeeld of two years; 2023 hides one cost stream."""
    total = "total"
    rows: dict[str, list[dict[str, object]]] = {
        "population": [
            {"year": 2022, "municipality": total, "persons": 10000.0},
            {"year": 2023, "municipality": total, "persons": 10100.0},
            {"year": 2022, "municipality": "GM0001", "persons": 4000.0},
        ],
        "multimorbidity": [
            {"year": 2022, "municipality": total, "persons": 1300.0, "percent": 13.0},
            {"year": 2023, "municipality": total, "persons": None, "percent": None},
            {"year": 2022, "municipality": "GM0001", "persons": 900.0, "percent": 22.5},
        ],
        "care_use": [
            {"year": 2022, "municipality": total, "kind": "ed_visit", "events": 1500.0,
             "per_1000": 150.0},
        ],
        "costs": [
            {"year": 2022, "municipality": total, "stream": "Zvw", "per_capita": 2000.0},
            {"year": 2022, "municipality": total, "stream": "Wmo", "per_capita": 300.0},
            {"year": 2023, "municipality": total, "stream": "Zvw", "per_capita": 2100.0},
            {"year": 2023, "municipality": total, "stream": "Wmo", "per_capita": None},
        ],
    }  # fmt: skip
    return {"years": [2023, 2022], **rows}


def test_figures_are_read_for_the_region_with_their_intervals() -> None:
    release = _release()
    first, second = observations(release, "multimorbidity_percent")
    expected = wilson(1300, 10000)
    assert (first.year, first.value) == (2022, 13.0)  # the region's row, not GM0001's
    assert first.low == pytest.approx(expected.low * 100)
    assert first.high == pytest.approx(expected.high * 100)
    assert second == Observation(2023, None)  # hidden, never guessed
    [ed, _] = observations(release, "care_use:ed_visit")
    limits = poisson_exact(1500)
    assert ed.value == 150 and ed.low == pytest.approx(limits.low * 1000 / 10000)
    assert ed.high == pytest.approx(limits.high * 1000 / 10000)
    costs = observations(release, "cost_per_capita")
    assert costs == [Observation(2022, 2300.0), Observation(2023, None)]  # one stream hidden
    assert observations(None, "multimorbidity_percent") == []


def test_the_catalogue_covers_every_condition_kind_and_segment() -> None:
    codes = {(i.group, i.code) for i in INDICATORS.values()}
    assert {("prevalence", c) for c in CONDITIONS} <= codes
    assert {("care_use", k) for k in EVENT_KINDS} <= codes
    assert {("segments", s) for s in SEGMENTS} <= codes


def test_the_open_data_give_the_region_cost_index_with_its_interval() -> None:
    from types import SimpleNamespace

    from samenspel.analytics.plan.indicators import comparison_observations
    from samenspel.analytics.population.comparison import Comparison
    from samenspel.analytics.population.standardise import Interval

    def year(y: int, actual: float, low: float, high: float, region: bool = True) -> Any:
        total = Comparison(actual, 100.0, 1000.0, Interval(low, high))
        nursing = Comparison(actual / 2, 40.0, 1000.0, None)
        area = SimpleNamespace(total=total, categories={"nursing": nursing})
        return SimpleNamespace(file=SimpleNamespace(year=y), region=area if region else None)

    results = [year(2023, 104, 0.99, 1.09), year(2021, 110, 1.05, 1.15), year(2022, 1, 0, 0, False)]
    # oldest first; a year without the region's figure is left out
    assert comparison_observations(results, "open_data:total") == [
        Observation(2021, pytest.approx(110), pytest.approx(105), pytest.approx(115)),
        Observation(2023, pytest.approx(104), pytest.approx(99), pytest.approx(109)),
    ]
    assert comparison_observations(results, "open_data:nursing")[0] == Observation(2021, 137.5)
    assert comparison_observations(results, "multimorbidity_percent") == []
    assert observations({"years": [2021]}, "open_data:total") == []
