"""Cooperative games: coalition values, Shapley value, nucleolus, core, allocation rules, transfers.

Pure Python and NumPy/SciPy; no Django.
"""

from .allocation import RULES, Allocation, allocate
from .core import CoreCheck, core_check, least_core
from .game import MAX_EXACT_PLAYERS, MAX_SHAPLEY_PLAYERS, Game, GameError
from .nucleolus import NucleolusResult, nucleolus
from .shapley import MonteCarloShapley, shapley, shapley_monte_carlo
from .transfers import Transfer, settle

__all__ = [
    "MAX_EXACT_PLAYERS",
    "MAX_SHAPLEY_PLAYERS",
    "RULES",
    "Allocation",
    "CoreCheck",
    "Game",
    "GameError",
    "MonteCarloShapley",
    "NucleolusResult",
    "Transfer",
    "allocate",
    "core_check",
    "least_core",
    "nucleolus",
    "settle",
    "shapley",
    "shapley_monte_carlo",
]
