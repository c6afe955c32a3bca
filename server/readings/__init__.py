"""Meter readings as pure rules (DOMAIN §9): consumption per register and the anomaly checks, no I/O."""
