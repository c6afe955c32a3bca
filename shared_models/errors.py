"""Error codes: what travels on the wire instead of prose. The client turns a code into a sentence."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class ErrorCode(StrEnum):
    """Every failure the server (or the client's transport) can report."""

    # transport and request shape
    MALFORMED_REQUEST = "MALFORMED_REQUEST"
    INVALID_REQUEST = "INVALID_REQUEST"
    FEN_NOT_INTEGER = "FEN_NOT_INTEGER"
    REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
    UNKNOWN_METHOD = "UNKNOWN_METHOD"
    CONTRACT_VERSION_UNSUPPORTED = "CONTRACT_VERSION_UNSUPPORTED"
    IDEMPOTENCY_KEY_REQUIRED = "IDEMPOTENCY_KEY_REQUIRED"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    # sign-in and sessions
    NOT_AUTHENTICATED = "NOT_AUTHENTICATED"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    ACCOUNT_LOCKED = "ACCOUNT_LOCKED"
    ACCOUNT_DISABLED = "ACCOUNT_DISABLED"
    SESSION_EXPIRED = "SESSION_EXPIRED"
    SESSION_INVALID = "SESSION_INVALID"
    SESSION_WRONG_COUNTER = "SESSION_WRONG_COUNTER"
    UNKNOWN_COUNTER = "UNKNOWN_COUNTER"
    COUNTER_NOT_IN_SCOPE = "COUNTER_NOT_IN_SCOPE"
    DEVICE_NOT_ENROLLED = "DEVICE_NOT_ENROLLED"
    DEVICE_KEY_INVALID = "DEVICE_KEY_INVALID"
    PASSWORD_TOO_WEAK = "PASSWORD_TOO_WEAK"
    PASSWORD_UNCHANGED = "PASSWORD_UNCHANGED"
    UNLOCK_SELF = "UNLOCK_SELF"
    # authorization
    PERMISSION_DENIED = "PERMISSION_DENIED"
    COSIGN_REQUIRED = "COSIGN_REQUIRED"
    COSIGN_INVALID = "COSIGN_INVALID"
    COSIGN_NOT_AUTHORIZED = "COSIGN_NOT_AUTHORIZED"
    COSIGN_SAME_USER = "COSIGN_SAME_USER"
    #: A co-sign verified at the counter (``attested_cosign``) outside a replayed call of the outbox.
    COSIGN_ATTESTED_NOT_REPLAYED = "COSIGN_ATTESTED_NOT_REPLAYED"
    # business
    USER_NOT_FOUND = "USER_NOT_FOUND"
    USERNAME_TAKEN = "USERNAME_TAKEN"
    ORG_UNIT_NOT_FOUND = "ORG_UNIT_NOT_FOUND"
    CUSTOMER_NOT_FOUND = "CUSTOMER_NOT_FOUND"
    CUSTOMER_CLOSED = "CUSTOMER_CLOSED"
    SEARCH_QUERY_INVALID = "SEARCH_QUERY_INVALID"
    # payments
    AMOUNT_NOT_POSITIVE = "AMOUNT_NOT_POSITIVE"
    AMOUNT_TOO_LARGE = "AMOUNT_TOO_LARGE"
    LOCAL_TIME_IMPLAUSIBLE = "LOCAL_TIME_IMPLAUSIBLE"
    CASH_TENDERED_TOO_LOW = "CASH_TENDERED_TOO_LOW"
    TENDER_INVALID = "TENDER_INVALID"
    TENDER_REFERENCE_REQUIRED = "TENDER_REFERENCE_REQUIRED"
    DUE_CHANGED = "DUE_CHANGED"
    RECEIPT_NO_INVALID = "RECEIPT_NO_INVALID"
    RECEIPT_NO_TAKEN = "RECEIPT_NO_TAKEN"
    RECEIPT_SEQ_OUT_OF_WINDOW = "RECEIPT_SEQ_OUT_OF_WINDOW"
    RECEIPT_NOT_FOUND = "RECEIPT_NOT_FOUND"
    ALREADY_VOIDED = "ALREADY_VOIDED"
    VOID_NOT_SAME_DAY = "VOID_NOT_SAME_DAY"
    VOID_NOT_SAME_CASHIER = "VOID_NOT_SAME_CASHIER"
    VOID_SHIFT_CLOSED = "VOID_SHIFT_CLOSED"
    # shifts
    NO_OPEN_SHIFT = "NO_OPEN_SHIFT"
    SHIFT_ALREADY_OPEN = "SHIFT_ALREADY_OPEN"
    SHIFT_NOT_FOUND = "SHIFT_NOT_FOUND"
    SHIFT_NOT_OWN = "SHIFT_NOT_OWN"
    SHIFT_CLOSED = "SHIFT_CLOSED"
    #: A shift number minted by the counter that it could not have minted (``problem``: see rules.shift_numbers).
    SHIFT_NO_INVALID = "SHIFT_NO_INVALID"
    DENOMINATION_INVALID = "DENOMINATION_INVALID"
    CASH_DIFFERENCE_NEEDS_APPROVAL = "CASH_DIFFERENCE_NEEDS_APPROVAL"
    UNSENT_NEEDS_SUPERVISOR = "UNSENT_NEEDS_SUPERVISOR"
    # offline items needing attention (SPEC §5)
    ATTENTION_NOT_FOUND = "ATTENTION_NOT_FOUND"
    ATTENTION_OTHER_HALL = "ATTENTION_OTHER_HALL"
    ALREADY_ACKNOWLEDGED = "ALREADY_ACKNOWLEDGED"
    # server trouble
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    # client side only: raised by the client's transport, never sent by the server
    NETWORK_UNREACHABLE = "NETWORK_UNREACHABLE"
    NETWORK_TIMEOUT = "NETWORK_TIMEOUT"
    TLS_UNTRUSTED = "TLS_UNTRUSTED"
    BAD_RESPONSE = "BAD_RESPONSE"
    # client side only: an offline sign-in against the verifier cached at the counter (SPEC §5)
    OFFLINE_SIGN_IN_UNKNOWN = "OFFLINE_SIGN_IN_UNKNOWN"
    OFFLINE_SIGN_IN_EXPIRED = "OFFLINE_SIGN_IN_EXPIRED"
    OFFLINE_SIGN_IN_LOCKED = "OFFLINE_SIGN_IN_LOCKED"
    # billrun (issue 12): bill runs, drafts, release, 退补
    BOOK_NOT_FOUND = "BOOK_NOT_FOUND"
    BILL_RUN_NOT_FOUND = "BILL_RUN_NOT_FOUND"
    BILL_RUN_RELEASED = "BILL_RUN_RELEASED"
    BILL_RUN_ALREADY_RELEASED = "BILL_RUN_ALREADY_RELEASED"
    BILL_RUN_CALCULATING = "BILL_RUN_CALCULATING"
    BILL_DRAFT_NOT_FOUND = "BILL_DRAFT_NOT_FOUND"
    BILL_DRAFT_HELD = "BILL_DRAFT_HELD"
    BILL_DRAFT_NOT_HELD = "BILL_DRAFT_NOT_HELD"
    BILL_DRAFT_RELEASED = "BILL_DRAFT_RELEASED"
    BILL_DRAFT_NOT_PRICED = "BILL_DRAFT_NOT_PRICED"
    BILL_NOT_FOUND = "BILL_NOT_FOUND"
    BILL_ALREADY_CORRECTED = "BILL_ALREADY_CORRECTED"
    BILL_NOT_PRICEABLE = "BILL_NOT_PRICEABLE"
    CORRECTION_CHANGES_NOTHING = "CORRECTION_CHANGES_NOTHING"
    # tariffs (issue 12, helper "tariffs")
    TARIFF_NOT_FOUND = "TARIFF_NOT_FOUND"
    TARIFF_VERSION_OVERLAP = "TARIFF_VERSION_OVERLAP"
    TARIFF_VERSION_GAP = "TARIFF_VERSION_GAP"
    TARIFF_VERSION_BILLED = "TARIFF_VERSION_BILLED"
    TARIFF_NO_VERSION = "TARIFF_NO_VERSION"
    #: A price, rate or kWh sent as a JSON number instead of a decimal string ("0.538").
    PRICE_NOT_DECIMAL = "PRICE_NOT_DECIMAL"
    #: ``server.pricing.price`` cannot price the period (``refusal``: a ``PricingRefusal`` value, and its figures).
    PRICING_REFUSED = "PRICING_REFUSED"
    # readings (helper "readings", issue 12): meter readings per register, entry and correction
    METER_NOT_FOUND = "METER_NOT_FOUND"
    #: The meter was removed (``removed_on``): only its final 换表 reading up to that day is taken.
    METER_CLOSED = "METER_CLOSED"
    #: ``problem``: ``future``, ``before_installation``, ``not_after_previous``.
    READING_DATE_INVALID = "READING_DATE_INVALID"
    READING_REGISTER_MISSING = "READING_REGISTER_MISSING"
    READING_REGISTER_UNKNOWN = "READING_REGISTER_UNKNOWN"
    READING_BELOW_PREVIOUS = "READING_BELOW_PREVIOUS"
    READING_EXISTS = "READING_EXISTS"
    READING_NOT_FOUND = "READING_NOT_FOUND"
    READING_ALREADY_CORRECTED = "READING_ALREADY_CORRECTED"
    #: A correction names a reading of another meter, period or kind.
    READING_CORRECTION_MISMATCH = "READING_CORRECTION_MISMATCH"
    #: ``problem``: ``not_a_change``, ``not_a_final``, ``same_meter``, ``other_customer``, ``other_period``,
    #: ``superseded``, ``taken``.
    METER_CHANGE_INVALID = "METER_CHANGE_INVALID"
    #: A period ``YYYYMM`` whose month is not 1–12.
    READING_PERIOD_INVALID = "READING_PERIOD_INVALID"
    #: Register values for a reading of a closed door (门闭) or a broken meter (表坏).
    READING_VALUES_NOT_EXPECTED = "READING_VALUES_NOT_EXPECTED"
    # fuzz (issue 12): the tariff and pricing documents' rules across fields (shared_models.cross_field)
    #: A tariff version document breaks a rule (``rule``: a key of the client's TARIFF_RULES, with its figures).
    TARIFF_VERSION_INVALID = "TARIFF_VERSION_INVALID"
    #: 测算电费 needs exactly one of a tariff code and an inline version.
    QUOTE_SOURCE_INVALID = "QUOTE_SOURCE_INVALID"
    #: A period of consumption (or of days) that ends (``date_to``) before it starts (``date_from``).
    PERIOD_ENDS_BEFORE_START = "PERIOD_ENDS_BEFORE_START"
    # meter (issue 12, helper "meter"): a meter change (换表) entered at the desk, reading.change_meter
    #: The new meter's asset number (``asset_no``) is already a meter's, in service or removed.
    METER_ASSET_IN_USE = "METER_ASSET_IN_USE"
    #: The change falls in a period (``period``) the customer was already billed for (``billed``: the newest one).
    METER_CHANGE_PERIOD_RELEASED = "METER_CHANGE_PERIOD_RELEASED"
    #: The new meter (``asset_no``) lacks a register (``register``) the customer's tariff bills by.
    METER_REGISTERS_INSUFFICIENT = "METER_REGISTERS_INSUFFICIENT"
    #: A figure of the new meter (``field``: ``digits``, ``ct_ratio``, ``pt_ratio``) is not in ``min``..``max``.
    METER_SPEC_INVALID = "METER_SPEC_INVALID"
    # terms (issue 12, helper "terms"): customer terms (计费参数), customer.set_terms
    #: The change starts on or before ``billed_to``, the last day of a released bill's period (``bill_no``).
    CUSTOMER_TERMS_BILLED = "CUSTOMER_TERMS_BILLED"
    #: The customer already has terms from ``effective_from``: a change takes a date of its own.
    CUSTOMER_TERMS_DATE_TAKEN = "CUSTOMER_TERMS_DATE_TAKEN"
    #: A demand basis, kVA or contract demand (``field``) for a customer whose tariff (``tariff_code``) is single-part.
    CUSTOMER_TERMS_NOT_TWO_PART = "CUSTOMER_TERMS_NOT_TWO_PART"
    #: A two-part tariff's terms lack ``field`` (the demand basis, or the kVA / contract demand its basis needs).
    CUSTOMER_TERMS_FIGURE_MISSING = "CUSTOMER_TERMS_FIGURE_MISSING"
    #: A kVA or kW figure (``field``) of zero or below (``value``).
    CUSTOMER_TERMS_FIGURE_NOT_POSITIVE = "CUSTOMER_TERMS_FIGURE_NOT_POSITIVE"
    #: A household adjustment for a customer that is not residential (``category``).
    CUSTOMER_TERMS_HOUSEHOLD_NOT_RESIDENTIAL = "CUSTOMER_TERMS_HOUSEHOLD_NOT_RESIDENTIAL"
    #: A tier cycle start for a customer whose tariff (``tariff_code``) has no annual tiers.
    CUSTOMER_TERMS_NO_ANNUAL_TIERS = "CUSTOMER_TERMS_NO_ANNUAL_TIERS"
    #: A household adjustment the tariff's versions from the date on cannot price (``refusal``: household_tiers,
    #: no_shared_meter_price, as ``server.pricing`` would refuse it at the bill run).
    CUSTOMER_TERMS_HOUSEHOLD_NOT_PRICEABLE = "CUSTOMER_TERMS_HOUSEHOLD_NOT_PRICEABLE"
    # handheld (issue 13, helper "handheld"): route book packages and returned readings
    #: The returned file is empty.
    HANDHELD_FILE_EMPTY = "HANDHELD_FILE_EMPTY"
    #: The file (``size`` bytes) is over ``limit``: refused before it is read.
    HANDHELD_FILE_TOO_LARGE = "HANDHELD_FILE_TOO_LARGE"
    #: The file is not text in ``encoding`` (UTF-8 for JSON; UTF-8 or GB18030 for CSV) at ``offset`` or ``line``.
    HANDHELD_FILE_ENCODING = "HANDHELD_FILE_ENCODING"
    #: The file cannot be read (cut short or not a package) at ``line``, ``field``.
    HANDHELD_FILE_DAMAGED = "HANDHELD_FILE_DAMAGED"
    #: The file's ``format`` (``found``) is not gridcounter.book/1.
    HANDHELD_FORMAT_UNSUPPORTED = "HANDHELD_FORMAT_UNSUPPORTED"
    #: A CSV column (``column``) is ``problem``: missing, extra, duplicate, or a row (``line``) of another width.
    HANDHELD_CSV_COLUMNS = "HANDHELD_CSV_COLUMNS"
    #: The package's HMAC does not match (``package_id``): changed or cut after download.
    HANDHELD_SIGNATURE_INVALID = "HANDHELD_SIGNATURE_INVALID"
    #: No package ``package_id`` was downloaded from this server.
    HANDHELD_PACKAGE_UNKNOWN = "HANDHELD_PACKAGE_UNKNOWN"
    #: The package ``package_id`` was downloaded by another reader (``reader``).
    HANDHELD_FOREIGN_READER = "HANDHELD_FOREIGN_READER"
    #: The book ``book_code`` is not the signed-in reader's.
    HANDHELD_FOREIGN_BOOK = "HANDHELD_FOREIGN_BOOK"
    #: No reading book ``book_code``.
    HANDHELD_BOOK_NOT_FOUND = "HANDHELD_BOOK_NOT_FOUND"
    #: The book ``book_code`` is accepted for ``period``: no new package.
    HANDHELD_BOOK_ACCEPTED = "HANDHELD_BOOK_ACCEPTED"
    #: Every record of package ``package_id`` is accepted already (a second upload).
    HANDHELD_PACKAGE_ACCEPTED = "HANDHELD_PACKAGE_ACCEPTED"
    #: Record ``seq`` (``customer_no``) has an error (``finding``, ``field``): only a re-read can be ordered.
    HANDHELD_DECISION_REFUSED = "HANDHELD_DECISION_REFUSED"
    #: Record ``seq`` is accepted with a note but has none.
    HANDHELD_DECISION_NOTE_MISSING = "HANDHELD_DECISION_NOTE_MISSING"
    #: A decision names record ``seq``, which the package lacks.
    HANDHELD_DECISION_UNKNOWN_RECORD = "HANDHELD_DECISION_UNKNOWN_RECORD"
    #: Two decisions name record ``seq``.
    HANDHELD_DECISION_DUPLICATE = "HANDHELD_DECISION_DUPLICATE"
    #: Record ``seq`` (``customer_no``) has no previous consumption to estimate by.
    HANDHELD_ESTIMATE_UNAVAILABLE = "HANDHELD_ESTIMATE_UNAVAILABLE"
    #: client side only: a queued acceptance of package ``package_id`` was replayed after records ``seqs``
    #: (``repeated`` of them) had been accepted by another acceptance; their first result stands, ``written``
    #: others were accepted by this one.
    HANDHELD_ACCEPTED_ELSEWHERE = "HANDHELD_ACCEPTED_ELSEWHERE"
    # reading books (issue 13, helper "super"): the billing clerk assigns books to meter readers
    #: No reading book ``book_code`` in the caller's hall.
    READING_BOOK_NOT_FOUND = "READING_BOOK_NOT_FOUND"
    #: No user ``reader``.
    READING_BOOK_READER_UNKNOWN = "READING_BOOK_READER_UNKNOWN"
    #: User ``reader`` is a ``role``, not a meter reader.
    READING_BOOK_NOT_METER_READER = "READING_BOOK_NOT_METER_READER"
    #: Meter reader ``reader`` is deactivated.
    READING_BOOK_READER_INACTIVE = "READING_BOOK_READER_INACTIVE"
    #: Meter reader ``reader`` works in another hall than book ``book_code``.
    READING_BOOK_READER_OTHER_HALL = "READING_BOOK_READER_OTHER_HALL"
    #: Reading day ``reading_day`` is outside ``low``–``high``.
    READING_BOOK_DAY_OUT_OF_RANGE = "READING_BOOK_DAY_OUT_OF_RANGE"
    #: Window ``window_days`` is outside ``low``–``high`` days.
    READING_BOOK_WINDOW_OUT_OF_RANGE = "READING_BOOK_WINDOW_OUT_OF_RANGE"
    # prepaid IC cards (issue 14)
    #: The card's ``field`` does not decode (``problem``).
    CARD_UNREADABLE = "CARD_UNREADABLE"
    #: A preset (factory/test) card ``serial``: never sold onto.
    CARD_PRESET = "CARD_PRESET"
    #: Card ``serial`` is not blank and not registered to any customer.
    CARD_UNKNOWN = "CARD_UNKNOWN"
    #: Card ``serial`` is customer ``card_customer_no``'s, not ``customer_no``'s.
    CARD_OTHER_CUSTOMER = "CARD_OTHER_CUSTOMER"
    #: Card ``serial`` was replaced on ``retired_on`` (补卡): refused.
    CARD_RETIRED = "CARD_RETIRED"
    #: A blank card where the customer's card ``customer_no`` is expected.
    CARD_BLANK = "CARD_BLANK"
    #: Opening or replacement needs a blank card; card ``serial`` is not.
    CARD_NOT_BLANK = "CARD_NOT_BLANK"
    #: The wallet on card ``serial`` does not carry a valid MAC.
    CARD_WALLET_MAC_BAD = "CARD_WALLET_MAC_BAD"
    #: The card's purchase count ``card_count`` cannot follow the books' ``system_count``.
    CARD_COUNT_MISMATCH = "CARD_COUNT_MISMATCH"
    #: Card ``serial`` still holds purchase ``purchase_count`` the meter has not credited.
    CARD_PURCHASE_NOT_INSERTED = "CARD_PURCHASE_NOT_INSERTED"
    #: Customer ``customer_no`` has purchase ``purchase_count`` waiting for its write.
    CARD_PENDING_WRITE = "CARD_PENDING_WRITE"
    #: No pending write ``purchase_count`` for customer ``customer_no``.
    CARD_NO_PENDING_WRITE = "CARD_NO_PENDING_WRITE"
    #: The card read back does not hold pending write ``purchase_count``.
    CARD_WRITE_NOT_ON_CARD = "CARD_WRITE_NOT_ON_CARD"
    #: A card sale of ``amount_fen`` is below the minimum ``min_fen``.
    CARD_AMOUNT_BELOW_MIN = "CARD_AMOUNT_BELOW_MIN"
    #: A card sale of ``amount_fen`` is above the maximum ``max_fen``.
    CARD_AMOUNT_ABOVE_MAX = "CARD_AMOUNT_ABOVE_MAX"
    #: Remaining ``remaining_fen`` + ``amount_fen`` would pass the hoarding limit ``limit_fen``.
    CARD_HOARDING_LIMIT = "CARD_HOARDING_LIMIT"
    #: Customer ``customer_no`` does not pay by prepaid card (``payment_mode``).
    CARD_NOT_PREPAID = "CARD_NOT_PREPAID"
    #: Customer ``customer_no`` already has card ``serial``: replace it instead.
    CARD_ALREADY_ISSUED = "CARD_ALREADY_ISSUED"
    #: Customer ``customer_no`` has no card yet: open one first.
    CARD_NONE_ISSUED = "CARD_NONE_ISSUED"
    #: Customer number ``customer_no`` or meter ``meter_no`` does not fit the card's 12 digits.
    CARD_CUSTOMER_UNFIT = "CARD_CUSTOMER_UNFIT"
    #: Customer ``customer_no`` has no meter in service to sell for.
    CARD_NO_METER = "CARD_NO_METER"
    #: The card is for meter ``card_meter_no``, the customer's meter is ``meter_no``.
    CARD_METER_MISMATCH = "CARD_METER_MISMATCH"
    #: The key service cannot serve key version ``key_version`` now.
    CARD_KEYS_UNAVAILABLE = "CARD_KEYS_UNAVAILABLE"
    #: Purchase ``purchase_count`` is credited or not reversible (``reason``): refund workflow.
    CARD_REVERSAL_REFUSED = "CARD_REVERSAL_REFUSED"
    #: Receipt ``receipt_no`` is a card sale: reversed only by card.reverse_sale.
    CARD_SALE_USE_CARD_REVERSAL = "CARD_SALE_USE_CARD_REVERSAL"
    #: The payment ``amount_fen`` only covers the arrears ``arrears_fen``.
    CARD_NOTHING_TO_WRITE = "CARD_NOTHING_TO_WRITE"


#: HTTP status per code; a code missing here travels as 400.
HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.MALFORMED_REQUEST: 400,
    ErrorCode.INVALID_REQUEST: 422,
    ErrorCode.FEN_NOT_INTEGER: 422,
    ErrorCode.REQUEST_TOO_LARGE: 413,
    ErrorCode.UNKNOWN_METHOD: 404,
    # 400, not 426: a generated client handles a documented 400; the code says "update the counter software".
    ErrorCode.CONTRACT_VERSION_UNSUPPORTED: 400,
    ErrorCode.IDEMPOTENCY_KEY_REQUIRED: 400,
    ErrorCode.IDEMPOTENCY_KEY_REUSED: 409,
    ErrorCode.NOT_AUTHENTICATED: 401,
    ErrorCode.INVALID_CREDENTIALS: 401,
    ErrorCode.ACCOUNT_LOCKED: 423,
    ErrorCode.ACCOUNT_DISABLED: 403,
    ErrorCode.SESSION_EXPIRED: 401,
    ErrorCode.SESSION_INVALID: 401,
    ErrorCode.SESSION_WRONG_COUNTER: 401,
    ErrorCode.UNKNOWN_COUNTER: 401,
    ErrorCode.COUNTER_NOT_IN_SCOPE: 403,
    ErrorCode.DEVICE_NOT_ENROLLED: 401,
    ErrorCode.DEVICE_KEY_INVALID: 401,
    ErrorCode.PASSWORD_TOO_WEAK: 422,
    ErrorCode.PASSWORD_UNCHANGED: 422,
    ErrorCode.UNLOCK_SELF: 403,
    ErrorCode.PERMISSION_DENIED: 403,
    ErrorCode.COSIGN_REQUIRED: 403,
    ErrorCode.COSIGN_INVALID: 403,
    ErrorCode.COSIGN_NOT_AUTHORIZED: 403,
    ErrorCode.COSIGN_SAME_USER: 403,
    ErrorCode.COSIGN_ATTESTED_NOT_REPLAYED: 403,
    ErrorCode.USER_NOT_FOUND: 404,
    ErrorCode.USERNAME_TAKEN: 409,
    ErrorCode.ORG_UNIT_NOT_FOUND: 404,
    ErrorCode.CUSTOMER_NOT_FOUND: 404,
    ErrorCode.CUSTOMER_CLOSED: 409,
    ErrorCode.SEARCH_QUERY_INVALID: 422,
    ErrorCode.AMOUNT_NOT_POSITIVE: 422,
    ErrorCode.AMOUNT_TOO_LARGE: 422,
    ErrorCode.LOCAL_TIME_IMPLAUSIBLE: 422,
    ErrorCode.CASH_TENDERED_TOO_LOW: 422,
    ErrorCode.TENDER_INVALID: 422,
    ErrorCode.TENDER_REFERENCE_REQUIRED: 422,
    ErrorCode.DUE_CHANGED: 409,
    ErrorCode.RECEIPT_NO_INVALID: 422,
    ErrorCode.RECEIPT_NO_TAKEN: 409,
    ErrorCode.RECEIPT_SEQ_OUT_OF_WINDOW: 422,
    ErrorCode.RECEIPT_NOT_FOUND: 404,
    ErrorCode.ALREADY_VOIDED: 409,
    ErrorCode.VOID_NOT_SAME_DAY: 409,
    ErrorCode.VOID_NOT_SAME_CASHIER: 403,
    ErrorCode.VOID_SHIFT_CLOSED: 409,
    ErrorCode.NO_OPEN_SHIFT: 409,
    ErrorCode.SHIFT_ALREADY_OPEN: 409,
    ErrorCode.SHIFT_NOT_FOUND: 404,
    ErrorCode.SHIFT_NOT_OWN: 403,
    ErrorCode.SHIFT_CLOSED: 409,
    ErrorCode.SHIFT_NO_INVALID: 422,
    ErrorCode.DENOMINATION_INVALID: 422,
    ErrorCode.CASH_DIFFERENCE_NEEDS_APPROVAL: 403,
    ErrorCode.UNSENT_NEEDS_SUPERVISOR: 403,
    ErrorCode.ATTENTION_NOT_FOUND: 404,
    ErrorCode.ATTENTION_OTHER_HALL: 403,
    ErrorCode.ALREADY_ACKNOWLEDGED: 409,
    ErrorCode.SERVICE_UNAVAILABLE: 503,
    ErrorCode.INTERNAL_ERROR: 500,
    # billrun (issue 12)
    ErrorCode.BOOK_NOT_FOUND: 404,
    ErrorCode.BILL_RUN_NOT_FOUND: 404,
    ErrorCode.BILL_RUN_RELEASED: 409,
    ErrorCode.BILL_RUN_ALREADY_RELEASED: 409,
    ErrorCode.BILL_RUN_CALCULATING: 409,
    ErrorCode.BILL_DRAFT_NOT_FOUND: 404,
    ErrorCode.BILL_DRAFT_HELD: 409,
    ErrorCode.BILL_DRAFT_NOT_HELD: 409,
    ErrorCode.BILL_DRAFT_RELEASED: 409,
    ErrorCode.BILL_DRAFT_NOT_PRICED: 409,
    ErrorCode.BILL_NOT_FOUND: 404,
    ErrorCode.BILL_ALREADY_CORRECTED: 409,
    ErrorCode.BILL_NOT_PRICEABLE: 409,
    ErrorCode.CORRECTION_CHANGES_NOTHING: 409,
    # tariffs
    ErrorCode.TARIFF_NOT_FOUND: 404,
    ErrorCode.TARIFF_VERSION_OVERLAP: 409,
    ErrorCode.TARIFF_VERSION_GAP: 409,
    ErrorCode.TARIFF_VERSION_BILLED: 409,
    ErrorCode.TARIFF_NO_VERSION: 422,
    ErrorCode.PRICE_NOT_DECIMAL: 422,
    ErrorCode.PRICING_REFUSED: 422,
    # readings
    ErrorCode.METER_NOT_FOUND: 404,
    ErrorCode.METER_CLOSED: 409,
    ErrorCode.READING_DATE_INVALID: 422,
    ErrorCode.READING_REGISTER_MISSING: 422,
    ErrorCode.READING_REGISTER_UNKNOWN: 422,
    ErrorCode.READING_BELOW_PREVIOUS: 409,
    ErrorCode.READING_EXISTS: 409,
    ErrorCode.READING_NOT_FOUND: 404,
    ErrorCode.READING_ALREADY_CORRECTED: 409,
    ErrorCode.READING_CORRECTION_MISMATCH: 422,
    ErrorCode.METER_CHANGE_INVALID: 422,
    ErrorCode.READING_PERIOD_INVALID: 422,
    ErrorCode.READING_VALUES_NOT_EXPECTED: 422,
    ErrorCode.TARIFF_VERSION_INVALID: 422,
    ErrorCode.QUOTE_SOURCE_INVALID: 422,
    ErrorCode.PERIOD_ENDS_BEFORE_START: 422,
    # meter
    ErrorCode.METER_ASSET_IN_USE: 409,
    ErrorCode.METER_CHANGE_PERIOD_RELEASED: 409,
    ErrorCode.METER_REGISTERS_INSUFFICIENT: 422,
    ErrorCode.METER_SPEC_INVALID: 422,
    # terms (helper "terms")
    ErrorCode.CUSTOMER_TERMS_BILLED: 409,
    ErrorCode.CUSTOMER_TERMS_DATE_TAKEN: 409,
    ErrorCode.CUSTOMER_TERMS_NOT_TWO_PART: 422,
    ErrorCode.CUSTOMER_TERMS_FIGURE_MISSING: 422,
    ErrorCode.CUSTOMER_TERMS_FIGURE_NOT_POSITIVE: 422,
    ErrorCode.CUSTOMER_TERMS_HOUSEHOLD_NOT_RESIDENTIAL: 422,
    ErrorCode.CUSTOMER_TERMS_NO_ANNUAL_TIERS: 422,
    ErrorCode.CUSTOMER_TERMS_HOUSEHOLD_NOT_PRICEABLE: 422,
    # handheld (helper "handheld")
    ErrorCode.HANDHELD_FILE_EMPTY: 422,
    ErrorCode.HANDHELD_FILE_TOO_LARGE: 413,
    ErrorCode.HANDHELD_FILE_ENCODING: 422,
    ErrorCode.HANDHELD_FILE_DAMAGED: 422,
    ErrorCode.HANDHELD_FORMAT_UNSUPPORTED: 422,
    ErrorCode.HANDHELD_CSV_COLUMNS: 422,
    ErrorCode.HANDHELD_SIGNATURE_INVALID: 422,
    ErrorCode.HANDHELD_PACKAGE_UNKNOWN: 404,
    ErrorCode.HANDHELD_FOREIGN_READER: 403,
    ErrorCode.HANDHELD_FOREIGN_BOOK: 403,
    ErrorCode.HANDHELD_BOOK_NOT_FOUND: 404,
    ErrorCode.HANDHELD_BOOK_ACCEPTED: 409,
    ErrorCode.HANDHELD_PACKAGE_ACCEPTED: 409,
    ErrorCode.HANDHELD_DECISION_REFUSED: 422,
    ErrorCode.HANDHELD_DECISION_NOTE_MISSING: 422,
    ErrorCode.HANDHELD_DECISION_UNKNOWN_RECORD: 422,
    ErrorCode.HANDHELD_DECISION_DUPLICATE: 422,
    ErrorCode.HANDHELD_ESTIMATE_UNAVAILABLE: 422,
    ErrorCode.READING_BOOK_NOT_FOUND: 404,
    ErrorCode.READING_BOOK_READER_UNKNOWN: 422,
    ErrorCode.READING_BOOK_NOT_METER_READER: 422,
    ErrorCode.READING_BOOK_READER_INACTIVE: 422,
    ErrorCode.READING_BOOK_READER_OTHER_HALL: 422,
    ErrorCode.READING_BOOK_DAY_OUT_OF_RANGE: 422,
    ErrorCode.READING_BOOK_WINDOW_OUT_OF_RANGE: 422,
    ErrorCode.CARD_UNREADABLE: 422,
    ErrorCode.CARD_PRESET: 422,
    ErrorCode.CARD_UNKNOWN: 404,
    ErrorCode.CARD_OTHER_CUSTOMER: 409,
    ErrorCode.CARD_RETIRED: 409,
    ErrorCode.CARD_BLANK: 409,
    ErrorCode.CARD_NOT_BLANK: 409,
    ErrorCode.CARD_WALLET_MAC_BAD: 409,
    ErrorCode.CARD_COUNT_MISMATCH: 409,
    ErrorCode.CARD_PURCHASE_NOT_INSERTED: 409,
    ErrorCode.CARD_PENDING_WRITE: 409,
    ErrorCode.CARD_NO_PENDING_WRITE: 409,
    ErrorCode.CARD_WRITE_NOT_ON_CARD: 409,
    ErrorCode.CARD_AMOUNT_BELOW_MIN: 422,
    ErrorCode.CARD_AMOUNT_ABOVE_MAX: 422,
    ErrorCode.CARD_HOARDING_LIMIT: 422,
    ErrorCode.CARD_NOT_PREPAID: 409,
    ErrorCode.CARD_ALREADY_ISSUED: 409,
    ErrorCode.CARD_NONE_ISSUED: 409,
    ErrorCode.CARD_CUSTOMER_UNFIT: 422,
    ErrorCode.CARD_NO_METER: 409,
    ErrorCode.CARD_METER_MISMATCH: 409,
    ErrorCode.CARD_KEYS_UNAVAILABLE: 503,
    ErrorCode.CARD_REVERSAL_REFUSED: 409,
    ErrorCode.CARD_SALE_USE_CARD_REVERSAL: 409,
    ErrorCode.CARD_NOTHING_TO_WRITE: 422,
}

#: Codes the server may send; the rest are raised by the client's transport.
CLIENT_ONLY_CODES = frozenset(
    {ErrorCode.NETWORK_UNREACHABLE, ErrorCode.NETWORK_TIMEOUT, ErrorCode.TLS_UNTRUSTED, ErrorCode.BAD_RESPONSE,
     ErrorCode.OFFLINE_SIGN_IN_UNKNOWN, ErrorCode.OFFLINE_SIGN_IN_EXPIRED, ErrorCode.OFFLINE_SIGN_IN_LOCKED,
     ErrorCode.HANDHELD_ACCEPTED_ELSEWHERE}
)

ParamValue = str | int


class ErrorPayload(BaseModel):
    """The body of every failed call: a code, its parameters, and a reference for the log."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: ErrorCode
    params: dict[str, ParamValue] = Field(default_factory=dict)
    ref: str | None = None


class ErrorEnvelope(BaseModel):
    """Wire form: ``{"error": {"code": ..., "params": {...}, "ref": ...}}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    error: ErrorPayload
