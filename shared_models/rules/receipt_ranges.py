"""The receipt numbers a shift used, as runs of consecutive numbers (the 日结单's 票据使用情况): the server
summarizes a booked shift with it, the counter a shift it summed up itself while the link was down."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import groupby

from shared_models.methods.shifts import ReceiptRangeLine
from shared_models.rules.receipt_numbers import parse_receipt_no


def receipt_ranges(receipt_nos: Iterable[str]) -> list[ReceiptRangeLine]:
    """Runs of consecutive receipt numbers: one run per counter and day, split where a number is missing.

    Numbers that are not receipt numbers (none should be booked) each make a run of their own.
    """
    keyed: list[tuple[str, dt.date, int, str]] = []
    for no in set(receipt_nos):
        try:
            counter, day, seq = parse_receipt_no(no)
        except ValueError:
            counter, day, seq = no, dt.date.min, 0
        keyed.append((counter, day, seq, no))
    keyed.sort()
    runs: list[ReceiptRangeLine] = []
    for _, group in groupby(keyed, key=lambda k: (k[0], k[1])):
        items = list(group)
        start = prev = items[0]
        count = 1
        for item in items[1:]:
            if item[2] == prev[2] + 1 and item[2] != 0:
                prev, count = item, count + 1
                continue
            runs.append(ReceiptRangeLine(first=start[3], last=prev[3], count=count))
            start = prev = item
            count = 1
        runs.append(ReceiptRangeLine(first=start[3], last=prev[3], count=count))
    return runs
