"""Wire copies and near-duplicates (newsfuse.cluster.duplicates), on fictional texts."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from newsfuse.cluster.duplicates import (
    EMPTY_SIGNATURE,
    NUM_PERM,
    SIGNATURE_BYTES,
    Copy,
    DuplicateIndex,
    shingles,
    signature_similarity,
    text_signature,
)

WIRE = """\
ASTERBY, May 6 (Corvel Press) - The regional government of Lunholm approved on Tuesday a
plan to rebuild the Asterby rail bridge, which has been closed to freight since a flood
undermined two of its piers in February, officials said.

Transport minister Ilse Varga told reporters that the work would cost 310 million crowns
and take about eighteen months, with a temporary single track opening to passenger trains
before the winter timetable begins.

"The bridge carries a third of the grain that leaves the valley, and every week it stays
shut costs farmers and millers money they do not have," Varga said after the cabinet
meeting in Halden.

Freight operators have been sending trains on a detour through the Morrow tunnel, adding
about ninety minutes to each journey and forcing some mills to cut shifts. The operators'
association welcomed the decision but said it would press for compensation for the months
already lost.

Engineers from the state rail company found in March that the river had scoured the
riverbed around the piers far faster than inspections carried out in 2021 had predicted.
The new design moves the piers onto deeper foundations and raises the deck by a metre.

Opposition lawmakers said the government had ignored warnings about the bridge for years
and called for an independent review of how river crossings across the region are
inspected. Parliament is expected to vote on the funding in June.
"""

# A republisher's lightly edited copy: its own intro line, one sentence trimmed, a phrase
# reworded, a closing line added, the wire dateline kept.
EDITED_COPY = """\
Millers in the Asterby district said on Tuesday they hoped to bring back night shifts by
the end of next year.

ASTERBY, May 6 (Corvel Press) - The regional government of Lunholm approved on Tuesday a
plan to rebuild the Asterby rail bridge, which has been closed to freight since a flood
undermined two of its piers in February, officials said.

Transport minister Ilse Varga told reporters that the work would cost 310 million crowns
and take about eighteen months, with a temporary single track opening to passenger trains
before the winter timetable begins.

"The bridge carries a third of the grain that leaves the valley, and every week it stays
shut costs farmers and millers money they do not have," Varga said after the cabinet
meeting in the capital Halden.

Freight operators have been sending trains on a detour through the Morrow tunnel, adding
about ninety minutes to each journey and forcing some mills to cut shifts. The operators'
association welcomed the decision.

Engineers from the state rail company found in March that the river had scoured the
riverbed around the piers far faster than inspections carried out in 2021 had predicted.
The new design moves the piers onto deeper foundations and raises the deck by a metre.

Opposition lawmakers said the government had ignored warnings about the bridge for years
and called for an independent review of how river crossings across the region are
inspected. Parliament is expected to vote on the funding in June.

Read more about the flood on our regional pages.
"""

# The same event reported independently, in the outlet's own words.
SAME_STORY = """\
Lunholm will spend 310 million crowns rebuilding the flood-damaged Asterby rail bridge,
the cabinet decided on Tuesday, ending three months of uncertainty for grain shippers in
the valley.

The bridge has carried no freight since February, when floodwater washed away the gravel
around two piers. Since then freight trains have gone the long way round through the Morrow
tunnel, and two mills in Asterby have cut their night shifts.

Ilse Varga, the transport minister, said the rebuilt crossing should be ready in about a
year and a half, and that passenger trains could use a temporary track from the winter.
She said grain was a third of the traffic over the bridge.

Critics in parliament, which must still approve the money in June, blamed the government
for years of neglect and asked for river crossings across Lunholm to be inspected again.
"""

T0 = datetime(2025, 5, 6, 9, 0, tzinfo=UTC)


def _words(rng: random.Random, n: int) -> str:
    syllables = ["ka", "lo", "mer", "tin", "sa", "vor", "el", "dun", "ri", "pa", "gos", "an"]
    return " ".join(
        "".join(rng.choice(syllables) for _ in range(rng.randint(1, 3))) for _ in range(n)
    )


def _edit(rng: random.Random, text: str, changes: int) -> str:
    """A copy with `changes` words replaced, as a sub-editor would touch a wire story."""
    tokens = text.split()
    for i in rng.sample(range(len(tokens)), min(changes, len(tokens))):
        tokens[i] = "edited"
    return " ".join(tokens)


def test_signature_is_fixed_size_bytes_and_deterministic() -> None:
    sig = text_signature(WIRE)
    assert isinstance(sig, bytes)
    assert len(sig) == SIGNATURE_BYTES == NUM_PERM * 8
    assert text_signature(WIRE) == sig


def test_signature_is_datasketch_affine64_minhash() -> None:
    datasketch = pytest.importorskip("datasketch")
    try:
        reference = datasketch.MinHash(num_perm=NUM_PERM, seed=1, scheme="affine64")
    except TypeError:
        pytest.skip("datasketch < 2.0 has no affine64 scheme")
    reference.update_batch(shingles(WIRE))
    ours = np.frombuffer(text_signature(WIRE), dtype="<u8")
    assert np.array_equal(ours, reference.hashvalues)


def test_signature_ignores_case_punctuation_and_spacing() -> None:
    text = "The minister said the bridge would reopen in June, after repairs to both piers."
    variant = "THE MINISTER SAID  the bridge — would reopen in June after repairs to both piers"
    assert text_signature(text) == text_signature(variant)


@pytest.mark.parametrize(
    "text", ["", "   \n\n ", "Bridge reopens today", "one two three four " * 2]
)
def test_short_texts_get_the_empty_signature(text: str) -> None:
    assert text_signature(text) == EMPTY_SIGNATURE


def test_empty_signature_never_matches_and_is_not_indexed() -> None:
    index = DuplicateIndex()
    assert index.check_and_add("a", text_signature("Subscribe to read"), T0) is None
    assert index.check_and_add("b", text_signature("Subscribe to read"), T0) is None
    assert len(index) == 0
    assert signature_similarity(EMPTY_SIGNATURE, text_signature(WIRE)) == 0.0


def test_identical_text_is_a_copy_with_similarity_one() -> None:
    index = DuplicateIndex()
    assert index.check_and_add("wire", text_signature(WIRE), T0) is None
    copy = index.check_and_add("copy", text_signature(WIRE), T0 + timedelta(hours=2))
    assert copy == Copy("wire", 1.0)


def test_lightly_edited_wire_copy_is_found() -> None:
    similarity = signature_similarity(text_signature(WIRE), text_signature(EDITED_COPY))
    assert 0.7 <= similarity < 1.0
    index = DuplicateIndex(threshold=0.7)
    index.check_and_add("wire", text_signature(WIRE), T0)
    copy = index.check_and_add("ledger", text_signature(EDITED_COPY), T0 + timedelta(hours=20))
    assert copy is not None
    assert copy.original_id == "wire"
    assert copy.similarity == similarity


def test_two_reports_of_one_story_are_not_copies() -> None:
    assert signature_similarity(text_signature(WIRE), text_signature(SAME_STORY)) < 0.2
    index = DuplicateIndex()
    index.check_and_add("wire", text_signature(WIRE), T0)
    assert index.check_and_add("own-report", text_signature(SAME_STORY), T0) is None
    assert len(index) == 2


def test_a_copy_of_a_copy_links_to_the_original() -> None:
    rng = random.Random(7)
    original = _words(rng, 400)
    first = _edit(rng, original, 12)
    # The second copy is taken from the first and is closer to it than to the original.
    second = _edit(rng, first, 4)
    sig_o, sig_1, sig_2 = (text_signature(t) for t in (original, first, second))
    assert signature_similarity(sig_2, sig_1) > signature_similarity(sig_2, sig_o)
    index = DuplicateIndex()
    assert index.check_and_add("o", sig_o, T0) is None
    assert index.check_and_add("c1", sig_1, T0 + timedelta(hours=1)).original_id == "o"
    copy = index.check_and_add("c2", sig_2, T0 + timedelta(hours=2))
    assert copy == Copy("o", signature_similarity(sig_2, sig_1))


def _sig(values: np.ndarray) -> bytes:
    return values.astype("<u8").tobytes()


def test_ties_go_to_the_earliest_added() -> None:
    # A and B agree on 88 of 128 values (0.6875: not copies of each other); C agrees with
    # each of them on 108, so both match equally well.
    shared = np.arange(1000, 1088, dtype=np.uint64)
    a = np.concatenate([np.arange(0, 40, dtype=np.uint64), shared])
    b = np.concatenate([np.arange(100, 140, dtype=np.uint64), shared])
    c = np.concatenate([a[:20], b[20:40], shared])
    for first, second in (("A", "B"), ("B", "A")):
        sigs = {"A": _sig(a), "B": _sig(b)}
        index = DuplicateIndex()
        assert index.check_and_add(first, sigs[first], T0) is None
        assert index.check_and_add(second, sigs[second], T0) is None
        assert index.check_and_add("C", _sig(c), T0) == Copy(first, 108 / 128)


def test_the_closest_match_wins_over_the_earlier() -> None:
    rng = random.Random(11)
    a, b = _words(rng, 300), _words(rng, 300)
    index = DuplicateIndex(threshold=0.5)
    index.check_and_add("a", text_signature(a), T0)
    index.check_and_add("b", text_signature(b), T0)
    # Mostly b with a little of a: b is the better match.
    mixed = b + " " + " ".join(a.split()[:60])
    assert index.check_and_add("m", text_signature(mixed), T0).original_id == "b"


def test_advance_retires_entries_older_than_the_window() -> None:
    index = DuplicateIndex(window_days=14)
    index.check_and_add("old", text_signature(WIRE), T0)
    index.advance(T0 + timedelta(days=14))  # exactly at the edge: kept
    assert "old" in index
    index.advance(T0 + timedelta(days=14, seconds=1))
    assert "old" not in index and len(index) == 0
    assert index.check_and_add("late", text_signature(WIRE), T0 + timedelta(days=15)) is None


def test_naive_and_aware_times_mix() -> None:
    index = DuplicateIndex(window_days=1)
    index.check_and_add("naive", text_signature(WIRE), datetime(2025, 5, 6, 9, 0))
    index.check_and_add("aware", text_signature(SAME_STORY), T0 + timedelta(days=3))
    index.advance(T0 + timedelta(days=3))  # the naive one is read as UTC and retired
    assert "naive" not in index and "aware" in index


def test_undated_entries_are_retired_by_count() -> None:
    rng = random.Random(3)
    texts = [_words(rng, 120) for _ in range(3)]
    index = DuplicateIndex(max_undated=2)
    for i, text in enumerate(texts):
        index.check_and_add(f"u{i}", text_signature(text), None)
    index.advance(T0 + timedelta(days=365))  # time does not retire undated entries
    assert len(index) == 2 and "u0" not in index
    assert index.check_and_add("again0", text_signature(texts[0]), None) is None
    assert index.check_and_add("again2", text_signature(texts[2]), None) == Copy("u2", 1.0)


def test_adding_an_indexed_article_again_repeats_its_answer() -> None:
    index = DuplicateIndex()
    index.check_and_add("wire", text_signature(WIRE), T0)
    first = index.check_and_add("copy", text_signature(EDITED_COPY), T0)
    assert index.check_and_add("copy", text_signature(EDITED_COPY), T0) == first
    assert index.check_and_add("wire", text_signature(WIRE), T0) is None
    assert len(index) == 2


def test_a_signature_of_the_wrong_size_is_refused() -> None:
    with pytest.raises(ValueError, match="signature"):
        DuplicateIndex().check_and_add("x", b"\x00" * 100, T0)


def _stream(n: int) -> list[tuple[str, bytes, datetime | None]]:
    """Originals, copies (some of copies), undated articles and a few too-short texts."""
    rng = random.Random(2025)
    texts: list[str] = []
    stream = []
    for i in range(n):
        roll = rng.random()
        if texts and roll < 0.35:
            text = _edit(rng, rng.choice(texts[-30:]), rng.randint(0, 10))
        elif roll < 0.4:
            text = "too short"
        else:
            text = _words(rng, rng.randint(40, 250))
        texts.append(text)
        when = None if rng.random() < 0.2 else T0 + timedelta(hours=6 * i)
        stream.append((f"art{i:03d}", text_signature(text), when))
    return stream


def _run(
    index: DuplicateIndex, stream: list[tuple[str, bytes, datetime | None]]
) -> list[Copy | None]:
    out = []
    for article_id, sig, when in stream:
        if when is not None:
            index.advance(when)
        out.append(index.check_and_add(article_id, sig, when))
    return out


def test_restored_index_continues_exactly() -> None:
    stream = _stream(160)
    whole = DuplicateIndex(window_days=5, max_undated=10)
    expected = _run(whole, stream)
    assert sum(c is not None for c in expected) > 20  # the stream exercises copies
    for cut in (0, 1, 57, 120):
        first = DuplicateIndex(window_days=5, max_undated=10)
        head = _run(first, stream[:cut])
        restored = DuplicateIndex.from_bytes(first.to_bytes())
        assert restored.to_bytes() == first.to_bytes()
        assert head + _run(restored, stream[cut:]) == expected
        assert restored.to_bytes() == whole.to_bytes()


def test_from_bytes_keeps_options_unless_given() -> None:
    index = DuplicateIndex(threshold=0.8, window_days=3, max_undated=5)
    index.check_and_add("wire", text_signature(WIRE), T0)
    same = DuplicateIndex.from_bytes(index.to_bytes())
    assert (same.threshold, same.window_days, same.max_undated) == (0.8, 3, 5)
    looser = DuplicateIndex.from_bytes(index.to_bytes(), threshold=0.6)
    assert looser.threshold == 0.6 and "wire" in looser


def test_from_bytes_refuses_other_data() -> None:
    with pytest.raises(ValueError):
        DuplicateIndex.from_bytes(b"not an index")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 0.0}, "threshold"),
        ({"threshold": 1.5}, "threshold"),
        ({"window_days": 0}, "window_days"),
        ({"max_undated": -1}, "max_undated"),
    ],
)
def test_bad_options_are_refused(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DuplicateIndex(**kwargs)
