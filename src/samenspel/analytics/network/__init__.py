"""Collaboration networks: structure, cross-group contact, brokerage, scores, change, advice.

Pure Python (NumPy, igraph); no Django.
"""

from .brokerage import BROKERAGE_ROLES, brokerage
from .change import WaveChange, compare_waves
from .groups import blau_index, contact_matrix, ei_index
from .metrics import (
    Centrality,
    centrality,
    degree_centralisation,
    density,
)
from .model import Network, NetworkError, Tie
from .scores import MIN_RESPONDENTS, Rating, Score, scores

__all__ = [
    "BROKERAGE_ROLES",
    "MIN_RESPONDENTS",
    "Centrality",
    "Network",
    "NetworkError",
    "Rating",
    "Score",
    "Tie",
    "WaveChange",
    "blau_index",
    "brokerage",
    "centrality",
    "compare_waves",
    "contact_matrix",
    "degree_centralisation",
    "density",
    "ei_index",
    "scores",
]
