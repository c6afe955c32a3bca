"""Customer profile (the full search and 360 view come with the cashier desk)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from shared_models.ids import CustomerNoField
from shared_models.money import FenField
from shared_models.roles import Perm
from shared_models.rpc import Model, Rpc, register


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
    category: str
    status: str
    payment_mode: str
    hall_code: str
    tariff_name: str
    meters: list[MeterInfo]
    balance_fen: FenField


class GetCustomerRequest(Model):
    """A customer by 户号."""

    customer_no: CustomerNoField


class UpdateContactRequest(Model):
    """New contact phone for a customer."""

    customer_no: CustomerNoField
    phone: Annotated[str, Field(min_length=5, max_length=20, pattern=r"^[0-9+\- ]+$")]


GET_CUSTOMER = register(
    Rpc("customer.get_customer", GetCustomerRequest, CustomerProfile, permission=Perm.VIEW_CUSTOMERS,
        mutating=False, summary="A customer's profile, meters and balance.")
)
UPDATE_CONTACT = register(
    Rpc("customer.update_contact", UpdateContactRequest, CustomerProfile, permission=Perm.EDIT_CUSTOMERS,
        mutating=True, summary="Change a customer's contact phone.")
)
