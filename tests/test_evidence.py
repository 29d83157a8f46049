"""Finding quotes in articles, and the closest passage shown when a quote is not there."""

from __future__ import annotations

import time

import pytest
from helpers import FIVE_ARTICLES

from kg.annotations import Article, Origin, Quote
from kg.errors import EvidenceError
from kg.evidence import closest_passage, locate

ARTICLES = FIVE_ARTICLES / "articles"
ARTICLE_003 = ARTICLES / "003_1da268ff874a2100.txt"


def article_text() -> str:
    return ARTICLE_003.read_text(encoding="utf-8")


def all_articles() -> str:
    """About 22,000 characters: the five seed articles one after another."""
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(ARTICLES.glob("*.txt")))


def article(text: str) -> Article:
    return Article(
        key="test",
        file="test.txt",
        text=text,
        title="test",
        publisher=None,
        source=None,
        published=None,
        author=None,
        languages=("en",),
        url=None,
        note=None,
        facts=[],
        annotation_file="test.yaml",
        origin=Origin("test.yaml", 1),
    )


def change_words(quote: str, every: int = 60) -> str:
    """``quote`` with every ``every``-th word misspelt, so that it is no longer in the article."""
    words = quote.split(" ")
    for index in range(every // 2, len(words), every):
        words[index] = words[index][::-1] + "x"
    return " ".join(words)


def timed(text: str, quote: str) -> tuple[str, float]:
    start = time.perf_counter()
    passage = closest_passage(text, quote)
    return passage, time.perf_counter() - start


def overlap(span: tuple[int, int], other: tuple[int, int]) -> int:
    return max(0, min(span[1], other[1]) - max(span[0], other[0]))


def span_of(text: str, passage: str) -> tuple[int, int]:
    start = text.find(passage)
    assert start >= 0, "the closest passage is a stretch of the article"
    assert text.find(passage, start + 1) < 0, "the test's passages occur once"
    return start, start + len(passage)


def test_misspelt_number_shows_the_passage_with_the_right_number():
    assert closest_passage(article_text(), "aiding with 286 surgeries") == (
        "aiding with 268 surgeries"
    )


def test_missing_quote_error_shows_the_closest_passage():
    quote = Quote("aiding with 286 surgeries", 1, Origin("a.yaml", 7))
    with pytest.raises(EvidenceError) as info:
        locate(article(article_text()), quote)
    assert "closest passage: 'aiding with 268 surgeries'" in (info.value.detail or "")
    assert info.value.line == 7


@pytest.mark.timeout(20)
@pytest.mark.parametrize("source", ["one article", "five articles"])
def test_long_missing_quote_finds_its_region_quickly(source):
    text = article_text() if source == "one article" else all_articles()
    where = text.index("In the symposium, Feng Xianni")
    start = where - 400 if source == "one article" else where - 1500
    region = (start, start + 3000)
    quote = change_words(text[region[0] : region[1]])
    assert len(quote) >= 3000 and quote not in text
    passage, seconds = timed(text, quote)
    assert seconds < 1.0
    assert overlap(span_of(text, passage), region) >= 2700
    assert abs(len(passage) - len(quote)) < 300


@pytest.mark.timeout(20)
def test_long_missing_quote_error_is_quick():
    text = all_articles()
    quote = change_words(text[8000:11000])
    start = time.perf_counter()
    with pytest.raises(EvidenceError) as info:
        locate(article(text), Quote(quote, 1, Origin("a.yaml", 3)))
    assert time.perf_counter() - start < 1.0
    assert "closest passage:" in (info.value.detail or "")


@pytest.mark.timeout(20)
def test_long_quote_without_spaces_finds_its_region_quickly():
    text = "".join(all_articles().split())
    region = (9000, 12000)
    quote = list(text[region[0] : region[1]])
    for index in range(100, len(quote), 250):
        quote[index] = "#"
    quote = "".join(quote)
    assert " " not in quote and quote not in text
    passage, seconds = timed(text, quote)
    assert seconds < 1.0
    assert overlap(span_of(text, passage), region) >= 2700


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("a" * 20000, "a" * 2999 + "b"),
        ("ab" * 10000, "ba" * 1499 + "bb"),
        ("a " * 10000, "a " * 1499 + "b "),
        ("the " * 5000, ("the " * 749) + "then"),
        ("漢" * 20000, "漢" * 2999 + "字"),
    ],
    ids=["one-letter", "two-letters", "one-word", "one-common-word", "one-han-character"],
)
def test_repetitive_text_stays_quick(text, quote):
    passage, seconds = timed(text, quote)
    assert seconds < 1.0
    assert passage and passage in text


def test_empty_article():
    assert closest_passage("", "anything at all") == ""
    assert closest_passage("", "x" * 3000) == ""


def test_quote_longer_than_the_article_shows_the_whole_article():
    assert closest_passage("short article", "a much longer quote than that") == "short article"


def test_plain_space_for_a_non_breaking_one_still_gets_its_hint():
    text = "team of experts headed by President\u00a0Zheng Xingdong, embarked on a mission"
    quote = Quote("headed by President Zheng Xingdong", 1, Origin("a.yaml", 2))
    with pytest.raises(EvidenceError) as info:
        locate(article(text), quote)
    assert "U+00A0" in (info.value.hint or "")


def test_long_quote_with_plain_space_for_a_non_breaking_one_gets_the_hint():
    text = article_text()
    start = text.index("On May 29th, our esteemed team")
    quote = text[start : start + 1200].replace("\u00a0", " ")
    assert quote not in text
    with pytest.raises(EvidenceError) as info:
        locate(article(text), Quote(quote, 1, Origin("a.yaml", 2)))
    assert "U+00A0" in (info.value.hint or "")
