"""Customer terms (计费参数) on the wire: read a customer's terms and their history, add a dated change.

A customer's terms are what pricing is told about the customer besides its usage (``server.models.terms``,
migration 0013): for a two-part tariff the demand basis (capacity kVA, maximum demand or contract demand) and its
figures, the first day of an annual tier cycle, and a household adjustment (一户多人口, 合表 price, 低保/五保 free
kWh). They are dated and append-only: ``customer.set_terms`` adds the whole terms in force from
``effective_from`` (a new row; nothing is changed in place), with the reason the billing clerk gives. The bill run
prices a period with the row in force on the period's last day, so a change is refused for a date on or before
the last day of a period the customer already has a released bill for (``billed_to``): a released bill is never
priced again (a correction is a 退补). Figures that make no sense for the customer's tariff are refused, each with
its own code (``CUSTOMER_TERMS_*``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Final

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from shared_models.cross_field import cross_field
from shared_models.errors import ErrorCode
from shared_models.ids import NO_NUL_PATTERN, CustomerNoField
from shared_models.methods.customers import CustomerCategory
from shared_models.pricing import HouseholdAdjustment
from shared_models.roles import Perm
from shared_models.rpc import Model, Mutation, Query, register
from shared_models.tariffs import DemandBasis, Kwh

#: A kVA or kW figure as typed: a decimal string with at most two places; a sign is let through the schema so a
#: negative figure gets its own refusal (CUSTOMER_TERMS_FIGURE_NOT_POSITIVE) instead of a pattern mismatch.
FIGURE_PATTERN: Final = r"^-?[0-9]{1,12}(\.[0-9]{1,2})?$"
_FIGURE = re.compile(FIGURE_PATTERN)


def _figure(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str):  # a float would carry binary noise into the terms
        raise ValueError(f"give kVA and kW as a decimal string such as \"315\", not {type(value).__name__}")
    if not _FIGURE.fullmatch(value):
        raise PydanticCustomError("string_pattern_mismatch", "String should match pattern '{pattern}'",
                                  {"pattern": FIGURE_PATTERN})
    return Decimal(value)


#: kVA or kW of a terms change (checked above zero by :class:`SetTermsRequest`).
TermsFigure = Annotated[Decimal, BeforeValidator(_figure),
                        WithJsonSchema({"type": "string", "pattern": FIGURE_PATTERN}),
                        PlainSerializer(lambda d: format(d, "f"), return_type=str)]
#: Why the terms change: free text the clerk types (the contract, the application it comes from).
TermsReasonField = Annotated[str, Field(strict=True, min_length=1, max_length=200, pattern=NO_NUL_PATTERN)]


class TermsEntry(Model):
    """One stored row of a customer's terms: the whole terms in force from ``effective_from`` (until a later
    row), who recorded it and why (None for rows written by the demo or a migration, without an audit record)."""

    effective_from: dt.date
    demand_basis: DemandBasis | None
    capacity_kva: Kwh | None
    contract_demand_kw: Kwh | None
    tier_cycle_start: dt.date | None
    household: HouseholdAdjustment | None
    recorded_at: dt.datetime
    recorded_by: str | None
    reason: str | None


class GetTermsRequest(Model):
    """A customer's terms by 户号."""

    customer_no: CustomerNoField


class CustomerTermsView(Model):
    """A customer's terms: what its tariff asks for, the row in force today and every row, newest first."""

    customer_no: str
    customer_name: str
    category: CustomerCategory
    tariff_code: str
    tariff_name: str
    #: The tariff has a basic charge (两部制): the terms need a demand basis and its figures.
    two_part: bool
    #: Some version of the tariff in force from today on has annual tiers: a tier cycle start is meaningful.
    annual_tiers: bool
    #: The last day of the newest period the customer has a released bill for: a change starts after it.
    billed_to: dt.date | None
    #: The terms in force today (None: none stored, or only future ones).
    current: TermsEntry | None
    #: Every stored row, newest ``effective_from`` first (future-dated ones included).
    history: list[TermsEntry]


class SetTermsRequest(Model):
    """The customer's whole terms from ``effective_from`` on (fields left out are "none"), and why."""

    customer_no: CustomerNoField
    effective_from: dt.date
    demand_basis: DemandBasis | None = None
    capacity_kva: TermsFigure | None = None
    contract_demand_kw: TermsFigure | None = None
    tier_cycle_start: dt.date | None = None
    household: HouseholdAdjustment | None = None
    reason: TermsReasonField

    @model_validator(mode="after")
    def _figures_above_zero(self) -> SetTermsRequest:
        for name in ("capacity_kva", "contract_demand_kw"):
            value: Decimal | None = getattr(self, name)
            if value is not None and value <= 0:
                raise cross_field(ErrorCode.CUSTOMER_TERMS_FIGURE_NOT_POSITIVE,
                                  "{field} must be above zero: {value}", field=name, value=format(value, "f"))
        return self


GET_TERMS = register(Query(
    "customer.get_terms", GetTermsRequest, CustomerTermsView, permission=Perm.VIEW_CUSTOMERS,
    summary="A customer's terms (计费参数): the row in force today and every dated row, with who and why."))
SET_TERMS = register(Mutation(
    "customer.set_terms", SetTermsRequest, CustomerTermsView, permission=Perm.BILLING,
    summary="Add a customer's terms from a date on (after its billed periods), checked against its tariff."))
