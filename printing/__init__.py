"""Qt-free receipt printing: receipt.py (ReceiptDocument) -> escpos.py (bytes) -> printer.py (TCP)."""
