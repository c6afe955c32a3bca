"""What prices one customer's draft: usage, terms and tariff versions, and the fingerprint of them.

``DraftInputs`` is everything ``server.pricing.price`` is given for one customer; :func:`inputs_hash` is the
SHA-256 of its canonical JSON, stored on the draft, so a recalculation over unchanged inputs keeps the draft
row as it is (the run is idempotent) and a changed reading shows as a changed hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from shared_models.methods.billruns import DraftAnomaly
from shared_models.pricing import CustomerTerms, Usage
from shared_models.tariffs import TariffVersionDoc


@dataclass(frozen=True)
class VersionRef:
    """A tariff version as stored (its row id, which the released bill names) and as a document."""

    version_id: int
    doc: TariffVersionDoc


@dataclass(frozen=True)
class DraftInputs:
    """One customer's inputs to pricing; ``usage`` None when there is no usable reading (see anomalies)."""

    usage: Usage | None
    terms: CustomerTerms
    versions: tuple[VersionRef, ...]
    anomalies: tuple[DraftAnomaly, ...] = field(default=())

    @property
    def priceable(self) -> bool:
        """There is a usage and at least one version to price it with."""
        return self.usage is not None and bool(self.versions)

    @property
    def bill_version_id(self) -> int | None:
        """The version a released bill names: the one in force on the period's last day."""
        return self.versions[-1].version_id if self.versions else None


def inputs_hash(inputs: DraftInputs) -> str:
    """SHA-256 (hex) of the inputs' canonical JSON: the same inputs always give the same hash."""
    document = {
        "usage": inputs.usage.model_dump(mode="json") if inputs.usage else None,
        "terms": inputs.terms.model_dump(mode="json"),
        "versions": [[v.version_id, v.doc.model_dump(mode="json")] for v in inputs.versions],
        "anomalies": [a.model_dump(mode="json") for a in inputs.anomalies],
    }
    blob = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()
