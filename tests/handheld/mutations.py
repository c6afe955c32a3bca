"""Random mutations of a valid handheld file for the hypothesis fuzz tests (server validator and offline one)."""

from __future__ import annotations

from hypothesis import strategies as st

#: Edits (position, operation: delete / insert / replace / cut the rest, byte): mostly bytes a file holds, now
#: and then any byte; a cut is rarer than the rest.
EDITS = st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from([0, 0, 1, 1, 2, 2, 2, 3]),
                           st.one_of(st.sampled_from(list(b'0123456789.,:"{}[]\n -T')), st.integers(0, 255))),
                 min_size=1, max_size=3)


def mutate(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    """``data`` with ``edits`` applied in order."""
    out = bytearray(data)
    for position, op, value in edits:
        if not out:
            break
        at = position % len(out)
        if op == 0:
            del out[at]
        elif op == 1:
            out.insert(at, value)
        elif op == 2:
            out[at] = value
        else:
            del out[at:]
    return bytes(out)
