"""Tests of the prepaid card: codecs, crypto, the emulator through pcscd, the meter simulator."""
