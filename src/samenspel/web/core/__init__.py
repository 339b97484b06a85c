"""Composition: programmes, organisations, people, groups, projects, initiatives, interactions."""
