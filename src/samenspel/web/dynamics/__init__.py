"""Dynamics: survey waves, the collaboration network, its metrics and advice."""
