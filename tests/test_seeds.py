"""The two real seed pages through the whole ingest: the issue's acceptance strings."""

from __future__ import annotations

from pathlib import Path

from newsfuse.api import open_newsfuse

SEED_000 = "000_7d16066ec0314990.txt"
SEED_003 = "003_33087cf3fc370740.txt"


def _ingest_seeds(seeds_dir: Path, tmp_path: Path) -> dict[str, object]:
    with open_newsfuse(f"sqlite:///{tmp_path / 'seeds.db'}") as news:
        report = news.ingest([str(seeds_dir)])
        assert report.counts.ingested == 2, report.rejections
        return {Path(a.source).name: a for a in news.articles()}


def test_seed_000_body_is_the_article_only(seeds_dir: Path, tmp_path: Path) -> None:
    article = _ingest_seeds(seeds_dir, tmp_path)[SEED_000]
    body = article.text  # type: ignore[attr-defined]
    assert body.startswith("South Korea grows worried")
    for boilerplate in (
        "25,000 members",
        "Martin Fornusek is a reporter",
        "Trump said on Nov. 25",
        "Driscoll",
        "South Korea pledges $2.3 billion",
    ):
        assert boilerplate not in body
    assert "Yonhap reported on Sept. 14" in body
    assert article.published is None or article.published.year == 2023  # type: ignore[attr-defined]


def test_seed_003_body_is_the_article_only(seeds_dir: Path, tmp_path: Path) -> None:
    article = _ingest_seeds(seeds_dir, tmp_path)[SEED_003]
    body = article.text  # type: ignore[attr-defined]
    for boilerplate in ("VIEW 423", "Coal Controversy", "Poland bans entry"):
        assert boilerplate not in body
    assert body.startswith("South Korea has voiced its growing unease")
    assert body.rstrip().endswith("tenuous peace in the region.")
    assert article.title == "South Korea Raises Alarm Over North Korea-Russia Military Talks"  # type: ignore[attr-defined]
    assert article.published is None  # type: ignore[attr-defined]


def test_seeds_form_one_story_apart_from_the_corpus(
    seeds_dir: Path, corpus_dir: Path, tmp_path: Path
) -> None:
    with open_newsfuse(f"sqlite:///{tmp_path / 'stories.db'}") as news:
        news.ingest([str(corpus_dir), str(seeds_dir)])
        seeds = {
            a.id for a in news.articles(limit=100) if Path(a.source).name in {SEED_000, SEED_003}
        }
        assert len(seeds) == 2
        memberships = news.store.memberships(sorted(seeds))
        story_ids = {m.story_id for m in memberships.values()}
        assert len(story_ids) == 1
        detail = news.story(story_ids.pop())
        assert detail.story.article_count == 2  # no corpus article joined the seeds
        assert detail.story.outlet_count == 2
        assert detail.story.independent_origin_count == 2


def test_seed_annotations(seeds_dir: Path, tmp_path: Path) -> None:
    from newsfuse.annotate.annotator import Annotator

    articles = _ingest_seeds(seeds_dir, tmp_path)
    first, second = Annotator().annotate([articles[SEED_000], articles[SEED_003]])
    text = articles[SEED_000].text  # type: ignore[attr-defined]

    def date_of(result, phrase):  # noqa: ANN001, ANN202
        return next(d for d in result.dates if d.text.endswith(phrase))

    assert date_of(first, "Sept. 13").value == "2023-09-13"
    duration = date_of(second, "18-month")
    assert duration.granularity == "duration"

    kim = {m.text: m.actor_id for m in (*first.entities, *second.entities) if "Kim Jong" in m.text}
    assert set(kim) >= {"Kim Jong Un", "Kim Jong-un"} and len(set(kim.values())) == 1

    top_diplomat = next(q for q in first.quotes if q.speaker == "South Korea's top diplomat")
    assert top_diplomat.speaker_canonical == "Park Jin"
    assert "extremely serious threat" in text[top_diplomat.start : top_diplomat.end]
    yonhap = [q for q in first.quotes if q.speaker and "Yonhap" in q.speaker]
    assert all(q.speaker_kind == "outlet" for q in yonhap)

    lim = next(q for q in second.quotes if q.speaker == "Lim")
    assert lim.speaker_canonical == "Lim Soo-suk"

    amur = next(p for p in first.places if "Amur" in p.text)
    assert amur.country == "RUS"


def test_seed_dossier_facts(seeds_dir: Path, tmp_path: Path) -> None:
    """The issue's dossier checks: the summit and South Korea's warning shared, Park Jin's
    remarks only in the first outlet, Lim Soo-suk's statement only in the second, one Kim."""
    from newsfuse.fuse.dossier import build_dossier

    with open_newsfuse(f"sqlite:///{tmp_path / 'seeds.db'}") as news:
        news.ingest([str(seeds_dir)])
        (story,) = news.stories()
        dossier = build_dossier(news, story.id)
        kims = {
            m.actor_id
            for notes in news.store.annotations_of(
                [r.original.article_id for r in dossier.reports]
            ).values()
            for m in notes.entities
            if "Kim" in m.text
        }
    first, second = (r.original.article_id for r in dossier.reports)

    def supported(fact_text: str, article_id: str) -> list[str]:
        return [
            f.kind
            for f in dossier.facts
            for e in f.support
            if e.article_id == article_id and fact_text in e.text
        ]

    assert supported("South Korea grows worried", first) == ["shared"]  # the warning
    assert supported("voiced its growing unease following a high-level summit", second) == [
        "shared"
    ]
    assert supported("met Putin in Russia's far-eastern Amur Oblast", first) == ["shared"]  # summit
    for park in ("extremely serious threat", "reviewing all possible measures", "Park noted"):
        assert supported(park, first) == ["unique"]
    for lim in ("Lim Soo-suk, the spokesperson", "Lim underscored"):
        assert supported(lim, second) == ["unique"]
    # Shoigu's August visit to Pyongyang and his presence at the summit are two facts.
    assert supported("Sergei Shoigu visited", first) == ["unique"]
    assert supported("presence of Russian Defense Minister Sergei Shoigu", second) == ["unique"]
    assert kims == {"person:kim-jong-un"}
    outlets = {s.speaker_id: {o for q in s.quotes for o in q.outlets} for s in dossier.quotes}
    first_outlet, second_outlet = (r.original.outlet_name for r in dossier.reports)
    assert outlets["person:park-jin"] == {first_outlet}
    assert outlets["person:lim-soo-suk"] == {second_outlet}
