"""Customer profile (the full search and 360 view come with the cashier desk)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from shared_models.ids import CustomerNoField
from shared_models.money import FenField
from shared_models.roles import Perm
from shared_models.rpc import Model, Mutation, Query, register


class CustomerCategory(StrEnum):
    """Sales-price class (DOMAIN §10)."""

    RESIDENTIAL = "residential"
    AGRICULTURAL = "agricultural"
    COMMERCIAL = "commercial"


class CustomerStatus(StrEnum):
    """Supply status."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class PaymentMode(StrEnum):
    """How the customer pays."""

    POSTPAID = "postpaid"
    PREPAID_CARD = "prepaid_card"
    REMOTE_PREPAID = "remote_prepaid"


class MeterInfo(Model):
    """A meter of the customer."""

    asset_no: str
    multiplier: int
    digits: int


class CustomerProfile(Model):
    """The customer's master data; the ID number only ever travels masked."""

    customer_no: str
    name: str
    address: str
    phone: str
    id_number_masked: str
    category: CustomerCategory
    status: CustomerStatus
    payment_mode: PaymentMode
    hall_code: str
    tariff_name: str
    meters: list[MeterInfo]
    balance_fen: FenField


class RecentPayment(Model):
    """One of the customer's latest payments."""

    receipt_no: str
    paid_at: dt.datetime
    amount_fen: FenField
    methods: list[str]
    counter_code: str
    voided: bool


class GetCustomerRequest(Model):
    """A customer by 户号."""

    customer_no: CustomerNoField


class UpdateContactRequest(Model):
    """New contact phone for a customer."""

    customer_no: CustomerNoField
    phone: Annotated[str, Field(min_length=5, max_length=20, pattern=r"^[0-9+\- ]+$")]


GET_CUSTOMER = register(
    Query("customer.get_customer", GetCustomerRequest, CustomerProfile, permission=Perm.VIEW_CUSTOMERS,
          summary="A customer's profile, meters and balance.")
)
UPDATE_CONTACT = register(
    Mutation("customer.update_contact", UpdateContactRequest, CustomerProfile, permission=Perm.EDIT_CUSTOMERS,
             summary="Change a customer's contact phone.")
)


class SearchKind(StrEnum):
    """What a search key is. The client recognises it from the text; the server trusts only the text."""

    CUSTOMER_NO = "customer_no"  # 10 or 13 digits, exact
    BARCODE = "barcode"  # a bill barcode: the 户号 inside it
    PHONE = "phone"  # 5–11 digits, exact or trailing digits
    METER = "meter"  # a meter asset number
    NAME = "name"  # name fragment (two characters and up)
    ADDRESS = "address"  # address fragment (two characters and up)


class SearchRequest(Model):
    """One search box: ``kind`` None lets the server recognise the key."""

    query: Annotated[str, Field(strict=True, min_length=1, max_length=64)]
    kind: SearchKind | None = None
    offset: Annotated[int, Field(strict=True, ge=0, le=10_000)] = 0
    limit: Annotated[int, Field(strict=True, ge=1, le=100)] = 50


class SearchHit(Model):
    """One customer found, in rank order."""

    customer_no: str
    name: str
    address: str
    phone: str
    status: CustomerStatus
    category: CustomerCategory
    payment_mode: PaymentMode
    meter_no: str
    hall_code: str


class SearchResult(Model):
    """A page of ranked hits; ``has_more`` says whether the next page has any."""

    kind: SearchKind
    query: str
    items: list[SearchHit]
    offset: int
    has_more: bool


class OpenBillView(Model):
    """An open bill with its late fee to today (DOMAIN §5)."""

    bill_no: str
    period: int
    kwh: str
    amount_fen: FenField
    principal_open_fen: FenField
    issued_on: dt.date
    due_on: dt.date
    late_days: int
    late_fee_fen: FenField


class CustomerOverview(Model):
    """The 360 view: profile, meters, open bills with late fees, prepayment, recent payments."""

    profile: CustomerProfile
    open_bills: list[OpenBillView]
    arrears_fen: FenField
    late_fee_fen: FenField
    due_fen: FenField
    prepayment_fen: FenField
    recent_payments: list[RecentPayment]
    #: The card of a prepaid-card customer: None until card sales (C8) issue one.
    card_status: str | None
    as_of: dt.date


SEARCH = register(
    Query("customer.search_customers", SearchRequest, SearchResult, permission=Perm.VIEW_CUSTOMERS,
          summary="Ranked, paged search by 户号, barcode, name, address, phone or meter number.")
)
OVERVIEW = register(
    Query("customer.get_overview", GetCustomerRequest, CustomerOverview, permission=Perm.VIEW_CUSTOMERS,
          summary="The 360 view of a customer with late fees to today.")
)
