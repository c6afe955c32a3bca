"""The Qt user interface: the only package of GridCounter that imports PySide6."""
