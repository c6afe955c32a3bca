"""What the card-sale screen says: one translated sentence for each way a card flow ends
(``client.core.card_flow``'s typed outcomes), for each reader or card problem, and for each step of the progress.

Sentences only, no decisions: the flow decides what happened, the screen decides what to offer next."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QCoreApplication

from client.core.card_flow import CardFailed, CardProblem, Done, NoAnswer, NotWritten, Refused, Reversed, Step
from client.ui.messages import error_message
from shared_models.errors import ErrorPayload
from shared_models.methods.cards import WriteKind
from shared_models.money import format_fen

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

CONTEXT: Final = "CardSaleWords"

_PROBLEMS: Final = {
    CardProblem.NO_READER: QT_TRANSLATE_NOOP(
        "CardSaleWords", "No card reader is connected to this counter. Plug the reader in."),
    CardProblem.NO_CARD: QT_TRANSLATE_NOOP(
        "CardSaleWords", "There is no card in the reader. Insert the customer's card and press F3."),
    CardProblem.CARD_REMOVED: QT_TRANSLATE_NOOP(
        "CardSaleWords", "The card was taken out of the reader. Put it back and leave it there until the screen "
        "says it is done."),
    CardProblem.CARD_RESET: QT_TRANSLATE_NOOP(
        "CardSaleWords", "The card was reset during the write. Leave it in the reader and try again."),
    CardProblem.UNKNOWN_CARD: QT_TRANSLATE_NOOP(
        "CardSaleWords", "This is not an electricity card of ours (it does not answer as one)."),
    CardProblem.OTHER_CARD: QT_TRANSLATE_NOOP(
        "CardSaleWords", "Another card is in the reader than the one read. Read the card again (F3)."),
    CardProblem.CARD_MALFORMED: QT_TRANSLATE_NOOP(
        "CardSaleWords", "The card's answer could not be read. Take the card out, put it back and press F3."),
    CardProblem.CARD_STATUS: QT_TRANSLATE_NOOP(
        "CardSaleWords", "The card refused the command (status {sw}). It may be damaged or not one of ours."),
    CardProblem.READER_FAULT: QT_TRANSLATE_NOOP(
        "CardSaleWords", "The card reader failed. Unplug it, plug it in again and press F3."),
    CardProblem.TIMEOUT: QT_TRANSLATE_NOOP(
        "CardSaleWords", "The card reader did not answer in time. Take the card out, put it back and press F3."),
}

_STEPS: Final = {
    Step.READING: QT_TRANSLATE_NOOP("CardSaleWords", "Reading the card…"),
    Step.PAYING: QT_TRANSLATE_NOOP("CardSaleWords", "Taking the payment…"),
    Step.PAID: QT_TRANSLATE_NOOP("CardSaleWords", "Payment booked (收款已记账)."),
    Step.AUTHENTICATING: QT_TRANSLATE_NOOP("CardSaleWords", "Authenticating the card…"),
    Step.WRITING: QT_TRANSLATE_NOOP("CardSaleWords", "Writing the card (写卡中)… leave it in the reader."),
    Step.WRITTEN: QT_TRANSLATE_NOOP("CardSaleWords", "Card written."),
    Step.VERIFYING: QT_TRANSLATE_NOOP("CardSaleWords", "Checking the card (校验中)…"),
    Step.VERIFIED: QT_TRANSLATE_NOOP("CardSaleWords", "Card checked."),
    Step.CONFIRMING: QT_TRANSLATE_NOOP("CardSaleWords", "Confirming with the center…"),
    Step.REVERSING: QT_TRANSLATE_NOOP("CardSaleWords", "Reversing the purchase…"),
    Step.DONE: QT_TRANSLATE_NOOP("CardSaleWords", "Done (完成)."),
}

#: The progress bar's position of each step (out of :data:`STEP_COUNT`).
STEP_ORDER: Final = {step: n for n, step in enumerate((
    Step.READING, Step.PAYING, Step.PAID, Step.AUTHENTICATING, Step.WRITING, Step.WRITTEN, Step.VERIFYING,
    Step.VERIFIED, Step.CONFIRMING, Step.DONE), start=1)} | {Step.REVERSING: 2}
STEP_COUNT: Final = 10


def _tr(source: str) -> str:
    return QCoreApplication.translate(CONTEXT, source)


def problem_text(problem: CardProblem, sw: int | None = None) -> str:
    """The reader's or card's problem in one sentence."""
    return _tr(_PROBLEMS[problem]).format(sw=f"{sw:04X}" if sw is not None else "—")


def step_text(step: Step) -> str:
    """What the flow is doing now."""
    return _tr(_STEPS[step])


def refusal_text(error: ErrorPayload) -> str:
    """The server's refusal (or the link's failure) as the code's sentence."""
    return error_message(error.code, error.params)


def offline_text() -> str:
    """The one sentence of the screen while the link is down (issue 14 point 8)."""
    return _tr(QT_TRANSLATE_NOOP(
        "CardSaleWords", "The link to the center is down: card sales, rewrites and reversals need it, because the "
        "card keys are kept at the center. No money can be taken for a card until the link returns."))


def not_written_text(*, amount_fen: int, count: int, receipt_no: str | None, why: str) -> str:
    """Money taken, card not written: what happened and what to do (补写卡)."""
    if receipt_no:
        text = _tr(QT_TRANSLATE_NOOP(
            "CardSaleWords", "Paid (receipt {receipt_no}), but purchase no. {count} of ¥{amount} is NOT on the card: "
            "{why} Put the card back and press F6 (补写卡): no new money is taken."))
    else:
        text = _tr(QT_TRANSLATE_NOOP(
            "CardSaleWords", "Purchase no. {count} of ¥{amount} is still NOT on the card: {why} Put the card back "
            "and press F6 (补写卡) again: no new money is taken."))
    return text.format(receipt_no=receipt_no or "", count=count, amount=format_fen(amount_fen), why=why)


def not_confirmed_text(*, count: int) -> str:
    """The card holds the purchase; the center has not confirmed it yet."""
    return _tr(QT_TRANSLATE_NOOP(
        "CardSaleWords", "Purchase no. {count} is on the card, but the center has not confirmed it yet. It is "
        "confirmed at the next read of the card (F3); the customer may take the card.")).format(count=count)


def no_answer_text() -> str:
    """The money step got no answer."""
    return _tr(QT_TRANSLATE_NOOP(
        "CardSaleWords", "The center did not answer: the payment may or may not be booked. Press F9 again without "
        "changing anything: the same sale is retried and never taken twice."))


def done_text(outcome: Done) -> str:
    """A write written, checked and confirmed: what was paid and what is on the card."""
    receipt, purchase = outcome.receipt, outcome.purchase
    if receipt is None:  # a rewrite, or a confirmation at the read
        text = _tr(QT_TRANSLATE_NOOP("CardSaleWords",
                                     "Purchase no. {count} of ¥{amount} is on the card and confirmed."))
    elif purchase.kind is WriteKind.OPENING:
        text = _tr(QT_TRANSLATE_NOOP("CardSaleWords", "Card opened, ¥{paid} paid: purchase no. {count} of ¥{amount} is "
                                     "on the card, receipt {receipt_no}."))
    elif purchase.kind is WriteKind.REPLACEMENT:
        text = _tr(QT_TRANSLATE_NOOP("CardSaleWords", "Replacement card written, fee ¥{paid} paid (receipt "
                                     "{receipt_no}); purchase no. {count} of ¥{amount} carried onto it."))
    else:
        text = _tr(QT_TRANSLATE_NOOP("CardSaleWords", "Sold ¥{paid}: purchase no. {count} of ¥{amount} is on the card, "
                                     "receipt {receipt_no}."))
    if receipt is not None and receipt.change_fen > 0:
        text += " " + _tr(QT_TRANSLATE_NOOP("CardSaleWords", "Change ¥{change}."))
    return text.format(paid=format_fen(receipt.paid_fen) if receipt else "", count=purchase.purchase_count,
                       amount=format_fen(purchase.write_amount_fen), receipt_no=receipt.receipt_no if receipt else "",
                       change=format_fen(receipt.change_fen) if receipt else "")


def not_written_outcome_text(outcome: NotWritten) -> str:
    """Money taken (or pending already), card not written: why, and 补写卡."""
    if outcome.problem is not None:
        why = problem_text(outcome.problem, outcome.sw)
    elif outcome.error is not None:
        why = refusal_text(outcome.error)
    else:
        why = ""
    receipt = outcome.receipt
    return not_written_text(amount_fen=outcome.target.write_amount_fen, count=outcome.target.purchase_count,
                            receipt_no=receipt.receipt_no if receipt is not None else None, why=why)


def reverse_problem_text(outcome: object) -> str | None:
    """Why a reversal did not go through (None: it did)."""
    if isinstance(outcome, Reversed):
        return None
    if isinstance(outcome, CardFailed):
        return problem_text(outcome.problem, outcome.sw)
    if isinstance(outcome, Refused):
        return offline_text() if outcome.offline else refusal_text(outcome.error)
    if isinstance(outcome, NoAnswer):
        return _tr(QT_TRANSLATE_NOOP("CardSaleWords", "The center did not answer: press the button again (the same "
                                     "reversal is retried)."))
    return _tr(QT_TRANSLATE_NOOP("CardSaleWords", "The reversal ended in a way this counter does not know; ask the "
                                 "supervisor to check the card's history."))
