"""How far a goal and an action are: the rules the regioplan states to its readers.

A goal runs in a straight line from its baseline to its target. In a year with a figure the
goal is
- **achieved** when the figure has reached the target;
- **on track** when the expected value on that line lies within the figure's 95% interval, or
  the figure is past it in the goal's direction;
- **behind** otherwise: even the interval's most favourable end falls short of the line;
- **not measurable yet** when there is no figure after the baseline year, or the latest figure
  is hidden by the disclosure protection.

An action is **late** when one of its milestones is past its date and not done, **done** when
it is marked done, and **on schedule** otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .indicators import Observation


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"


class GoalStatus(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NOT_MEASURABLE = "not_measurable"


class Reason(StrEnum):
    """Why a goal is not measurable yet."""

    NONE = ""
    NO_FIGURE = "no_figure"
    HIDDEN = "hidden"


@dataclass(frozen=True)
class Target:
    baseline_year: int
    baseline_value: float
    target_year: int
    target_value: float
    direction: Direction

    def expected(self, year: int) -> float:
        """The value on the straight line from baseline to target (the target after it)."""
        span = self.target_year - self.baseline_year
        if span <= 0 or year >= self.target_year:
            return self.target_value
        if year <= self.baseline_year:
            return self.baseline_value
        share = (year - self.baseline_year) / span
        return self.baseline_value + share * (self.target_value - self.baseline_value)

    def better(self, a: float, b: float) -> bool:
        """Whether ``a`` is at least as good as ``b`` in this goal's direction."""
        return a >= b if self.direction == Direction.UP else a <= b


@dataclass(frozen=True)
class Progress:
    status: GoalStatus
    latest: Observation | None = None
    expected: float | None = None
    reason: Reason = Reason.NONE


def assess(target: Target, figures: Iterable[Observation]) -> Progress:
    """The goal's status from its figures (any order; only years after the baseline count)."""
    after = sorted((f for f in figures if f.year > target.baseline_year), key=lambda f: f.year)
    if not after:
        return Progress(GoalStatus.NOT_MEASURABLE, reason=Reason.NO_FIGURE)
    latest = after[-1]
    if latest.value is None:
        return Progress(GoalStatus.NOT_MEASURABLE, latest, reason=Reason.HIDDEN)
    expected = target.expected(latest.year)
    if target.better(latest.value, target.target_value):
        return Progress(GoalStatus.ACHIEVED, latest, expected)
    low = latest.low if latest.low is not None else latest.value
    high = latest.high if latest.high is not None else latest.value
    best = high if target.direction == Direction.UP else low
    status = GoalStatus.ON_TRACK if target.better(best, expected) else GoalStatus.BEHIND
    return Progress(status, latest, expected)


class ActionStatus(StrEnum):
    DONE = "done"
    LATE = "late"
    ON_SCHEDULE = "on_schedule"


@dataclass(frozen=True)
class Step:
    """A milestone as the rule sees it: its date and whether it is done."""

    due: dt.date
    done: bool


def action_status(steps: Sequence[Step], *, done: bool, today: dt.date) -> ActionStatus:
    """Done when marked done; late when a milestone is past its date and not done."""
    if done:
        return ActionStatus.DONE
    if any(not s.done and s.due < today for s in steps):
        return ActionStatus.LATE
    return ActionStatus.ON_SCHEDULE
