"""Demo data (the package's public entry): an organization, its users, tariffs and N customers with books.

A province with 2 cities, 4 halls, 8 counters, users of every role, flat tariffs and N customers with
meters, a year of readings, bills, payments, some arrears and some prepayment.

Scales to a million customers for the benchmarks. One job per module: ``org.py`` the organization and
users, ``tariffs.py`` the tariffs, ``people.py`` names and ID numbers, ``customers.py`` customers and
meters, ``bills.py`` readings and bills (priced by ``shared_models.money.round_half_up_to_fen``),
``payments.py`` the payment history in the ledger, ``load.py`` the one-transaction bulk load.
"""

from __future__ import annotations

from server.demo_data.load import DemoDataError, DemoSummary, has_data, load_demo_data
from server.demo_data.org import DEMO_PASSWORD, DEMO_USERS
from server.demo_data.people import id_check_digit

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "DemoDataError", "DemoSummary", "has_data", "id_check_digit",
           "load_demo_data"]
