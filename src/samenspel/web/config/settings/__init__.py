"""Settings modules: base, local (default for the demo), test and production."""
