"""A transferable-utility game stored as one value per coalition, indexed by bitmask."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

MAX_EXACT_PLAYERS = 22
"""Largest game for the nucleolus, the least core and the core check (2**22 coalitions)."""

MAX_SHAPLEY_PLAYERS = 25
"""Largest game held in full, for its exact Shapley value (2**25 coalitions, 256 MiB of values,
under 1 GiB while it is computed); larger ones need sampling."""

FloatArray = NDArray[np.float64]


class GameError(ValueError):
    """The game is not well defined (unknown player, missing coalition, too many players)."""


def popcounts(n: int) -> NDArray[np.int8]:
    """Size of every coalition, indexed by bitmask (one byte each: n is at most 25)."""
    sizes = np.zeros(1 << n, dtype=np.int8)
    for i in range(n):
        sizes[1 << i : 1 << (i + 1)] = sizes[: 1 << i] + 1
    return sizes


def coalition_sums(x: FloatArray) -> FloatArray:
    """x(S) = sum of x_i over i in S, for every coalition S (bitmask order)."""
    n = len(x)
    sums = np.zeros(1 << n)
    for i in range(n):
        sums[1 << i : 1 << (i + 1)] = sums[: 1 << i] + x[i]
    return sums


@dataclass(frozen=True)
class Game:
    """Players and v(S) for every coalition S; ``values[mask]`` has bit i set when i is in S."""

    players: tuple[str, ...]
    values: FloatArray

    def __post_init__(self) -> None:
        n = len(self.players)
        if n == 0:
            raise GameError("a game needs at least one player")
        if len(set(self.players)) != n:
            raise GameError("player names must be unique")
        if n > MAX_SHAPLEY_PLAYERS:
            raise GameError(
                f"{n} players is more than a game held in full supports ({MAX_SHAPLEY_PLAYERS}); "
                "use Monte-Carlo sampling for the Shapley value"
            )
        if self.values.shape != (1 << n,):
            raise GameError(f"expected {1 << n} coalition values, got {self.values.shape}")
        if not np.all(np.isfinite(self.values)):
            raise GameError("every coalition value must be a finite number")
        if self.values[0] != 0:
            raise GameError("the empty coalition must have value 0")

    @property
    def n(self) -> int:
        return len(self.players)

    @property
    def grand(self) -> int:
        return (1 << self.n) - 1

    @property
    def grand_value(self) -> float:
        return float(self.values[self.grand])

    def mask(self, coalition: Iterable[str]) -> int:
        index = {p: i for i, p in enumerate(self.players)}
        mask = 0
        for name in coalition:
            if name not in index:
                raise GameError(f"unknown player {name!r}")
            mask |= 1 << index[name]
        return mask

    def members(self, mask: int) -> tuple[str, ...]:
        return tuple(p for i, p in enumerate(self.players) if mask >> i & 1)

    def value(self, coalition: Iterable[str]) -> float:
        return float(self.values[self.mask(coalition)])

    def excesses(self, x: FloatArray) -> FloatArray:
        """e(S, x) = v(S) - x(S) for every coalition: how much S would gain by leaving."""
        return self.values - coalition_sums(np.asarray(x, dtype=float))

    @classmethod
    def from_function(
        cls, players: Iterable[str], value: Callable[[frozenset[str]], float]
    ) -> Game:
        names = tuple(players)
        if len(names) > MAX_SHAPLEY_PLAYERS:
            raise GameError(
                f"{len(names)} players is more than a game held in full supports "
                f"({MAX_SHAPLEY_PLAYERS}); use Monte-Carlo sampling for the Shapley value"
            )
        values = np.zeros(1 << len(names))
        for mask in range(1, 1 << len(names)):
            values[mask] = float(value(frozenset(p for i, p in enumerate(names) if mask >> i & 1)))
        return cls(names, values)

    @classmethod
    def from_coalitions(
        cls, players: Iterable[str], values: Mapping[frozenset[str], float]
    ) -> Game:
        """Build from explicit values; every non-empty coalition must be given."""
        names = tuple(players)
        known = set(names)
        for coalition in values:
            unknown = sorted(set(coalition) - known)
            if unknown:
                raise GameError(f"coalition {sorted(coalition)} names unknown player(s) {unknown}")
        missing: list[str] = []

        def lookup(coalition: frozenset[str]) -> float:
            if coalition not in values:
                missing.append("{" + ", ".join(p for p in names if p in coalition) + "}")
                return 0.0
            return values[coalition]

        if len(names) > MAX_SHAPLEY_PLAYERS:
            raise GameError(
                f"{len(names)} players is more than a game held in full supports "
                f"({MAX_SHAPLEY_PLAYERS})"
            )
        game = cls.from_function(names, lookup)
        if missing:
            shown = ", ".join(missing[:5]) + (
                f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            )
            raise GameError(
                f"the coalition function is not defined for {len(missing)} coalition(s): {shown}"
            )
        return game
