"""The pure analytics core. Nothing in this package may import Django or the web layer."""
