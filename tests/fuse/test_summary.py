"""Extractive summary and canonical headline on hand-made reports (no store, no annotations)."""

from __future__ import annotations

from newsfuse.fuse.facts import ReportText
from newsfuse.fuse.summary import headline, summarise

A = (
    "Flood barriers failed in Port Aldane on Tuesday and the river Ombra flooded the old harbour "
    "district. Read more: subscribe to our newsletter for daily updates on the harbour. "
    "The mayor of Port Aldane praised volunteers who filled sandbags through the night. "
    "Flood barriers failed in Port Aldane on Tuesday and the river Ombra flooded the old harbour."
)
B = (
    "The river Ombra flooded the old harbour district of Port Aldane after flood barriers failed "
    "on Tuesday. Engineers from Valdoria will inspect the failed barriers next week, the harbour "
    "council said. A local bakery handed out free bread to families waiting at the shelters."
)
C = (
    "Engineers will inspect the flood barriers that failed when the river Ombra flooded Port "
    "Aldane's harbour district. Insurance claims are expected to pass ten million florins."
)


def _reports() -> list[ReportText]:
    return [
        ReportText("a", "Harbour Ledger", "a", A, None),
        ReportText("b", "Port Gazette", "b", B, None),
        ReportText("c", "Valdoria Post", "c", C, None),
    ]


def test_summary_is_central_cited_and_not_repetitive() -> None:
    reports = _reports()
    texts = {r.article_id: r.text for r in reports}
    summary = summarise(reports, 3)
    assert 1 <= len(summary) <= 3
    assert "flooded" in summary[0].text and "barriers failed" in summary[0].text
    for sentence in summary:
        assert texts[sentence.article_id][sentence.start : sentence.end] == sentence.text
        assert "subscribe" not in sentence.text and "bakery" not in sentence.text
    # the first report says the same thing twice: only one of the two is picked
    assert sum("Flood barriers failed in Port Aldane" in s.text for s in summary) <= 1
    assert [s.score for s in summary] == sorted((s.score for s in summary), reverse=True)
    assert summarise([], 3) == () and summarise(reports, 0) == ()


def test_headline_is_the_central_title_or_the_lead_sentence() -> None:
    reports = _reports()
    titles = [
        "Ombra floods Port Aldane harbour as barriers fail",
        "Bakery feeds families",
        "Port Aldane harbour flooded after Ombra barriers fail",
        None,
    ]
    assert headline(titles, reports) in {titles[0], titles[2]}
    assert headline([None, " "], reports) == summarise(reports, 1)[0].text
    assert headline([], []) == ""
