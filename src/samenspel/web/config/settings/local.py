"""Local development and demo settings: SQLite in ./var, debug pages on loopback only.

``SAMENSPEL_DEBUG=0`` turns the debug pages off, as the load benchmark does to measure the app
as it runs in production, without Django's per-query debug bookkeeping.
"""

import os

from .base import *  # noqa: F403
from .base import DATA_DIR

DEBUG = os.environ.get("SAMENSPEL_DEBUG", "1") == "1"
DATA_DIR.mkdir(parents=True, exist_ok=True)
