"""Qt-free peripheral drivers (card reader, receipt printer, cash drawer), one thread per device."""
