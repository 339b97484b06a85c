"""Local development and demo settings: SQLite in ./var, debug pages on loopback only."""

from .base import *  # noqa: F403
from .base import DATA_DIR

DEBUG = True
DATA_DIR.mkdir(parents=True, exist_ok=True)
