"""Every error code, role, permission and field name as translatable text: the one place codes become words.

The strings are marked with ``QT_TRANSLATE_NOOP`` so lupdate extracts them; they are translated when
shown (:func:`error_message`), and their ``{placeholders}`` are named as the code's parameters.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from client.ui.reading_words import translate_reading_params
from shared_models.errors import ErrorCode, ParamValue
from shared_models.money import format_fen
from shared_models.roles import Perm, Role
from shared_models.rules.hall_time import in_hall_time

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.MALFORMED_REQUEST: QT_TRANSLATE_NOOP(
        "Errors", "The server could not read the request. Please try again; if it happens again, "
        "call the support desk."),
    ErrorCode.INVALID_REQUEST: QT_TRANSLATE_NOOP(
        "Errors", "The entry “{field}” was not accepted ({problem})."),
    ErrorCode.FEN_NOT_INTEGER: QT_TRANSLATE_NOOP(
        "Errors", "The amount “{field}” must be a whole number of fen."),
    ErrorCode.REQUEST_TOO_LARGE: QT_TRANSLATE_NOOP(
        "Errors", "The request is too large (the limit is {limit} bytes)."),
    ErrorCode.UNKNOWN_METHOD: QT_TRANSLATE_NOOP(
        "Errors", "The server does not offer the function “{method}”. Client and server versions may not match."),
    ErrorCode.CONTRACT_VERSION_UNSUPPORTED: QT_TRANSLATE_NOOP(
        "Errors", "This client (contract version {client_version}) cannot work with the server (contract "
        "version {server_version}). Please update the counter software."),
    ErrorCode.IDEMPOTENCY_KEY_REQUIRED: QT_TRANSLATE_NOOP(
        "Errors", "The request was missing its safety key and was not carried out. Please try again."),
    ErrorCode.IDEMPOTENCY_KEY_REUSED: QT_TRANSLATE_NOOP(
        "Errors", "This request was already used for a different operation and was not carried out."),
    ErrorCode.NOT_AUTHENTICATED: QT_TRANSLATE_NOOP(
        "Errors", "You are not signed in. Please sign in again."),
    ErrorCode.INVALID_CREDENTIALS: QT_TRANSLATE_NOOP(
        "Errors", "The user name or password is wrong."),
    ErrorCode.ACCOUNT_LOCKED: QT_TRANSLATE_NOOP(
        "Errors", "This account is locked after too many failed sign-ins. Try again in {minutes} minutes "
        "(at {until}) or ask an administrator to unlock it."),
    ErrorCode.ACCOUNT_DISABLED: QT_TRANSLATE_NOOP(
        "Errors", "The account {username} is disabled. Please contact the administrator."),
    ErrorCode.SESSION_EXPIRED: QT_TRANSLATE_NOOP(
        "Errors", "You were signed out after {minutes} minutes without activity. Please sign in again."),
    ErrorCode.SESSION_INVALID: QT_TRANSLATE_NOOP(
        "Errors", "Your session is no longer valid. Please sign in again."),
    ErrorCode.SESSION_WRONG_COUNTER: QT_TRANSLATE_NOOP(
        "Errors", "This session is not valid at counter {counter}. Please sign in again."),
    ErrorCode.UNKNOWN_COUNTER: QT_TRANSLATE_NOOP(
        "Errors", "The server does not know counter {counter}. Please check the counter code."),
    ErrorCode.COUNTER_NOT_IN_SCOPE: QT_TRANSLATE_NOOP(
        "Errors", "You may not sign in at counter {counter}: it does not belong to your unit."),
    ErrorCode.DEVICE_NOT_ENROLLED: QT_TRANSLATE_NOOP(
        "Errors", "Counter {counter} is not enrolled on this PC. Ask the operations engineer to enroll it."),
    ErrorCode.DEVICE_KEY_INVALID: QT_TRANSLATE_NOOP(
        "Errors", "This PC's device key is not valid for counter {counter}. Ask the operations engineer to "
        "enroll it again."),
    ErrorCode.PASSWORD_TOO_WEAK: QT_TRANSLATE_NOOP(
        "Errors", "The new password is too weak: use at least {min_length} characters."),
    ErrorCode.PASSWORD_UNCHANGED: QT_TRANSLATE_NOOP(
        "Errors", "The new password must differ from the old one."),
    ErrorCode.UNLOCK_SELF: QT_TRANSLATE_NOOP(
        "Errors", "You cannot lift the lockout of your own account: another administrator must do it."),
    ErrorCode.PERMISSION_DENIED: QT_TRANSLATE_NOOP(
        "Errors", "You do not have the permission “{permission}” needed for this."),
    ErrorCode.COSIGN_REQUIRED: QT_TRANSLATE_NOOP(
        "Errors", "This action needs a supervisor's co-signature."),
    ErrorCode.COSIGN_INVALID: QT_TRANSLATE_NOOP(
        "Errors", "The co-signer's user name or password is wrong."),
    ErrorCode.COSIGN_NOT_AUTHORIZED: QT_TRANSLATE_NOOP(
        "Errors", "{username} is not allowed to co-sign this action."),
    ErrorCode.COSIGN_SAME_USER: QT_TRANSLATE_NOOP(
        "Errors", "The co-signer must be a different person."),
    ErrorCode.COSIGN_ATTESTED_NOT_REPLAYED: QT_TRANSLATE_NOOP(
        "Errors", "A co-sign verified at the counter is accepted only from the counter's queue of offline work."),
    ErrorCode.USER_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Errors", "There is no user {username}."),
    ErrorCode.USERNAME_TAKEN: QT_TRANSLATE_NOOP(
        "Errors", "The user name {username} is already taken."),
    ErrorCode.ORG_UNIT_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Errors", "There is no organization unit with the code {code}."),
    ErrorCode.CUSTOMER_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Errors", "There is no customer with the account number {customer_no}."),
    ErrorCode.CUSTOMER_CLOSED: QT_TRANSLATE_NOOP(
        "Errors", "The account {customer_no} is closed: it takes no payments. Send the customer to the business "
        "counter."),
    ErrorCode.SEARCH_QUERY_INVALID: QT_TRANSLATE_NOOP(
        "Errors", "Enter an account number, a bill barcode, a phone or meter number, or at least two characters of "
        "a name or address."),
    ErrorCode.AMOUNT_NOT_POSITIVE: QT_TRANSLATE_NOOP(
        "Errors", "The amount must be more than zero."),
    ErrorCode.AMOUNT_TOO_LARGE: QT_TRANSLATE_NOOP(
        "Errors", "¥{amount_fen} is more than one payment may be (at most ¥{limit_fen}). Check the amount; "
        "nothing was charged."),
    ErrorCode.LOCAL_TIME_IMPLAUSIBLE: QT_TRANSLATE_NOOP(
        "Errors", "This counter's clock is more than {skew_s} seconds off the server's. Nothing was charged: "
        "ask the operations engineer to set the PC's clock, then take the payment again."),
    ErrorCode.CASH_TENDERED_TOO_LOW: QT_TRANSLATE_NOOP(
        "Errors", "The cash handed over (¥{handed_fen}) is less than the cash part of the payment (¥{cash_fen})."),
    ErrorCode.TENDER_INVALID: QT_TRANSLATE_NOOP(
        "Errors", "The payment method “{method}” is not valid here: use each method once, with an amount above "
        "zero."),
    ErrorCode.TENDER_REFERENCE_REQUIRED: QT_TRANSLATE_NOOP(
        "Errors", "Enter the reference number of the “{method}” payment (terminal trace, order or cheque number)."),
    ErrorCode.DUE_CHANGED: QT_TRANSLATE_NOOP(
        "Errors", "The amount due changed from ¥{quoted_fen} to ¥{due_fen} since it was shown — a bill may have "
        "been paid at another counter. Nothing was charged: check the new amount and confirm again."),
    ErrorCode.RECEIPT_NO_INVALID: QT_TRANSLATE_NOOP(
        "Errors", "The receipt number {receipt_no} does not belong to this counter and day."),
    ErrorCode.RECEIPT_NO_TAKEN: QT_TRANSLATE_NOOP(
        "Errors", "The receipt number {receipt_no} was already used. Nothing was charged; please confirm again."),
    ErrorCode.RECEIPT_SEQ_OUT_OF_WINDOW: QT_TRANSLATE_NOOP(
        "Errors", "The receipt number {receipt_no} lies beyond the numbers this counter could have given that "
                  "day (highest booked: {highest_seq}; at most {allowed_seq}); the server did not book it."),
    ErrorCode.RECEIPT_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Errors", "There is no receipt with the number {receipt_no}."),
    ErrorCode.ALREADY_VOIDED: QT_TRANSLATE_NOOP(
        "Errors", "The receipt {receipt_no} is already voided."),
    ErrorCode.VOID_NOT_SAME_DAY: QT_TRANSLATE_NOOP(
        "Errors", "The receipt {receipt_no} is not from today: it can only be corrected through the refund "
        "workflow."),
    ErrorCode.VOID_NOT_SAME_CASHIER: QT_TRANSLATE_NOOP(
        "Errors", "The receipt {receipt_no} was taken by another cashier: only that cashier can void it."),
    ErrorCode.VOID_SHIFT_CLOSED: QT_TRANSLATE_NOOP(
        "Errors", "The shift of receipt {receipt_no} is closed, so it can no longer be voided. Use the refund "
        "workflow instead."),
    ErrorCode.NO_OPEN_SHIFT: QT_TRANSLATE_NOOP(
        "Errors", "You have no open shift at this counter. Open a shift before taking payments."),
    ErrorCode.SHIFT_ALREADY_OPEN: QT_TRANSLATE_NOOP(
        "Errors", "You already have an open shift ({shift_no}). Close it before opening another."),
    ErrorCode.SHIFT_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Errors", "There is no shift {shift_no}."),
    ErrorCode.SHIFT_NOT_OWN: QT_TRANSLATE_NOOP(
        "Errors", "The shift {shift_no} belongs to another cashier."),
    ErrorCode.SHIFT_CLOSED: QT_TRANSLATE_NOOP(
        "Errors", "The shift {shift_no} is already closed and can no longer change."),
    ErrorCode.SHIFT_NO_INVALID: QT_TRANSLATE_NOOP(
        "Errors", "The shift number {shift_no} is not one this counter could have given ({problem})."),
    ErrorCode.DENOMINATION_INVALID: QT_TRANSLATE_NOOP(
        "Errors", "¥{denomination_fen} is not a denomination counted at close, or it was entered twice."),
    ErrorCode.CASH_DIFFERENCE_NEEDS_APPROVAL: QT_TRANSLATE_NOOP(
        "Errors", "The counted cash differs from the expected cash by ¥{difference_fen}. A supervisor must "
        "co-sign the difference."),
    ErrorCode.UNSENT_NEEDS_SUPERVISOR: QT_TRANSLATE_NOOP(
        "Errors", "{count} payments of this shift have not reached the server yet. A supervisor must sign the list "
        "of unsent payments to close the shift."),
    ErrorCode.ATTENTION_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Errors", "The server has no item needing attention with the reference {item_key}."),
    ErrorCode.ATTENTION_OTHER_HALL: QT_TRANSLATE_NOOP(
        "Errors", "The item {item_key} belongs to another hall: only that hall's supervisor can deal with it."),
    ErrorCode.ALREADY_ACKNOWLEDGED: QT_TRANSLATE_NOOP(
        "Errors", "The item {item_key} was already acknowledged by {acknowledged_by}."),
    ErrorCode.SERVICE_UNAVAILABLE: QT_TRANSLATE_NOOP(
        "Errors", "The server is temporarily unavailable. Please try again shortly (reference {ref})."),
    ErrorCode.INTERNAL_ERROR: QT_TRANSLATE_NOOP(
        "Errors", "The server ran into an error. Please tell the support desk the reference {ref}."),
    ErrorCode.NETWORK_UNREACHABLE: QT_TRANSLATE_NOOP(
        "Errors", "The server cannot be reached. Check the network connection and the server address."),
    ErrorCode.NETWORK_TIMEOUT: QT_TRANSLATE_NOOP(
        "Errors", "The server did not answer in time. Please try again."),
    ErrorCode.TLS_UNTRUSTED: QT_TRANSLATE_NOOP(
        "Errors", "The server's certificate is not trusted by this counter. Ask the operations engineer to "
        "pin the hall's CA certificate."),
    ErrorCode.BAD_RESPONSE: QT_TRANSLATE_NOOP(
        "Errors", "The server sent an answer this client cannot read. Client and server versions may not match."),
    ErrorCode.OFFLINE_SIGN_IN_UNKNOWN: QT_TRANSLATE_NOOP(
        "Errors", "The server cannot be reached, and {username} cannot sign in offline at counter {counter}: "
        "offline sign-in needs an online sign-in at this counter first."),
    ErrorCode.OFFLINE_SIGN_IN_EXPIRED: QT_TRANSLATE_NOOP(
        "Errors", "The server cannot be reached, and the offline sign-in of {username} has expired: it is valid "
        "for {hours} hours after the last online sign-in at this counter."),
    ErrorCode.OFFLINE_SIGN_IN_LOCKED: QT_TRANSLATE_NOOP(
        "Errors", "Offline sign-in is locked after too many wrong passwords. Try again in {minutes} minutes "
        "(at {until})."),
    # billrun (issue 12)
    ErrorCode.BOOK_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Errors", "The reading book {book_code} has no customers to bill."),
    ErrorCode.BILL_RUN_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Errors", "There is no bill run for book {book_code}, period {period}. Calculate it first."),
    ErrorCode.BILL_RUN_RELEASED: QT_TRANSLATE_NOOP(
        "Errors", "The bill run of book {book_code}, period {period} is released and cannot be calculated again. "
        "Correct single bills with a refund/back-charge (退补) instead."),
    ErrorCode.BILL_RUN_ALREADY_RELEASED: QT_TRANSLATE_NOOP(
        "Errors", "The bill run of book {book_code}, period {period} was already released by {released_by} "
        "at {released_at}. Nothing was released twice."),
    ErrorCode.BILL_RUN_CALCULATING: QT_TRANSLATE_NOOP(
        "Errors", "The bill run of book {book_code}, period {period} is still being calculated ({done} of {total} "
        "customers). Release it when the calculation has finished."),
    ErrorCode.BILL_DRAFT_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Errors", "Customer {customer_no} has no draft bill in the run of book {book_code}, period {period}."),
    ErrorCode.BILL_DRAFT_HELD: QT_TRANSLATE_NOOP(
        "Errors", "The draft bill of customer {customer_no} is already held ({reason})."),
    ErrorCode.BILL_DRAFT_NOT_HELD: QT_TRANSLATE_NOOP(
        "Errors", "The draft bill of customer {customer_no} is not held. Hold it first."),
    ErrorCode.BILL_DRAFT_RELEASED: QT_TRANSLATE_NOOP(
        "Errors", "The draft bill of customer {customer_no} was already released as bill {bill_no}; a released "
        "bill is only corrected by a refund/back-charge (退补)."),
    ErrorCode.BILL_DRAFT_NOT_PRICED: QT_TRANSLATE_NOOP(
        "Errors", "The draft bill of customer {customer_no} could not be priced (see its anomalies). Correct the "
        "reading and recalculate it first."),
    ErrorCode.BILL_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Errors", "There is no bill {bill_no}."),
    ErrorCode.BILL_ALREADY_CORRECTED: QT_TRANSLATE_NOOP(
        "Errors", "Bill {bill_no} was already corrected by bill {corrected_by}. Correct that bill instead."),
    ErrorCode.BILL_NOT_PRICEABLE: QT_TRANSLATE_NOOP(
        "Errors", "Bill {bill_no} cannot be priced again from the current readings ({anomalies})."),
    ErrorCode.CORRECTION_CHANGES_NOTHING: QT_TRANSLATE_NOOP(
        "Errors", "Priced again, bill {bill_no} comes out exactly the same; there is nothing to correct."),
    # tariffs
    ErrorCode.TARIFF_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Errors", "There is no tariff with the code {code}."),
    ErrorCode.TARIFF_VERSION_OVERLAP: QT_TRANSLATE_NOOP(
        "Errors", "A version of tariff {code} starting {effective_from} would overlap the version from "
        "{existing_from}: a new version must start after every existing one."),
    ErrorCode.TARIFF_VERSION_GAP: QT_TRANSLATE_NOOP(
        "Errors", "A version of tariff {code} starting then would leave the days {gap_from} to {gap_to} without "
        "prices: it must start the day after the last version ends."),
    ErrorCode.TARIFF_VERSION_BILLED: QT_TRANSLATE_NOOP(
        "Errors", "Tariff {code} has released bills up to {billed_to}: a new version must start after that day, "
        "not on {effective_from}."),
    ErrorCode.TARIFF_NO_VERSION: QT_TRANSLATE_NOOP(
        "Errors", "Tariff {code} has no prices for the days {date_from} to {date_to}."),
    ErrorCode.PRICE_NOT_DECIMAL: QT_TRANSLATE_NOOP(
        "Errors", "The figure “{field}” must be written as a decimal number such as 0.538, not as a "
        "floating-point number."),
    ErrorCode.PRICING_REFUSED: QT_TRANSLATE_NOOP(
        "Errors", "This consumption cannot be priced: {refusal}"),
    # readings
    ErrorCode.METER_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Errors", "There is no meter with the asset number {asset_no}."),
    ErrorCode.METER_CLOSED: QT_TRANSLATE_NOOP(
        "Errors", "The meter {asset_no} was removed on {removed_on}: only its final reading up to that day can be "
        "entered."),
    ErrorCode.READING_DATE_INVALID: QT_TRANSLATE_NOOP(
        "Errors", "The reading date {read_on} is not possible: {problem}."),
    ErrorCode.READING_REGISTER_MISSING: QT_TRANSLATE_NOOP(
        "Errors", "The {register} register of meter {asset_no} has no value. Enter every register of the meter."),
    ErrorCode.READING_REGISTER_UNKNOWN: QT_TRANSLATE_NOOP(
        "Errors", "The meter {asset_no} has no {register} register."),
    ErrorCode.READING_BELOW_PREVIOUS: QT_TRANSLATE_NOOP(
        "Errors", "The {register} register of meter {asset_no} reads {current}, below the previous reading "
        "{previous}. Check the value, or confirm that the register passed its highest value."),
    ErrorCode.READING_EXISTS: QT_TRANSLATE_NOOP(
        "Errors", "Meter {asset_no} already has a reading for {period}. To change it, correct that reading."),
    ErrorCode.READING_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Errors", "There is no reading number {reading_id}."),
    ErrorCode.READING_ALREADY_CORRECTED: QT_TRANSLATE_NOOP(
        "Errors", "The reading {reading_id} has already been corrected (by reading {current_id}). Correct the "
        "current reading instead."),
    ErrorCode.READING_CORRECTION_MISMATCH: QT_TRANSLATE_NOOP(
        "Errors", "The reading {reading_id} is of another meter, period or kind than the correction."),
    ErrorCode.METER_CHANGE_INVALID: QT_TRANSLATE_NOOP(
        "Errors", "The reading {reading_id} cannot be the old meter's final reading: {problem}."),
    ErrorCode.READING_PERIOD_INVALID: QT_TRANSLATE_NOOP(
        "Errors", "{period} is not a billing period (year and month, YYYYMM)."),
    ErrorCode.READING_VALUES_NOT_EXPECTED: QT_TRANSLATE_NOOP(
        "Errors", "A reading marked “{status}” has no register values: leave them empty."),
    # the tariff and pricing documents' rules across fields (shared_models.cross_field)
    ErrorCode.TARIFF_VERSION_INVALID: QT_TRANSLATE_NOOP(
        "Errors", "The tariff version was not accepted: {rule}"),
    ErrorCode.QUOTE_SOURCE_INVALID: QT_TRANSLATE_NOOP(
        "Errors", "Price the consumption either against a tariff code or against a tariff version entered here, "
        "not both and not neither."),
    ErrorCode.PERIOD_ENDS_BEFORE_START: QT_TRANSLATE_NOOP(
        "Errors", "The period from {date_from} to {date_to} ends before it starts."),
    # meter (换表)
    ErrorCode.METER_ASSET_IN_USE: QT_TRANSLATE_NOOP(
        "Errors", "The asset number {asset_no} already belongs to a meter. Check the number on the new meter."),
    ErrorCode.METER_CHANGE_PERIOD_RELEASED: QT_TRANSLATE_NOOP(
        "Errors", "The customer's bills are released up to {billed}: a meter change in {period} would change a "
        "released bill. Enter it in a later period, or correct the bill (退补)."),
    ErrorCode.METER_REGISTERS_INSUFFICIENT: QT_TRANSLATE_NOOP(
        "Errors", "The new meter {asset_no} needs a {register} register: the customer's tariff bills by it."),
    ErrorCode.METER_SPEC_INVALID: QT_TRANSLATE_NOOP(
        "Errors", "The new meter's {field} {value} is not possible: it must be between {min} and {max}."),
    # terms (helper "terms"): customer terms (计费参数)
    ErrorCode.CUSTOMER_TERMS_BILLED: QT_TRANSLATE_NOOP(
        "Errors", "Customer {customer_no} is billed up to {billed_to} (bill {bill_no}): a change of terms must "
        "start after that day, not on {effective_from}."),
    ErrorCode.CUSTOMER_TERMS_DATE_TAKEN: QT_TRANSLATE_NOOP(
        "Errors", "Customer {customer_no} already has terms from {effective_from}. Enter the change from another "
        "day."),
    ErrorCode.CUSTOMER_TERMS_NOT_TWO_PART: QT_TRANSLATE_NOOP(
        "Errors", "Tariff {tariff_code} of customer {customer_no} is single-part: it has no {field}."),
    ErrorCode.CUSTOMER_TERMS_FIGURE_MISSING: QT_TRANSLATE_NOOP(
        "Errors", "Tariff {tariff_code} of customer {customer_no} is two-part: enter the {field}."),
    ErrorCode.CUSTOMER_TERMS_FIGURE_NOT_POSITIVE: QT_TRANSLATE_NOOP(
        "Errors", "The {field} must be above zero, not {value}."),
    ErrorCode.CUSTOMER_TERMS_HOUSEHOLD_NOT_RESIDENTIAL: QT_TRANSLATE_NOOP(
        "Errors", "A household adjustment is only for residential customers; customer {customer_no} is not one."),
    ErrorCode.CUSTOMER_TERMS_NO_ANNUAL_TIERS: QT_TRANSLATE_NOOP(
        "Errors", "Tariff {tariff_code} of customer {customer_no} has no annual tiers: a tier cycle start does "
        "not apply."),
    ErrorCode.CUSTOMER_TERMS_HOUSEHOLD_NOT_PRICEABLE: QT_TRANSLATE_NOOP(
        "Errors", "Tariff {tariff_code} of customer {customer_no} cannot price this household adjustment: "
        "{refusal}"),
    # handheld (helper "handheld"): packages and returned files
    ErrorCode.HANDHELD_FILE_EMPTY: QT_TRANSLATE_NOOP(
        "Errors", "The file is empty: nothing to read."),
    ErrorCode.HANDHELD_FILE_TOO_LARGE: QT_TRANSLATE_NOOP(
        "Errors", "The file has {size} bytes, more than the {limit} a handheld file may have. It was not read."),
    ErrorCode.HANDHELD_FILE_ENCODING: QT_TRANSLATE_NOOP(
        "Errors", "The file is not readable text in {encoding} (line {line}). Save it as UTF-8 or GB18030."),
    ErrorCode.HANDHELD_FILE_DAMAGED: QT_TRANSLATE_NOOP(
        "Errors", "The file is damaged or cut short near line {line} (field {field}). Copy it from the handheld "
        "again."),
    ErrorCode.HANDHELD_FORMAT_UNSUPPORTED: QT_TRANSLATE_NOOP(
        "Errors", 'The file is in format "{found}", not a gridcounter.book/1 package.'),
    ErrorCode.HANDHELD_CSV_COLUMNS: QT_TRANSLATE_NOOP(
        "Errors", 'The CSV column "{column}" is {problem} (line {line}). Use the column layout of the handheld '
        'formats guide.'),
    ErrorCode.HANDHELD_SIGNATURE_INVALID: QT_TRANSLATE_NOOP(
        "Errors", "Package {package_id} was changed or cut after it was downloaded: its signature does not match. "
        "Nothing was read from it."),
    ErrorCode.HANDHELD_PACKAGE_UNKNOWN: QT_TRANSLATE_NOOP(
        "Errors", "Package {package_id} was not downloaded from this server."),
    ErrorCode.HANDHELD_FOREIGN_READER: QT_TRANSLATE_NOOP(
        "Errors", "Package {package_id} belongs to reader {reader}, not to you."),
    ErrorCode.HANDHELD_FOREIGN_BOOK: QT_TRANSLATE_NOOP(
        "Errors", "Reading book {book_code} is not assigned to you."),
    ErrorCode.HANDHELD_BOOK_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Errors", "There is no reading book {book_code}."),
    ErrorCode.CARD_UNREADABLE: QT_TRANSLATE_NOOP(
        "Errors", "The card could not be read: its {field} is not in the expected form. Try the card again; if it "
        "repeats, the card is damaged (补卡)."),
    ErrorCode.CARD_PRESET: QT_TRANSLATE_NOOP(
        "Errors", "This is a factory test card (预置卡); it cannot be used for a customer."),
    ErrorCode.CARD_UNKNOWN: QT_TRANSLATE_NOOP(
        "Errors", "Card {serial} is not registered to any customer. Check the card; an unknown card is never "
        "written."),
    ErrorCode.CARD_OTHER_CUSTOMER: QT_TRANSLATE_NOOP(
        "Errors", "This card belongs to customer {card_customer_no}, not to customer {customer_no}. Take the right"
        " card."),
    ErrorCode.CARD_RETIRED: QT_TRANSLATE_NOOP(
        "Errors", "This card was replaced on {retired_on} and is no longer valid. Use the customer's current card."),
    ErrorCode.CARD_BLANK: QT_TRANSLATE_NOOP(
        "Errors", "This card is blank. Open it (开户) or issue it as a replacement (补卡); a sale needs the customer's"
        " card."),
    ErrorCode.CARD_NOT_BLANK: QT_TRANSLATE_NOOP(
        "Errors", "This card is not blank. Opening and replacement need a blank card (开户前请先清空卡)."),
    ErrorCode.CARD_WALLET_MAC_BAD: QT_TRANSLATE_NOOP(
        "Errors", "The purchase data on this card does not check (wrong MAC). The card has been tampered with or "
        "damaged: do not sell onto it; ask the supervisor."),
    ErrorCode.CARD_COUNT_MISMATCH: QT_TRANSLATE_NOOP(
        "Errors", "The card's purchase count ({card_count}) does not fit the books ({system_count}). Nothing was "
        "taken; ask the supervisor."),
    ErrorCode.CARD_PURCHASE_NOT_INSERTED: QT_TRANSLATE_NOOP(
        "Errors", "The card still holds purchase {purchase_count}, which the meter has not credited yet. Have the "
        "customer insert the card into the meter first, or rewrite (补写卡) if the write failed."),
    ErrorCode.CARD_PENDING_WRITE: QT_TRANSLATE_NOOP(
        "Errors", "Purchase {purchase_count} of customer {customer_no} is paid but not yet on the card. Rewrite it"
        " (补写卡) first: no new money is taken."),
    ErrorCode.CARD_NO_PENDING_WRITE: QT_TRANSLATE_NOOP(
        "Errors", "Customer {customer_no} has no purchase {purchase_count} waiting for its write."),
    ErrorCode.CARD_WRITE_NOT_ON_CARD: QT_TRANSLATE_NOOP(
        "Errors", "The card read back does not hold purchase {purchase_count}: the write did not complete. Keep "
        "the card in the reader and rewrite (补写卡)."),
    ErrorCode.CARD_AMOUNT_BELOW_MIN: QT_TRANSLATE_NOOP(
        "Errors", "The amount to write {amount_fen} is below the minimum sale of {min_fen}."),
    ErrorCode.CARD_AMOUNT_ABOVE_MAX: QT_TRANSLATE_NOOP(
        "Errors", "The amount {amount_fen} is above the most this card may take now ({max_fen})."),
    ErrorCode.CARD_HOARDING_LIMIT: QT_TRANSLATE_NOOP(
        "Errors", "The meter would refuse this amount (超囤积): remaining {remaining_fen} plus {amount_fen} passes "
        "its limit of {limit_fen}."),
    ErrorCode.CARD_NOT_PREPAID: QT_TRANSLATE_NOOP(
        "Errors", "Customer {customer_no} does not buy electricity by card ({payment_mode})."),
    ErrorCode.CARD_ALREADY_ISSUED: QT_TRANSLATE_NOOP(
        "Errors", "Customer {customer_no} already has a card ({serial}). To give a new card, replace it (补卡)."),
    ErrorCode.CARD_NONE_ISSUED: QT_TRANSLATE_NOOP(
        "Errors", "Customer {customer_no} has no card yet. Open a card (开户) first."),
    ErrorCode.CARD_CUSTOMER_UNFIT: QT_TRANSLATE_NOOP(
        "Errors", "Customer {customer_no} cannot hold a card: the customer number or the meter number ({meter_no})"
        " does not fit the card's 12 digits."),
    ErrorCode.CARD_NO_METER: QT_TRANSLATE_NOOP(
        "Errors", "Customer {customer_no} has no meter in service; a card sale needs one."),
    ErrorCode.CARD_METER_MISMATCH: QT_TRANSLATE_NOOP(
        "Errors", "The card is for meter {card_meter_no}, but the customer's meter is {meter_no}. After a meter "
        "change, replace the card (补卡)."),
    ErrorCode.CARD_KEYS_UNAVAILABLE: QT_TRANSLATE_NOOP(
        "Errors", "The card key service is not available (key version {key_version}). Card sales cannot be made "
        "now; call operations."),
    ErrorCode.CARD_REVERSAL_REFUSED: QT_TRANSLATE_NOOP(
        "Errors", "Purchase {purchase_count} cannot be reversed at the counter: the meter may have credited it. "
        "Use the refund workflow (退费)."),
    ErrorCode.CARD_SALE_USE_CARD_REVERSAL: QT_TRANSLATE_NOOP(
        "Errors", "Receipt {receipt_no} is a card sale. Reverse it from the card screen with the card in the "
        "reader."),
    ErrorCode.CARD_NOTHING_TO_WRITE: QT_TRANSLATE_NOOP(
        "Errors", "The payment {amount_fen} only covers the arrears of {arrears_fen}: nothing would be written to "
        "the card. Take more, or take a bill payment."),
    ErrorCode.HANDHELD_BOOK_ACCEPTED: QT_TRANSLATE_NOOP(
        "Errors", "Reading book {book_code} is already accepted for {period}."),
    ErrorCode.HANDHELD_PACKAGE_ACCEPTED: QT_TRANSLATE_NOOP(
        "Errors", "Every record of package {package_id} was accepted already: this is a second upload."),
    ErrorCode.HANDHELD_DECISION_REFUSED: QT_TRANSLATE_NOOP(
        "Errors", "Record {seq} (customer {customer_no}) has an error ({finding}, {field}): it cannot be accepted, "
        "only a re-read ordered."),
    ErrorCode.HANDHELD_DECISION_NOTE_MISSING: QT_TRANSLATE_NOOP(
        "Errors", "Record {seq} is to be accepted with a note: enter the note."),
    ErrorCode.HANDHELD_DECISION_UNKNOWN_RECORD: QT_TRANSLATE_NOOP(
        "Errors", "There is no record {seq} in this package."),
    ErrorCode.HANDHELD_DECISION_DUPLICATE: QT_TRANSLATE_NOOP(
        "Errors", "Record {seq} has two decisions: keep one."),
    ErrorCode.HANDHELD_ESTIMATE_UNAVAILABLE: QT_TRANSLATE_NOOP(
        "Errors", "Record {seq} (customer {customer_no}) has no previous consumption to estimate by: order a re-read."),
    ErrorCode.HANDHELD_ACCEPTED_ELSEWHERE: QT_TRANSLATE_NOOP(
        "Errors", "Records {seqs} of package {package_id} had been accepted before this queued acceptance was sent "
        "({repeated} records): the first acceptance stands. {written} other records were accepted by this one."),
    ErrorCode.READING_BOOK_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Errors", "There is no reading book {book_code} in this hall."),
    ErrorCode.READING_BOOK_READER_UNKNOWN: QT_TRANSLATE_NOOP(
        "Errors", "There is no user {reader} to give the book to."),
    ErrorCode.READING_BOOK_NOT_METER_READER: QT_TRANSLATE_NOOP(
        "Errors", "User {reader} is not a meter reader: a book can only be given to a meter reader."),
    ErrorCode.READING_BOOK_READER_INACTIVE: QT_TRANSLATE_NOOP(
        "Errors", "Meter reader {reader} is deactivated: choose an active reader."),
    ErrorCode.READING_BOOK_READER_OTHER_HALL: QT_TRANSLATE_NOOP(
        "Errors", "Meter reader {reader} works in another hall than book {book_code}."),
    ErrorCode.READING_BOOK_DAY_OUT_OF_RANGE: QT_TRANSLATE_NOOP(
        "Errors", "The reading day {reading_day} is not a day {low}–{high} of the month."),
    ErrorCode.READING_BOOK_WINDOW_OUT_OF_RANGE: QT_TRANSLATE_NOOP(
        "Errors", "The window of {window_days} days is outside {low}–{high} days."),
}

# Which rule a tariff version breaks (TARIFF_VERSION_INVALID's ``rule`` parameter); the placeholders are the
# code's other parameters.
TARIFF_RULES: dict[str, str] = {
    "thresholds_not_positive": QT_TRANSLATE_NOOP("TariffRules", "the tier thresholds must be positive kWh."),
    "thresholds_not_increasing": QT_TRANSLATE_NOOP(
        "TariffRules", "each tier threshold must be higher than the one before."),
    "increments_per_tier": QT_TRANSLATE_NOOP(
        "TariffRules", "{name} needs one increment per tier ({tiers}), not {given}."),
    "negative_price": QT_TRANSLATE_NOOP("TariffRules", "a price or rate ({name}) must not be negative."),
    "empty_span": QT_TRANSLATE_NOOP("TariffRules", "the time span {start}–{end} is empty."),
    "months": QT_TRANSLATE_NOOP("TariffRules", "the months of season {season} must be 1 to 12."),
    "spans_overlap": QT_TRANSLATE_NOOP(
        "TariffRules", "in season {season} two time-of-use spans overlap (at {time})."),
    "day_not_covered": QT_TRANSLATE_NOOP(
        "TariffRules", "the time-of-use periods of season {season} do not cover 24 hours (nothing is set from "
        "{time})."),
    "seasons_not_year": QT_TRANSLATE_NOOP(
        "TariffRules", "the time-of-use seasons must cover each month of the year exactly once."),
    "period_not_priced": QT_TRANSLATE_NOOP(
        "TariffRules", "season {season} uses time-of-use periods without a price ({periods})."),
    "ends_before_start": QT_TRANSLATE_NOOP(
        "TariffRules", "the version ends on {effective_to}, before it starts on {effective_from}."),
    "fund_twice": QT_TRANSLATE_NOOP("TariffRules", "the fund {name} is listed twice."),
}

# Why the pricing function refused a period (``server.pricing.PricingRefusal`` values, PRICING_REFUSED's
# ``refusal`` parameter).
PRICING_REFUSALS: dict[str, str] = {
    "version_dates": QT_TRANSLATE_NOOP("Pricing", "the tariff's versions overlap or leave a gap."),
    "no_version": QT_TRANSLATE_NOOP("Pricing", "no tariff version prices some days of the period."),
    "no_shared_meter_price": QT_TRANSLATE_NOOP("Pricing", "the tariff has no shared-meter (合表) price."),
    "household_tiers": QT_TRANSLATE_NOOP(
        "Pricing", "the household's extra kWh do not give one figure per tier threshold."),
    "tou_period_not_priced": QT_TRANSLATE_NOOP(
        "Pricing", "a time-of-use register has kWh for a period the tariff has no price for."),
    "no_demand_basis": QT_TRANSLATE_NOOP(
        "Pricing", "a two-part tariff needs the customer's basis (capacity, demand or contract demand)."),
    "no_capacity": QT_TRANSLATE_NOOP("Pricing", "the basic charge needs the transformer capacity (kVA)."),
    "no_contract_demand": QT_TRANSLATE_NOOP("Pricing", "the basic charge needs the contract demand (kW)."),
    "no_max_demand": QT_TRANSLATE_NOOP("Pricing", "the basic charge needs the month's maximum demand (kW)."),
    "no_reactive": QT_TRANSLATE_NOOP("Pricing", "the power-factor adjustment needs the reactive energy (kvarh)."),
    "out_of_range": QT_TRANSLATE_NOOP("Pricing", "the figures give amounts larger than any bill can hold."),
}

#: For a failure that carries no code: the reference lets the support desk find the traceback in the log.
GENERIC_MESSAGE = QT_TRANSLATE_NOOP("Errors", "Something went wrong. Please tell the support desk the reference {ref}.")

ROLE_NAMES: dict[Role, str] = {
    Role.CASHIER: QT_TRANSLATE_NOOP("Roles", "Cashier"),
    Role.METER_READER: QT_TRANSLATE_NOOP("Roles", "Meter reader"),
    Role.SUPERVISOR: QT_TRANSLATE_NOOP("Roles", "Supervisor"),
    Role.BILLING_CLERK: QT_TRANSLATE_NOOP("Roles", "Billing clerk"),
    Role.BUSINESS_CLERK: QT_TRANSLATE_NOOP("Roles", "Business clerk"),
    Role.ADMIN: QT_TRANSLATE_NOOP("Roles", "Administrator"),
}

PERMISSION_NAMES: dict[str, str] = {
    Perm.SESSION: QT_TRANSLATE_NOOP("Permissions", "signed-in user"),
    Perm.VIEW_CUSTOMERS: QT_TRANSLATE_NOOP("Permissions", "view customers"),
    Perm.EDIT_CUSTOMERS: QT_TRANSLATE_NOOP("Permissions", "edit customers"),
    Perm.COLLECT: QT_TRANSLATE_NOOP("Permissions", "collect payments"),
    Perm.APPROVE: QT_TRANSLATE_NOOP("Permissions", "approve and co-sign"),
    Perm.READINGS: QT_TRANSLATE_NOOP("Permissions", "meter readings"),
    Perm.BILLING: QT_TRANSLATE_NOOP("Permissions", "billing"),
    Perm.APPLICATIONS: QT_TRANSLATE_NOOP("Permissions", "service applications"),
    Perm.VIEW_AUDIT: QT_TRANSLATE_NOOP("Permissions", "view the audit trail"),
    Perm.MANAGE_USERS: QT_TRANSLATE_NOOP("Permissions", "manage users"),
    "disable_self": QT_TRANSLATE_NOOP("Permissions", "disable your own account"),
}

FIELD_NAMES: dict[str, str] = {
    "server": QT_TRANSLATE_NOOP("Fields", "server address"),
    "counter_code": QT_TRANSLATE_NOOP("Fields", "counter"),
    "username": QT_TRANSLATE_NOOP("Fields", "user name"),
    "password": QT_TRANSLATE_NOOP("Fields", "password"),
    "old_password": QT_TRANSLATE_NOOP("Fields", "current password"),
    "new_password": QT_TRANSLATE_NOOP("Fields", "new password"),
    "initial_password": QT_TRANSLATE_NOOP("Fields", "initial password"),
    "display_name": QT_TRANSLATE_NOOP("Fields", "full name"),
    "org_unit_code": QT_TRANSLATE_NOOP("Fields", "organization unit"),
    "role": QT_TRANSLATE_NOOP("Fields", "role"),
    "customer_no": QT_TRANSLATE_NOOP("Fields", "account number"),
    "phone": QT_TRANSLATE_NOOP("Fields", "phone"),
    # terms (helper "terms")
    "demand_basis": QT_TRANSLATE_NOOP("Fields", "demand basis"),
    "capacity_kva": QT_TRANSLATE_NOOP("Fields", "transformer capacity (kVA)"),
    "contract_demand_kw": QT_TRANSLATE_NOOP("Fields", "contract demand (kW)"),
}

#: Customer master-data codes as the server sends them (category, supply status, payment mode).
CUSTOMER_VALUES: dict[str, str] = {
    "residential": QT_TRANSLATE_NOOP("CustomerValues", "Residential"),
    "agricultural": QT_TRANSLATE_NOOP("CustomerValues", "Agricultural"),
    "commercial": QT_TRANSLATE_NOOP("CustomerValues", "Commercial and industrial"),
    "active": QT_TRANSLATE_NOOP("CustomerValues", "In supply"),
    "suspended": QT_TRANSLATE_NOOP("CustomerValues", "Supply suspended"),
    "closed": QT_TRANSLATE_NOOP("CustomerValues", "Account closed"),
    "postpaid": QT_TRANSLATE_NOOP("CustomerValues", "Postpaid"),
    "prepaid_card": QT_TRANSLATE_NOOP("CustomerValues", "Prepaid IC card"),
    "remote_prepaid": QT_TRANSLATE_NOOP("CustomerValues", "Remote prepaid"),
}


#: Payment methods as the contract names them (``TenderMethod``).
TENDER_NAMES: dict[str, str] = {
    "cash": QT_TRANSLATE_NOOP("Tenders", "Cash"),
    "bank_card": QT_TRANSLATE_NOOP("Tenders", "Bank card"),
    "qr": QT_TRANSLATE_NOOP("Tenders", "QR code"),
    "cheque": QT_TRANSLATE_NOOP("Tenders", "Cheque"),
}

#: Receipt printer faults (``printing.printer.PrinterErrorCode``): the payment itself is always recorded.
PRINTER_MESSAGES: dict[str, str] = {
    "PRINTER_OFFLINE": QT_TRANSLATE_NOOP(
        "Printer", "The receipt printer cannot be reached (switched off, unplugged or not ready). The payment is "
        "recorded: check the printer, then print the receipt again."),
    "PRINTER_PAPER_OUT": QT_TRANSLATE_NOOP(
        "Printer", "The receipt printer is out of paper. The payment is recorded: put in a new roll, then print "
        "the receipt again."),
    "PRINTER_TIMEOUT": QT_TRANSLATE_NOOP(
        "Printer", "The receipt printer does not answer (cover open, paper jam or busy). The payment is recorded: "
        "clear the printer, then print the receipt again."),
    # printing.receipt.ReceiptError: figures that do not add up never reach paper (a defect upstream)
    "RECEIPT_INVALID": QT_TRANSLATE_NOOP(
        "Printer", "The receipt {receipt_no} cannot be printed because its figures do not add up. The payment is "
        "recorded; please call the supervisor."),
    "NO_PRINTER": QT_TRANSLATE_NOOP(
        "Printer", "No receipt printer is set up on this counter. The payment is recorded; ask the operations "
        "engineer to set up the printer, then reprint the receipt."),
}
PRINTER_PARTIAL = QT_TRANSLATE_NOOP(
    "Printer", "Part of the receipt may have come out: discard it before printing again.")

class _KeepMissing(dict[str, object]):
    """format_map helper: an unknown ``{name}`` stays as it is instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, params: Mapping[str, object]) -> str:
    """``template.format_map(params)``, leaving unknown placeholders intact and never raising."""
    try:
        return template.format_map(_KeepMissing(params))
    except (ValueError, IndexError, AttributeError, KeyError):  # a mangled translation must not crash
        log.warning("cannot fill message template %r", template)
        return template


def role_name(role: Role | str) -> str:
    """The translated name of ``role``."""
    try:
        source = ROLE_NAMES[Role(role)]
    except (ValueError, KeyError):
        return str(role)
    return QCoreApplication.translate("Roles", source)


def permission_name(perm: str) -> str:
    """The translated name of a permission (as the server names it)."""
    source = PERMISSION_NAMES.get(perm)
    return QCoreApplication.translate("Permissions", source) if source else perm


def field_name(field: str) -> str:
    """The translated label of a request field (``"customer_no"`` -> ``"户号"``)."""
    source = FIELD_NAMES.get(field)
    return QCoreApplication.translate("Fields", source) if source else field


def customer_value(code: str) -> str:
    """The translated name of a customer category, status or payment mode; unknown codes as sent."""
    source = CUSTOMER_VALUES.get(code)
    return QCoreApplication.translate("CustomerValues", source) if source else code


def tender_name(method: str) -> str:
    """The translated name of a payment method (``"cash"`` -> ``"现金"``); unknown codes as sent."""
    source = TENDER_NAMES.get(method)
    return QCoreApplication.translate("Tenders", source) if source else method


def printer_message(code: str, *, receipt_no: str = "", partial: bool = False) -> str:
    """The translated sentence for a printer fault code (or ``RECEIPT_INVALID``/``NO_PRINTER``)."""
    source = PRINTER_MESSAGES.get(code, PRINTER_MESSAGES["PRINTER_OFFLINE"])
    text = fill(QCoreApplication.translate("Printer", source), {"receipt_no": receipt_no})
    if partial:
        text += " " + QCoreApplication.translate("Printer", PRINTER_PARTIAL)
    return text

def _hall_clock(text: str) -> str:
    """A server time (ISO 8601) as the hall's clock reads it, to the minute; the PC's own zone plays no part."""
    try:
        return in_hall_time(datetime.fromisoformat(text)).strftime("%H:%M")
    except ValueError:
        return text


def _display_params(params: Mapping[str, ParamValue]) -> dict[str, object]:
    shown: dict[str, object] = dict(params)
    if isinstance(shown.get("field"), str):
        shown["field"] = field_name(str(shown["field"]))
    if isinstance(shown.get("permission"), str):
        shown["permission"] = permission_name(str(shown["permission"]))
    for key, value in params.items():
        # amounts travel as integer fen; people read yuan
        if key.endswith("_fen") and isinstance(value, int) and not isinstance(value, bool):
            shown[key] = format_fen(value)
    if isinstance(shown.get("refusal"), str) and str(shown["refusal"]) in PRICING_REFUSALS:
        shown["refusal"] = QCoreApplication.translate("Pricing", PRICING_REFUSALS[str(shown["refusal"])])
    if isinstance(shown.get("rule"), str) and str(shown["rule"]) in TARIFF_RULES:
        shown["rule"] = fill(QCoreApplication.translate("TariffRules", TARIFF_RULES[str(shown["rule"])]), params)
    if isinstance(shown.get("until"), str):
        shown["until"] = _hall_clock(str(shown["until"]))
    return translate_reading_params(shown)


def error_message(code: ErrorCode, params: Mapping[str, ParamValue] | None = None) -> str:
    """The translated sentence for ``code``, its placeholders filled from ``params``."""
    source = MESSAGES.get(code)
    if source is None:  # only if ErrorCode grew without this table; the i18n test catches that
        log.error("no message for error code %s", code)
        return fill(QCoreApplication.translate("Errors", GENERIC_MESSAGE), {"ref": code.value})
    return fill(QCoreApplication.translate("Errors", source), _display_params(params or {}))


def generic_message(ref: str) -> str:
    """The translated sentence for an unexpected failure, with its log reference."""
    return fill(QCoreApplication.translate("Errors", GENERIC_MESSAGE), {"ref": ref})
