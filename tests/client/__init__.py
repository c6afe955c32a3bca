"""Tests of the Qt-free client core."""
