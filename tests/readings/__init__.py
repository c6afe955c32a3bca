"""Tests of readings per register, their consumption, anomaly checks and the reading RPCs."""
