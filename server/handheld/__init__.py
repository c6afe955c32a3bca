"""Handheld hand-over (issue 13): packages out (``package``), signatures (``signing``), one validator for JSON and CSV."""
