"""The suppression thresholds and the protection methods: one definition each, light to import
(the CLI and the settings read them at start)."""

DEFAULT_THRESHOLD = 10
# No publication may use a lower threshold: counts of one to four persons are never shown.
MINIMUM_THRESHOLD = 5

EXACT = "exact"  # exact counts; small ones hidden, with the disclosure audit
ROUNDED = "rounded"  # every count perturbed by the cell-key method (``cellkey``)
METHODS = (EXACT, ROUNDED)
