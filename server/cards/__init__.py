"""Prepaid IC cards on the server: the card key service (master keys, diversification, MACs) and its tables."""
