"""Qt-free PDF documents (reportlab): fonts.py (the embedded CJK font), settlement.py (日结单), bill_notice.py
(电费通知单)."""
