"""The Shapley value: exact over all coalitions, or estimated by permutation sampling."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import cast

import numpy as np

from .game import FloatArray, Game, popcounts


def shapley(game: Game) -> FloatArray:
    """Exact Shapley value (Shapley 1953):

    phi_i = sum over S not containing i of |S|! (n-|S|-1)! / n! * (v(S + i) - v(S)).

    With w(s) = s! (n-s-1)! / n! (and w(n) = 0) this is
    phi_i = sum over S containing i of (w(|S| - 1) + w(|S|)) v(S)  -  sum over all S of w(|S|) v(S),
    so both weightings are applied to the value vector once, and player i's sum is the upper
    half of ``c.reshape(-1, 2, 2**i)``. Time O(n 2^n) in contiguous reductions, memory O(2^n).
    """
    n = game.n
    log_fact = [math.lgamma(k + 1) for k in range(n + 1)]
    w = np.array(
        [math.exp(log_fact[s] + log_fact[n - s - 1] - log_fact[n]) for s in range(n)] + [0.0]
    )
    sizes = popcounts(n)
    weighted = w[sizes]
    weighted *= game.values
    combined = np.r_[0.0, w[:-1]][sizes]  # w(|S| - 1), nothing for the empty coalition
    combined *= game.values
    combined += weighted
    baseline = float(weighted.sum())
    del weighted, sizes
    phi = np.empty(n)
    for i in range(n):
        phi[i] = float(combined.reshape(-1, 2, 1 << i)[:, 1, :].sum()) - baseline
    return phi


@dataclass(frozen=True)
class MonteCarloShapley:
    """Sampled Shapley value with its uncertainty.

    ``half_width_95`` is the half-width of a normal-approximation 95% confidence interval per player
    (1.96 standard errors of the mean marginal contribution over sampled permutations). It holds
    for each player on its own, not for all at once: use ``simultaneous_half_widths`` for that.
    """

    players: tuple[str, ...]
    values: FloatArray
    standard_errors: FloatArray
    samples: int

    @property
    def half_width_95(self) -> FloatArray:
        return 1.96 * self.standard_errors

    @property
    def max_half_width_95(self) -> float:
        return float(np.max(self.half_width_95))

    def simultaneous_half_widths(
        self, ranges: FloatArray | None = None, *, confidence: float = 0.95
    ) -> FloatArray:
        """Half-widths within which *every* player's true value lies at once, with probability at
        least ``confidence`` (a union bound over the players: each at level (1 - confidence) / n).

        With ``ranges``, the width of the interval each player's marginal contributions lie in,
        this is the empirical Bernstein bound (Maurer and Pontil 2009, theorem 4, two-sided) on
        the antithetic pair means: a guarantee for any distribution of marginal contributions.
        Without it, a Bonferroni-corrected normal approximation, which skewed contributions (a
        rare pivotal player) can still break.
        """
        n, pairs = len(self.players), self.samples // 2
        if pairs < 2:
            return np.full(n, np.inf)
        alpha = (1.0 - confidence) / n
        if ranges is None:
            return NormalDist().inv_cdf(1.0 - alpha / 2) * self.standard_errors
        widths = np.asarray(ranges, dtype=float)
        if widths.shape != (n,) or np.any(widths < 0) or not np.all(np.isfinite(widths)):
            raise ValueError("give one finite, non-negative range per player")
        log_term = math.log(4.0 / alpha)
        variance = self.standard_errors**2 * pairs  # sample variance of the pair means
        bound = np.sqrt(2.0 * variance * log_term / pairs) + 7.0 * widths * log_term / (
            3.0 * (pairs - 1)
        )
        return cast("FloatArray", np.minimum(bound, widths))


def shapley_monte_carlo(
    players: Sequence[str],
    value_of_mask: Callable[[int], float],
    *,
    samples: int = 2000,
    seed: int = 0,
) -> MonteCarloShapley:
    """Estimate the Shapley value by sampling random orders of the players (Castro et al. 2009).

    ``value_of_mask`` gives v(S) for a coalition bitmask (Python int, any number of players). Each
    sampled order is paired with its reverse (antithetic sampling), which lowers the variance; the
    estimate stays efficient: every sampled order distributes exactly v(N).
    """
    n = len(players)
    if samples < 2:
        raise ValueError("take at least 2 samples")
    rng = np.random.default_rng(seed)
    draws = np.zeros((samples, n))
    for k in range(0, samples, 2):
        order = rng.permutation(n)
        for row, sequence in ((k, order), (k + 1, order[::-1])):
            if row >= samples:
                break
            mask, previous = 0, value_of_mask(0)
            for player in sequence:
                mask |= 1 << int(player)
                current = value_of_mask(mask)
                draws[row, player] = current - previous
                previous = current
    # Antithetic pairs are dependent: the standard error is taken over pair means.
    pairs = samples // 2
    pair_means = draws[: 2 * pairs].reshape(pairs, 2, n).mean(axis=1)
    errors = pair_means.std(axis=0, ddof=1) / math.sqrt(pairs) if pairs > 1 else np.full(n, np.inf)
    return MonteCarloShapley(tuple(players), draws.mean(axis=0), errors, samples)
