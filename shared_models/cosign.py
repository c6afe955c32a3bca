"""A supervisor's co-sign verified at the counter, for an action queued while the link was down (SPEC §5).

With the link up a co-signer types their password and the server checks it (``X-GridCounter-Cosign``). With
the link down the counter checks it against the supervisor's cached verifier (argon2id, per user and
counter; ``client/core/offline_auth.py``) and the queued action carries only the *attestation*: who
co-signed and when, by the counter's clock — never the password nor anything derived from it.

Trust: the attestation is the counter's word. The server takes it only

* inside ``outbox.replay_batch`` — a replay of the outbox of an enrolled counter (its device key opened the
  session), never on a direct call (``COSIGN_ATTESTED_NOT_REPLAYED``);
* for a co-signer who exists, is active, holds the method's co-sign permission, belongs to the counter's
  hall (or above), is not the actor, and has signed in or co-signed online at this very counter before (or
  the counter could not hold their verifier);
* with a co-sign time that is not in the future of the server's clock (beyond :data:`ATTESTATION_SKEW`) and
  not older than :data:`ATTESTATION_MAX_AGE`.

Such an action is recorded so ("verified at the counter", in its audit record) and put on the supervisor's
attention list for review.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from shared_models.ids import UsernameField
from shared_models.rpc import Model
from shared_models.rules.hall_time import as_hall_time

#: How far in the future of the server's clock a counter's co-sign time may be (clock skew).
ATTESTATION_SKEW: Final = dt.timedelta(minutes=10)
#: How old a co-sign verified at the counter may be when it reaches the server (the cached verifier's
#: default validity, 72 h, plus a day for the replay).
ATTESTATION_MAX_AGE: Final = dt.timedelta(hours=96)


class AttestedCosign(Model):
    """A co-sign the counter verified against the supervisor's cached verifier: who, and when (counter clock)."""

    username: UsernameField
    verified_at: dt.datetime


def attestation_problem(verified_at: dt.datetime, *, now: dt.datetime) -> str | None:
    """Why the server refuses the time of an attestation (None: plausible). A naive time is hall time (UTC+8)."""
    moment = as_hall_time(verified_at)
    if moment > now + ATTESTATION_SKEW:
        return "in_future"
    if moment < now - ATTESTATION_MAX_AGE:
        return "too_old"
    return None
