"""Body clean-up shared by the HTML and text paths."""

from __future__ import annotations

import pytest

from newsfuse.extract.cleanup import clean_body, drop_title_echo, is_boilerplate_paragraph

TITLE = "Dam on the Ombra opens after six years"
BODY = ("The dam opened on Monday.", "Officials said it would supply 40,000 homes.")


def test_headline_echo_and_kicker_are_dropped() -> None:
    assert drop_title_echo(("Water", TITLE, *BODY), TITLE) == BODY
    assert drop_title_echo((TITLE.upper(), *BODY), TITLE) == BODY


def test_sentence_before_an_echo_is_kept() -> None:
    lead = "This is a full opening sentence that is not a kicker at all."
    assert drop_title_echo((lead, TITLE, *BODY), TITLE) == (lead, *BODY)


def test_title_words_deep_in_the_body_are_kept() -> None:
    body = (*BODY, "More text.", TITLE)
    assert drop_title_echo(body, TITLE) == body


@pytest.mark.parametrize(
    "paragraph",
    [
        "The post Dam opens appeared first on Meridian Wire.",
        "(Reporting by Lena Marsh in Port Seren; Editing by Owen Pike)",
        "Related: EXPLAINER-Why the Karst Highlands shake",
        "Read more: Brenmoor families move into modular homes",
        "Listen to this article",
        "Advertisement",
    ],
)
def test_boilerplate_forms(paragraph: str) -> None:
    assert is_boilerplate_paragraph(paragraph)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Reporting by the agency suggested the toll would rise, officials said on Monday evening "
        "after a meeting that ran late. It was the third such meeting.",
        "Related talks will resume in June, the ministry said.",
        "The advertisement campaign cost 3 million florins.",
    ],
)
def test_prose_is_not_boilerplate(paragraph: str) -> None:
    assert not is_boilerplate_paragraph(paragraph)


def test_clean_body_applies_both() -> None:
    body = (TITLE, BODY[0], "Advertisement", BODY[1], "The post X appeared first on Y.")
    assert clean_body(body, TITLE) == BODY


def test_header_after_the_echo_is_dropped() -> None:
    header = (
        "SHIPPING · PORT DISPUTE",
        TITLE,
        "Union says 4,200 members walked out over pay; ships queue outside",
        "By Hanna Roszak, Shipping Correspondent",
    )
    assert drop_title_echo((*header, *BODY), TITLE) == BODY


@pytest.mark.parametrize(
    "byline",
    [
        "By Ana Brill",
        "Von Katrin Weidemann",
        "By Ana Brill and Jo Lee",
        "Par Léa Morel, envoyée spéciale",
    ],
)
def test_bylines(byline: str) -> None:
    assert drop_title_echo((byline, *BODY), None) == BODY


def test_by_in_a_sentence_is_not_a_byline() -> None:
    body = ("By Tuesday evening, rescuers had reached the village.", *BODY)
    assert drop_title_echo(body, None) == body


@pytest.mark.parametrize(
    ("line", "promo"),
    [
        ("Dockworkers vote overwhelmingly for indefinite strike", True),
        ("Putin, Kim meet at Russian cosmodrome ahead of expected arms talks", True),
        ("Cruise ship levy: what the council's delay means for Seren", True),
        ("A Region on a Fault Line", False),
        ("The Ukraine Connection", False),
        ("Officials said the dam would open next week after years of delays.", False),
    ],
)
def test_inline_headlines(line: str, promo: bool) -> None:
    from newsfuse.extract.cleanup import drop_inline_headlines

    body = ("First paragraph of the story.", line, "Last paragraph of the story.")
    kept = drop_inline_headlines(body)
    assert (line not in kept) is promo
