"""The screens of the main window; each is a view over RPC calls run by ``Op``."""
