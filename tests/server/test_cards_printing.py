"""Card receipts as the server books them, printed: the ESC/POS bytes of a sale and of a replacement decoded (业务类别,
卡号, 补卡费, 购电次数, 写卡金额, 表号), and the 日结单 PDF with its 购电 and 业务费 lines."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from client.core.receipts import to_document
from printing.escpos import decode_text, render
from printing.pdf.settlement import render_settlement_pdf
from shared_models.methods.payments import PaymentReceipt
from shared_models.methods.settlement import SettlementReport
from tests.rpc_helpers import Caller
from tests.server.card_helpers import (
    METER_A,
    PREPAID_A,
    SERIAL_A,
    SERIAL_B,
    blank,
    card_dispatcher,
    card_world,
    cc,
    files,
    meter,
    opened,
    sale,
    tenders,
)
from tests.server.payment_helpers import receipt
from tests.server.shift_helpers import close, yuan_notes

__all__ = ["card_dispatcher", "card_world", "cc"]  # fixtures


def _printed(answer: Any) -> str:
    assert answer.status == 200, answer.body
    doc = to_document(PaymentReceipt.model_validate_json(json.dumps(answer.body["receipt"])))
    doc.validate()
    return decode_text(render(doc, paper=80))


def test_sale_receipt_prints_its_card_part(cc: Caller) -> None:
    card, m = blank(), meter()
    opened(cc, card, m)
    text = _printed(sale(cc, card, PREPAID_A, 5_000, seq=2, count=2, pay=[
        {"method": "cash", "amount_fen": 3_000, "cash_handed_fen": 5_000},
        {"method": "qr", "amount_fen": 2_000, "reference": "WX-7"}]))
    assert text.split("\n")[1] == "购电凭证"
    assert re.search(r"^业务类别 +购电$", text, re.MULTILINE)
    assert re.search(rf"^卡号 +{SERIAL_A.hex().upper()}$", text, re.MULTILINE)
    assert re.search(r"^购电次数 +2$", text, re.MULTILINE)
    assert re.search(r"^写卡金额 +￥50\.00$", text, re.MULTILINE)
    assert re.search(rf"^表号 +{METER_A}$", text, re.MULTILINE)
    assert not re.search(r"^补卡费", text, re.MULTILINE)


def test_replacement_receipt_prints_the_fee(cc: Caller) -> None:
    card, m = blank(), meter()
    opened(cc, card, m)
    text = _printed(cc.call("card.replace_card", {"customer_no": PREPAID_A, "files": files(blank(SERIAL_B)),
                                                  "receipt_no": receipt(2), "tenders": tenders(2_000),
                                                  "reason": "卡坏了"}))
    assert re.search(r"^业务类别 +补卡$", text, re.MULTILINE)
    assert re.search(r"^补卡费 +￥20\.00$", text, re.MULTILINE)
    assert re.search(r"^购电次数 +1$", text, re.MULTILINE)
    assert re.search(r"^写卡金额 +￥100\.00$", text, re.MULTILINE)  # the purchase carried, paid before


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_settlement_pdf_has_card_purchase_and_fee(cc: Caller, tmp_path: Path) -> None:
    card, m = blank(), meter()
    opened(cc, card, m)
    assert cc.call("card.replace_card", {"customer_no": PREPAID_A, "files": files(blank(SERIAL_B)),
                                         "receipt_no": receipt(2), "tenders": tenders(2_000),
                                         "reason": "卡坏了"}).status == 200
    shift_no = cc.call("shift.get_current", {}).body["shift"]["shift_no"]
    assert close(cc, shift_no, yuan_notes(12_000)).status == 200
    daily = cc.call("settlement.get_daily", {"business_date": "2026-11-23", "whole_hall": False})
    report = SettlementReport.model_validate_json(json.dumps(daily.body["report"]))
    pdf = tmp_path / "settlement.pdf"
    pdf.write_bytes(render_settlement_pdf(report))
    text = "".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                                  text=True).stdout.split())
    assert "购电" in text
    assert "业务费" in text
    assert "100.00" in text
    assert "20.00" in text
