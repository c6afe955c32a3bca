"""Tariffs on the wire (SPEC C5, issue 12 items 1 and 5): tariff codes with their dated versions, adding a
version, and the 测算电费 calculator.

A tariff code's prices are its versions' documents (``shared_models.tariffs.TariffVersionDoc``), shown as
they are stored. ``tariff.add_version`` adds the next version of a code: it starts the day after every day
a released bill has priced, and the version open until then is closed the day before it (the server
checks that versions neither overlap nor leave a gap). ``tariff.quote_bill`` prices a period's consumption
against a tariff code (its versions in force over the period) or against a version given inline, with the
one pricing function the bill run uses, and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, model_validator

from shared_models.methods.customers import CustomerCategory
from shared_models.pricing import CustomerTerms, PricedBill, Usage
from shared_models.roles import Perm
from shared_models.rpc import Model, Mutation, Query, register
from shared_models.tariffs import TariffHeader, TariffVersionDoc

TariffCodeField = Annotated[str, Field(min_length=1, max_length=32)]


class ListTariffsRequest(Model):
    """The tariff codes, all or those of one customer category."""

    category: CustomerCategory | None = None


class TariffSummary(TariffHeader):
    """A tariff code in the list: its header, how many versions it has and the newest one's start."""

    version_count: Annotated[int, Field(strict=True, ge=0)]
    latest_from: dt.date | None


class TariffList(Model):
    """The answer to ``tariff.list_tariffs``: codes in code order."""

    tariffs: list[TariffSummary]


class GetTariffRequest(Model):
    """One tariff code."""

    code: TariffCodeField


class TariffDetail(Model):
    """A tariff code, its versions oldest first (each with its last day; the newest may be open), and the
    last day a released bill has priced with it (a new version must start after it)."""

    header: TariffHeader
    versions: list[TariffVersionDoc]
    billed_to: dt.date | None


class AddVersionRequest(Model):
    """The next version of a tariff code (its ``effective_from`` after the last billed day)."""

    code: TariffCodeField
    version: TariffVersionDoc


class QuoteBillRequest(Model):
    """测算电费: a period's consumption priced against a tariff code or a version given inline (exactly one)."""

    tariff_code: TariffCodeField | None = None
    version: TariffVersionDoc | None = None
    usage: Usage
    terms: CustomerTerms = Field(default_factory=CustomerTerms)

    @model_validator(mode="after")
    def _one_source(self) -> QuoteBillRequest:
        if (self.tariff_code is None) == (self.version is None):
            raise ValueError("give either a tariff code or a tariff version")
        return self


LIST_TARIFFS = register(
    Query("tariff.list_tariffs", ListTariffsRequest, TariffList, permission=Perm.VIEW_CUSTOMERS,
          summary="The tariff codes (电价码) with their version counts.")
)
GET_TARIFF = register(
    Query("tariff.get_tariff", GetTariffRequest, TariffDetail, permission=Perm.VIEW_CUSTOMERS,
          summary="A tariff code with every version's document and the last billed day.")
)
ADD_VERSION = register(
    Mutation("tariff.add_version", AddVersionRequest, TariffDetail, permission=Perm.BILLING,
             summary="Add the next version of a tariff: it closes the open version the day before it starts.")
)
QUOTE_BILL = register(
    Query("tariff.quote_bill", QuoteBillRequest, PricedBill, permission=Perm.VIEW_CUSTOMERS,
          summary="测算电费: price a period's consumption against a tariff code or an inline version; "
                  "writes nothing.")
)
