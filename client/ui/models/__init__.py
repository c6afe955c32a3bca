"""Qt item models (``QAbstractTableModel`` subclasses) the screens show in table views."""
