"""Method name → service function. The contract test checks every registry entry has one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from server.services import (
    admin,
    audit,
    auth,
    billruns,
    cache,
    cards,
    customers,
    overview,
    payments,
    search,
    settlement,
    shifts,
    voids,
)
from server.services import attention as attention_service
from server.services import customer_terms as customer_terms_service
from server.services import handheld as handheld_service
from server.services import reading_books as reading_books_service
from server.services import readings as readings_service
from server.services import tariffs as tariff_service
from shared_models.rpc import REGISTRY, load_all

Handler = Callable[..., Any]


def replay_batch(**_: Any) -> Any:
    """``outbox.replay_batch`` is run by the dispatcher itself: each queued call is a call of its own."""
    raise RuntimeError("outbox.replay_batch is dispatched by Dispatcher._replay_batch")


HANDLERS: dict[str, Handler] = {
    "system.handshake": auth.handshake,
    "auth.login": auth.login,
    "auth.logout": auth.logout,
    "auth.whoami": auth.whoami,
    "auth.change_password": auth.change_password,
    "admin.list_users": admin.list_users,
    "admin.create_user": admin.create_user,
    "admin.unlock_user": admin.unlock_user,
    "admin.reset_password": admin.reset_password,
    "admin.set_user_active": admin.set_user_active,
    "audit.list_records": audit.list_records,
    "audit.verify_chain": audit.verify_chain,
    "customer.get_customer": customers.get_customer,
    "customer.update_contact": customers.update_contact,
    "customer.search_customers": search.search_customers,
    "customer.get_overview": overview.get_overview,
    "customer.get_hall_changes": cache.get_hall_changes,
    "payment.get_quote": payments.get_quote,
    "payment.pay_bills": payments.pay_bills,
    "payment.get_receipt": payments.get_receipt,
    "payment.reprint_receipt": payments.reprint_receipt,
    "payment.void_payment": voids.void_payment,
    "payment.void_attested": voids.void_attested,
    "shift.get_current": shifts.get_current,
    "shift.open_shift": shifts.open_shift,
    "shift.get_summary": shifts.get_summary,
    "shift.close_shift": shifts.close_shift,
    "settlement.get_daily": settlement.get_daily,
    "sync.report_attention": attention_service.report_attention,
    "sync.list_attention": attention_service.list_attention,
    "sync.acknowledge_attention": attention_service.acknowledge_attention,
    "sync.acknowledge_damaged_outbox": attention_service.acknowledge_damaged_outbox,
    "outbox.replay_batch": replay_batch,
    "billrun.list_runs": billruns.list_runs,
    "billrun.get_run": billruns.get_run,
    "billrun.get_draft": billruns.get_draft,
    "billrun.calculate_run": billruns.calculate_run,
    "billrun.hold_bill": billruns.hold_bill,
    "billrun.release_bill": billruns.release_bill,
    "billrun.recalculate_bill": billruns.recalculate_bill,
    "billrun.release_run": billruns.release_run,
    "billrun.correct_bill": billruns.correct_bill,
    "bill.get_lines": billruns.get_lines,
    "tariff.list_tariffs": tariff_service.list_tariffs,
    "tariff.get_tariff": tariff_service.get_tariff,
    "tariff.add_version": tariff_service.add_version,
    "tariff.quote_bill": tariff_service.quote_bill,
    "reading.enter_reading": readings_service.enter_reading,
    "reading.list_readings": readings_service.list_readings,
    "reading.change_meter": readings_service.change_meter,
    "handheld.list_books": handheld_service.list_books,
    "handheld.download_book": handheld_service.download_book,
    "handheld.validate_upload": handheld_service.validate_upload,
    "handheld.accept_upload": handheld_service.accept_upload,
    "books.list_books": reading_books_service.list_books,
    "books.assign_book": reading_books_service.assign_book,
    "books.get_completion": reading_books_service.get_completion,
    "customer.get_terms": customer_terms_service.get_terms,
    "customer.set_terms": customer_terms_service.set_terms,
    "card.read_card": cards.read_card,
    "card.prepare_sale": cards.prepare_sale,
    "card.open_card": cards.open_card,
    "card.replace_card": cards.replace_card,
    "card.authenticate_write": cards.authenticate_write,
    "card.get_write_commands": cards.get_write_commands,
    "card.confirm_write": cards.confirm_write,
    "card.reverse_sale": cards.reverse_sale,
    "card.get_history": cards.get_history,
    "card.list_pending": cards.list_pending,
}


def check_complete() -> None:
    """Fail fast at start-up when a declared method has no handler or a handler no declaration."""
    load_all()
    missing = sorted(set(REGISTRY) - set(HANDLERS))
    extra = sorted(set(HANDLERS) - set(REGISTRY))
    if missing or extra:
        raise RuntimeError(f"RPC handlers out of step with the contract: missing {missing}, undeclared {extra}")
