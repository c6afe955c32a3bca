"""Demo data (the package's public entry): an organization, its users, tariffs and N customers with books.

A province with 2 cities, 4 halls, 8 counters, users of every role, a tariff of every kind, reading books
and N customers with meters, a year of readings per register (some anomalies of each kind), bills released
by bill runs, payments, some arrears and some prepayment, and one book's last run left for review.

One job per module: ``org.py`` the organization and users, ``tariffs.py`` the tariffs, ``people.py`` names
and ID numbers, ``customers.py`` customers and meters, ``readings.py`` readings per register,
``payments.py`` the payment history in the ledger, ``load.py`` the one-transaction load and the bill runs.
"""

from __future__ import annotations

from server.demo_data.load import DemoDataError, DemoSummary, has_data, load_demo_data
from server.demo_data.org import DEMO_PASSWORD, DEMO_USERS
from server.demo_data.people import id_check_digit

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "DemoDataError", "DemoSummary", "has_data", "id_check_digit",
           "load_demo_data"]
