"""Installer helpers run by installer/*.sh (the demo step's card list)."""
