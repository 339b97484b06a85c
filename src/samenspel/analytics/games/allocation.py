"""Allocation rules for the gains of cooperation, each with its stability diagnosis."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

import numpy as np

from .core import CoreCheck, core_check
from .game import MAX_EXACT_PLAYERS, FloatArray, Game, GameError
from .nucleolus import nucleolus
from .shapley import shapley

RULES = ("proportional_investment", "proportional_savings", "equal", "shapley", "nucleolus")


@dataclass(frozen=True)
class Allocation:
    rule: str
    players: tuple[str, ...]
    shares: FloatArray
    core: CoreCheck | None
    """None when the game is too large to check every coalition."""
    error_bound: float | None = None
    """For a sampled Shapley value: every party's true share lies within this distance of its
    estimate, all parties at once, with probability at least 95%. None for an exact rule."""

    def as_dict(self) -> dict[str, float]:
        return {p: float(s) for p, s in zip(self.players, self.shares, strict=True)}


def _proportional(game: Game, weights: Mapping[str, float] | None, what: str) -> FloatArray:
    if weights is None:
        raise GameError(f"the rule proportional to {what} needs the {what} of every party")
    missing = [p for p in game.players if p not in weights]
    if missing:
        raise GameError(f"no {what} given for {', '.join(missing)}")
    w = np.array([float(weights[p]) for p in game.players])
    if np.any(w < 0):
        raise GameError(f"{what} cannot be negative")
    if w.sum() <= 0:
        raise GameError(f"the total {what} is zero, so no proportional split exists")
    return cast("FloatArray", game.grand_value * w / w.sum())


def allocate(
    game: Game,
    rule: str,
    *,
    investments: Mapping[str, float] | None = None,
    savings: Mapping[str, float] | None = None,
) -> Allocation:
    """Divide v(N) by ``rule`` (one of RULES) and check the result against the core."""
    if rule == "equal":
        shares = np.full(game.n, game.grand_value / game.n)
    elif rule == "shapley":
        shares = shapley(game)
    elif rule == "nucleolus":
        shares = nucleolus(game).x
    elif rule == "proportional_investment":
        shares = _proportional(game, investments, "investment")
    elif rule == "proportional_savings":
        shares = _proportional(game, savings, "savings")
    else:
        raise GameError(f"unknown rule {rule!r}; choose one of {', '.join(RULES)}")
    checked = core_check(game, shares) if game.n <= MAX_EXACT_PLAYERS else None
    return Allocation(rule, game.players, shares, checked)
