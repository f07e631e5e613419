"""Docks and windows that report on the desk: agreement and the dashboard."""
