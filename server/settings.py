"""Server settings from the environment (prefix ``GRIDCOUNTER_``); no database URL = embedded PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared_models.money import MAX_PAYMENT_FEN


def _default_data_dir() -> Path:
    from server.db.embedded import default_data_dir

    return default_data_dir()


class Settings(BaseSettings):
    """Everything a server process needs to know; built once in ``create_app``."""

    model_config = SettingsConfigDict(env_prefix="GRIDCOUNTER_", extra="ignore")

    database_url: str | None = None
    data_dir: Path = Field(default_factory=_default_data_dir)
    idle_timeout_s: int = Field(default=30 * 60, ge=60)
    lockout_threshold: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)
    #: Database connections per server process. Small on purpose: more connections add latency on
    #: two cores, not throughput (COMPONENTS.md).
    pool_size: int = Field(default=6, ge=1)
    max_overflow: int = Field(default=4, ge=0)
    #: Most one payment (or a quote) may be, in fen (GRIDCOUNTER_MAX_PAYMENT_FEN): a plausibility limit
    #: against a slipped finger (an amount typed in fen as yuan), refused as AMOUNT_TOO_LARGE. Default
    #: 10 000 000.00 yuan. At most 10^13 so prepayment + amount stays far inside the contract's Fen bound.
    max_payment_fen: int = Field(default=10**9, ge=1, le=MAX_PAYMENT_FEN)
    #: How far a counter's clock may be off the server's, in seconds (GRIDCOUNTER_CLOCK_SKEW_S). An online
    #: payment whose ``local_time`` is further off is refused (LOCAL_TIME_IMPLAUSIBLE); offline replays
    #: use the same allowance for the taken-at time they are allocated as of (late fee to the counter's day,
    #: docs/business-rules.md; ``shared_models.rules.as_of.DEFAULT_SKEW`` is the same 10 minutes).
    clock_skew_s: int = Field(default=10 * 60, ge=1, le=7 * 24 * 3600)
    #: Base64 of a 32-byte key for PII (ID numbers); default: ``<data_dir>/pii.key``.
    pii_key: str | None = None
    #: Base64 of the 32-byte card key-encryption key (the card master keys are stored under it, issue 14);
    #: default: ``<data_dir>/card-kek.key``, made by ``gridcounter-server card-keys init``.
    card_kek: str | None = None
    #: Prepaid card sales (issue 14, docs/card-sales-server.md), in fen: the least and the most one sale writes
    #: onto a card (最小/最大购电值), the hoarding limit 囤积金额限值 the meters are set to (remaining + purchase
    #: at most this; the meter itself also caps at 999 999.99 yuan), the replacement card fee 补卡费 (业务费),
    #: and the alarm amounts 1 and 2 written into an opening or replacement card's parameter file.
    card_min_sale_fen: int = Field(default=1_000, ge=1)
    card_max_sale_fen: int = Field(default=500_000, ge=1, le=99_999_999)
    card_hoarding_limit_fen: int = Field(default=1_000_000, ge=1, le=99_999_999)
    card_replacement_fee_fen: int = Field(default=2_000, ge=1, le=99_999_999)
    card_alarm1_fen: int = Field(default=2_000, ge=0, le=99_999_999)
    card_alarm2_fen: int = Field(default=1_000, ge=0, le=99_999_999)

    @property
    def pii_key_file(self) -> Path:
        """Where the PII key lives when it is not given in the environment."""
        return self.data_dir / "pii.key"

    @property
    def card_kek_file(self) -> Path:
        """Where the card key-encryption key lives when it is not given in the environment."""
        return self.data_dir / "card-kek.key"
