"""Samenspel: a workbench for regional health-and-care partnerships."""

__version__ = "0.1.0"
