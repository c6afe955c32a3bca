"""Handheld hand-over (issue 13): packages out, their signatures, one validator for JSON and CSV uploads."""
