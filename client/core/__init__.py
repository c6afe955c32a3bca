"""Qt-free client core: transport, secrets, configuration and the signed-in session."""
