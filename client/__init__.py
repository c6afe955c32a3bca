"""The GridCounter counter client: a Qt shell (``client.ui``) over a Qt-free core (``client.core``)."""
