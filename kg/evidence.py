"""Find evidence quotes in the article text: character offsets, or the closest passage on failure.

Offsets count Unicode code points in the article as stored (no newline translation), which is
what oa:TextPositionSelector means by start and end.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from kg.annotations import Article, Quote
from kg.errors import EvidenceError

CONTEXT = 32  # characters of oa:prefix / oa:suffix kept around each quote


@dataclass(frozen=True)
class Located:
    """A quote found in its article."""

    quote: Quote
    start: int
    end: int
    prefix: str
    suffix: str


def locate(article: Article, quote: Quote) -> Located:
    """Where ``quote`` occurs in the article; else an EvidenceError with the closest passage."""
    text = article.text
    start = -1
    for _ in range(quote.occurrence):
        start = text.find(quote.text, start + 1)
        if start < 0:
            break
    if start < 0:
        count = text.count(quote.text)
        if count:
            raise EvidenceError(
                f"quote occurs {count} time(s) in {article.file}, not {quote.occurrence}",
                file=quote.origin.file,
                line=quote.origin.line,
                hint=f"set 'occurrence' to a number from 1 to {count}",
            )
        passage = closest_passage(text, quote.text)
        hint = (
            "copy the quote character for character from the article, typos, double "
            "spaces and curly quotes included"
        )
        if passage.split() == quote.text.split() and "\u00a0" in passage:
            hint = (
                "the article has a non-breaking space (U+00A0) there: write the quote in double "
                'quotes with \\u00a0 in its place, e.g. "President\\u00a0 of"'
            )
        raise EvidenceError(
            f"quote not found in article {article.file}: {quote.text!r}",
            file=quote.origin.file,
            line=quote.origin.line,
            detail=f"closest passage: {passage!r}",
            hint=hint,
        )
    end = start + len(quote.text)
    return Located(
        quote, start, end, text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
    )


def closest_passage(text: str, quote: str) -> str:
    """The stretch of ``text`` most similar to ``quote``, to show the annotator what is there."""
    size = len(quote)
    if not text:
        return ""
    if size >= len(text):
        return text
    step = max(1, size // 8)
    best_start, best_ratio = 0, -1.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote)
    for start in range(0, len(text) - size + 1, step):
        matcher.set_seq1(text[start : start + size])
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best_start, best_ratio = start, ratio
    # refine around the best window one character at a time
    for start in range(max(0, best_start - step), min(len(text) - size, best_start + step) + 1):
        matcher.set_seq1(text[start : start + size])
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best_start, best_ratio = start, ratio
    return text[best_start : best_start + size]
