"""The month's power factor cosφ from active and reactive energy (DOMAIN §3.3), pure.

The one home of cosφ: the 力调 line prices with it (``server.pricing.power_factor``) and the low-power-factor
reading check judges with it (``shared_models.rules.reading_anomalies``), on the server and on the offline
counter alike.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Final

_HUNDREDTH: Final = Decimal("0.01")


def power_factor(active_kwh: Decimal, reactive_kvarh: Decimal) -> Decimal | None:
    """cosφ = P / √(P² + Q²), rounded half up to 0.01 (0.855 → 0.86); None when nothing at all was metered.

    Reactive energy without active energy is cosφ 0.00.
    """
    if active_kwh == 0 and reactive_kvarh == 0:
        return None
    cos = active_kwh / (active_kwh * active_kwh + reactive_kvarh * reactive_kvarh).sqrt()
    return cos.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)
