"""The suppression thresholds: one definition, light to import (the CLI reads it at start)."""

DEFAULT_THRESHOLD = 10
# No publication may use a lower threshold: counts of one to four persons are never shown.
MINIMUM_THRESHOLD = 5
