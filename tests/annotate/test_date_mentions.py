"""Date and time expressions: finding, resolving against an anchor, and inferring the anchor.

All texts are fictional. The reference anchor is Friday 2023-09-15.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest

from newsfuse.annotate.dates import PRODUCED_BY, find_dates, infer_anchor
from newsfuse.model import AnchorSource, DateAnchor, DateMention, Granularity

FRIDAY = DateAnchor(date(2023, 9, 15), AnchorSource.PUBLISHED)
YEAR_ONLY = DateAnchor(date(2023, 1, 1), AnchorSource.TEXT, year_only=True)
NONE = DateAnchor(None, AnchorSource.NONE)


def only(text: str, anchor: DateAnchor = FRIDAY) -> DateMention:
    mentions = find_dates(text, anchor)
    assert len(mentions) == 1, [m.text for m in mentions]
    return mentions[0]


def found(text: str, anchor: DateAnchor = FRIDAY) -> dict[str, str | None]:
    return {m.text: m.value for m in find_dates(text, anchor)}


# --- the seed scenario ----------------------------------------------------------------

SEED_LIKE_BODY = (
    "Velmoria is uneasy about the arms talks between its two neighbours, the Corvan News "
    "Service reported on Sept. 15, citing Foreign Minister Ada Brenn.\n\n"
    "The statement follows a summit between the two leaders earlier this week.\n\n"
    "The northern leader met his counterpart in the far-eastern Tarsk region for talks on "
    "Sept. 13.\n\n"
    "In the spring of 2023, Ostrava reportedly offered grain in exchange for shells. The "
    "country has been armed since the end of the war in 1953.\n\n"
    "Earlier in August, the defence minister visited the capital.\n\n"
    "Both worry about the protracted 18-month conflict next door."
)
SEED_LIKE_CAPTION = "Foreign Minister Ada Brenn speaks in Halden on March 6, 2023. (Photo: Wire)"


def test_seed_scenario_resolves_against_an_anchor_inferred_from_the_text() -> None:
    anchor = infer_anchor(SEED_LIKE_BODY, None, None, None, [SEED_LIKE_CAPTION])
    assert anchor == DateAnchor(date(2023, 9, 15), AnchorSource.TEXT)
    by_text = {m.text: m for m in find_dates(SEED_LIKE_BODY, anchor)}
    assert by_text["Sept. 13"].value == "2023-09-13"
    assert by_text["Sept. 13"].granularity == Granularity.DAY
    assert by_text["Sept. 13"].relative and by_text["Sept. 13"].anchor == AnchorSource.TEXT
    assert by_text["earlier this week"].value == "2023-09-11/2023-09-15"
    assert by_text["earlier this week"].granularity == Granularity.RANGE
    assert by_text["Earlier in August"].value == "2023-08"
    assert by_text["Earlier in August"].granularity == Granularity.MONTH
    assert by_text["spring of 2023"].value == "2023-SP"
    assert by_text["1953"].value == "1953"
    conflict = by_text["18-month"]
    assert (conflict.value, conflict.granularity) == ("P18M", Granularity.DURATION)
    assert conflict.earliest is None and conflict.latest is None


def test_mentions_are_spans_sorted_and_disjoint() -> None:
    mentions = find_dates(SEED_LIKE_BODY, FRIDAY)
    assert mentions == sorted(mentions, key=lambda m: m.start)
    for m in mentions:
        assert SEED_LIKE_BODY[m.start : m.end] == m.text
        assert m.produced_by == PRODUCED_BY
    for a, b in zip(mentions, mentions[1:], strict=False):
        assert a.end <= b.start


# --- anchor cascade -------------------------------------------------------------------------


def test_anchor_prefers_publication_then_story_then_text() -> None:
    published = datetime(2023, 9, 16, 8, 30, tzinfo=UTC)
    first, last = datetime(2023, 9, 10), datetime(2023, 9, 14)
    assert infer_anchor("on Sept. 1", published, first, last) == DateAnchor(
        date(2023, 9, 16), AnchorSource.PUBLISHED
    )
    assert infer_anchor("", None, first, last) == DateAnchor(date(2023, 9, 14), AnchorSource.STORY)
    assert infer_anchor("", None, first, None) == DateAnchor(date(2023, 9, 10), AnchorSource.STORY)
    assert infer_anchor("Nothing dated here.", None, None, None).source == AnchorSource.NONE


def test_story_date_in_the_future_is_not_trusted() -> None:
    anchor = infer_anchor(
        "", None, datetime(2023, 9, 10), datetime(2031, 1, 1), today=date(2024, 1, 1)
    )
    assert anchor == DateAnchor(date(2023, 9, 10), AnchorSource.STORY)


def test_text_anchor_is_year_only_without_yearless_days() -> None:
    anchor = infer_anchor("Trade grew in 2021 and again in 2023.", None, None, None)
    assert anchor == DateAnchor(date(2023, 1, 1), AnchorSource.TEXT, year_only=True)


def test_text_anchor_skips_targets_and_implausible_years() -> None:
    text = "Emissions fell in 2022 and must halve by 2030, and by the end of 2025 too. In 2999 ..."
    anchor = infer_anchor(text, None, None, None, today=date(2024, 6, 1))
    assert anchor.day == date(2022, 1, 1) and anchor.year_only


def test_month_days_without_a_year_need_a_year_from_somewhere() -> None:
    assert infer_anchor("They met on Sept. 13.", None, None, None).source == AnchorSource.NONE


# --- absolute dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["September 13, 2023", "Sept. 13, 2023", "13 September 2023", "2023-09-13", "9/13/2023",
     "Wednesday, Sept. 13, 2023", "SEPT. 13, 2023", "the 13th of September 2023"],
)  # fmt: skip
def test_full_dates(text: str) -> None:
    m = only(text)
    assert (m.value, m.granularity, m.relative) == ("2023-09-13", Granularity.DAY, False)
    assert m.anchor == AnchorSource.NONE  # an absolute date does not depend on the anchor


def test_numeric_dates_are_us_order_unless_impossible() -> None:
    assert only("on 3/4/2023").value == "2023-03-04"
    assert only("on 13/9/2023").value == "2023-09-13"
    assert find_dates("on 13/13/2023", FRIDAY) == []


@pytest.mark.parametrize("text", ["Sept. 13", "on Sept. 13", "September 13th", "13 September"])
def test_month_day_without_year_takes_the_anchor_year(text: str) -> None:
    m = only(text)
    assert (m.value, m.relative, m.anchor) == ("2023-09-13", True, AnchorSource.PUBLISHED)


def test_month_day_without_year_looks_back_ten_months_and_ahead_two() -> None:
    assert only("on Dec. 20").value == "2022-12-20"  # 9 months back, not 3 months ahead
    assert only("on Nov. 2").value == "2023-11-02"  # 7 weeks ahead
    assert only("on Jan. 5", DateAnchor(date(2024, 1, 10), AnchorSource.PUBLISHED)).value == (
        "2024-01-05"
    )
    assert only("on Dec. 28", DateAnchor(date(2024, 1, 10), AnchorSource.PUBLISHED)).value == (
        "2023-12-28"
    )


def test_impossible_days_are_not_dates() -> None:
    assert find_dates("on Feb. 30, 2023", FRIDAY) == []
    assert only("on Feb. 29, 2024").value == "2024-02-29"


def test_months_years_and_decades() -> None:
    assert only("in March 2023").value == "2023-03"
    assert only("in March 2023").granularity == Granularity.MONTH
    year = only("in 2023")
    assert (year.text, year.value, year.granularity) == ("2023", "2023", Granularity.YEAR)
    decade = only("in the 1990s")
    assert (decade.value, decade.granularity) == ("199", Granularity.DECADE)
    assert (decade.earliest, decade.latest) == (date(1990, 1, 1), date(1999, 12, 31))
    assert only("the ’80s").value == "198"
    assert only("early 1990s").latest == date(1993, 12, 31)


@pytest.mark.parametrize(
    "text", ["in 1953", "since 1953", "the armistice of 1953", "the 1953 war", "1953’s harvest"]
)
def test_a_year_in_context(text: str) -> None:
    assert only(text).value == "1953"


@pytest.mark.parametrize("text", ["1953 people fled", "it cost $1953", "a total of 1953 votes"])
def test_a_number_is_not_a_year(text: str) -> None:
    assert find_dates(text, FRIDAY) == []


# --- weekdays and relative expressions ------------------------------------------------------


def test_weekdays_look_back_unless_the_future_is_stated() -> None:
    assert only("They met on Monday.").value == "2023-09-11"
    assert only("They met Friday.").value == "2023-09-15"  # the anchor day itself
    assert only("She left last Tuesday.").value == "2023-09-12"
    assert only("They meet next Monday.").value == "2023-09-18"
    assert only("The council will vote on Wednesday.").value == "2023-09-20"
    assert only("on Monday morning").text == "Monday morning"
    assert find_dates("She works Mondays.", FRIDAY) == []


@pytest.mark.parametrize(
    ("text", "value", "granularity"),
    [
        ("today", "2023-09-15", Granularity.DAY),
        ("yesterday", "2023-09-14", Granularity.DAY),
        ("tomorrow", "2023-09-16", Granularity.DAY),
        ("tonight", "2023-09-15", Granularity.DAY),
        ("last night", "2023-09-14", Granularity.DAY),
        ("this week", "2023-W37", Granularity.WEEK),
        ("last week", "2023-W36", Granularity.WEEK),
        ("next week", "2023-W38", Granularity.WEEK),
        ("earlier this week", "2023-09-11/2023-09-15", Granularity.RANGE),
        ("this month", "2023-09", Granularity.MONTH),
        ("last month", "2023-08", Granularity.MONTH),
        ("earlier this month", "2023-09-01/2023-09-15", Granularity.RANGE),
        ("this year", "2023", Granularity.YEAR),
        ("last year", "2022", Granularity.YEAR),
        ("next year", "2024", Granularity.YEAR),
        ("earlier this year", "2023-01-01/2023-09-15", Granularity.RANGE),
        ("two days ago", "2023-09-13", Granularity.DAY),
        ("three weeks ago", "2023-W34", Granularity.WEEK),
        ("a year ago", "2022", Granularity.YEAR),
        ("the past three years", "2020-09-15/2023-09-15", Granularity.RANGE),
        ("Earlier in August", "2023-08", Granularity.MONTH),
        ("in October", "2023-10", Granularity.MONTH),
        ("last summer", "2023-SU", Granularity.SEASON),
        ("this past weekend", "2023-09-09/2023-09-10", Granularity.RANGE),
    ],
)
def test_relative_expressions(text: str, value: str, granularity: Granularity) -> None:
    m = only(text)
    assert text.endswith(m.text) and (m.value, m.granularity) == (value, granularity)
    assert m.relative and m.anchor == AnchorSource.PUBLISHED


def test_in_two_weeks_is_a_date_when_the_future_is_stated() -> None:
    assert only("The court will rule in two weeks.").value == "2023-W39"
    assert only("The highest level in two weeks.").value == "P2W"


@pytest.mark.parametrize("text", ["recently", "soon", "now", "for decades", "in recent years"])
def test_vague_expressions_are_skipped(text: str) -> None:
    assert find_dates(f"It happened {text}.", FRIDAY) == []


# --- seasons, parts, quarters, ranges -------------------------------------------------------


def test_seasons() -> None:
    spring = only("in the spring of 2023")
    assert (spring.text, spring.value, spring.granularity) == (
        "spring of 2023", "2023-SP", Granularity.SEASON,
    )  # fmt: skip
    assert (spring.earliest, spring.latest) == (date(2023, 3, 1), date(2023, 5, 31))
    assert only("spring 2023").value == "2023-SP"
    winter = only("winter 2023")
    assert (winter.earliest, winter.latest) == (date(2023, 12, 1), date(2024, 2, 29))
    assert only("last winter").value == "2022-WI"


def test_parts_of_years_keep_the_year_and_narrow_the_days() -> None:
    early, late, mid = only("early 2023"), only("late 2023"), only("mid-2023")
    assert early.value == late.value == mid.value == "2023"
    assert early.granularity == Granularity.YEAR
    assert (early.earliest, early.latest) == (date(2023, 1, 1), date(2023, 4, 30))
    assert (late.earliest, late.latest) == (date(2023, 9, 1), date(2023, 12, 31))
    assert (mid.earliest, mid.latest) == (date(2023, 5, 1), date(2023, 8, 31))
    assert only("by the end of 2023").latest == date(2023, 12, 31)
    assert only("in early March 2023").latest == date(2023, 3, 10)


def test_quarters() -> None:
    for text in ("the first quarter of 2024", "Q1 2024"):
        m = only(text)
        assert (m.value, m.granularity) == ("2024-Q1", Granularity.QUARTER)
        assert (m.earliest, m.latest) == (date(2024, 1, 1), date(2024, 3, 31))


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("from Sept. 11 to 13", "Sept. 11 to 13", "2023-09-11/2023-09-13"),
        ("Sept. 11-13", "Sept. 11-13", "2023-09-11/2023-09-13"),
        ("11–13 September 2023", "11–13 September 2023", "2023-09-11/2023-09-13"),
        ("from Aug. 30 to Sept. 2", "Aug. 30 to Sept. 2", "2023-08-30/2023-09-02"),
        ("between 2019 and 2021", "2019 and 2021", "2019-01-01/2021-12-31"),
        ("2019-2021", "2019-2021", "2019-01-01/2021-12-31"),
        ("the 2022-23 season", "2022-23", "2022-01-01/2023-12-31"),
        ("from March to May 2023", "March to May 2023", "2023-03-01/2023-05-31"),
    ],
)
def test_ranges(text: str, span: str, value: str) -> None:
    m = only(text)
    assert (m.text, m.value, m.granularity) == (span, value, Granularity.RANGE)


def test_and_between_two_days_is_not_a_range_without_between() -> None:
    assert [m.value for m in find_dates("on Sept. 11 and 13", FRIDAY)] == ["2023-09-11"]


# --- durations and times --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("the 18-month conflict", "18-month", "P18M"),
        ("jailed for three years", "three years", "P3Y"),
        ("a two-week pause", "two-week", "P2W"),
        ("within 48 hours", "48 hours", "PT48H"),
        ("for more than a decade", "a decade", "P10Y"),
        ("a 30-minute call", "30-minute", "PT30M"),
        ("for a year", "a year", "P1Y"),
        ("1.5 years", "1.5 years", "P1.5Y"),
    ],
)
def test_durations(text: str, span: str, value: str) -> None:
    m = only(text)
    assert (m.text, m.value, m.granularity) == (span, value, Granularity.DURATION)
    assert m.earliest is None and m.latest is None and not m.relative


@pytest.mark.parametrize(
    "text", ["a 30-year-old man", "three days after the vote", "$5 billion a year", "one day"]
)
def test_not_durations(text: str) -> None:
    assert find_dates(text, FRIDAY) == []


def test_times_attach_to_the_adjacent_day() -> None:
    m = only("They met on Sept. 13 at 3 p.m.")
    assert (m.text, m.value, m.granularity) == ("Sept. 13 at 3 p.m.", "2023-09-13T15:00",
                                                Granularity.TIME)  # fmt: skip
    assert only("at 9:30 a.m. on Monday").value == "2023-09-11T09:30"
    assert only("Wednesday, 15:00 GMT").value == "2023-09-13T15:00"
    assert only("at midnight Friday").value == "2023-09-15T00:00"
    assert only("2023-09-13T07:45").value == "2023-09-13T07:45"


def test_a_bare_time_takes_the_anchor_day_when_it_has_one() -> None:
    assert only("Polls close at 8 p.m.").value == "2023-09-15T20:00"
    m = only("Polls close at 8 p.m.", YEAR_ONLY)
    assert (m.value, m.granularity) == (None, Granularity.TIME)


# --- unresolvable and negative cases --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "granularity"),
    [("yesterday", Granularity.DAY), ("earlier this week", Granularity.RANGE),
     ("on Monday", Granularity.DAY), ("last month", Granularity.MONTH),
     ("two days ago", Granularity.DAY)],
)  # fmt: skip
def test_day_relative_expressions_need_a_day_anchor(text: str, granularity: Granularity) -> None:
    for anchor in (NONE, YEAR_ONLY):
        m = only(text, anchor)
        assert (m.value, m.granularity, m.relative) == (None, granularity, True)


def test_a_year_only_anchor_still_resolves_years_and_month_days() -> None:
    assert only("last year", YEAR_ONLY).value == "2022"
    assert only("on Sept. 13", YEAR_ONLY).value == "2023-09-13"
    assert only("Earlier in August", YEAR_ONLY).value == "2023-08"
    assert only("on Sept. 13", NONE).value is None


@pytest.mark.parametrize(
    "text",
    ["Article 5 of the treaty", "a $2.3 billion package", "Korea 2 won", "call 555-2023-2024",
     "+1 (202) 555-0173", "3 min read", "No. 1 priority", "she may return",
     "Theresa May said", "the March on Washington", "He will march 20 miles",
     "a vote led by May", "Russia Today reported", "a ratio of 15:30", "page 12/2023"],
)  # fmt: skip
def test_not_dates(text: str) -> None:
    assert find_dates(text, FRIDAY) == [], find_dates(text, FRIDAY)


@pytest.mark.parametrize("text", ["in May", "in early May", "since May 2021", "last May", "May 4"])
def test_may_as_a_month(text: str) -> None:
    assert len(find_dates(text, FRIDAY)) == 1


def test_bad_input() -> None:
    assert find_dates("", FRIDAY) == []
    assert infer_anchor("", None, None, None) == DateAnchor(None, AnchorSource.NONE)
    text = "“Today,” she said — « hier » — on Sept. 13 in Zürich, ünïcödé 🙂 and in 2023."
    values = [m.value for m in find_dates(text, FRIDAY)]
    assert values == ["2023-09-15", "2023-09-13", "2023"]
    assert find_dates("Это было 13 сентября 2023 года.", FRIDAY) == []


def test_a_megabyte_finishes_well_under_a_second() -> None:
    text = (SEED_LIKE_BODY + "\n\n") * (1_000_000 // len(SEED_LIKE_BODY))
    started = time.perf_counter()
    mentions = find_dates(text, FRIDAY)
    assert time.perf_counter() - started < 1.0
    assert len(mentions) > 1000
