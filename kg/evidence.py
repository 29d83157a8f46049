"""Find evidence quotes in the article text: character offsets, or the closest passage on failure.

Offsets count Unicode code points in the article as stored (no newline translation), which is
what oa:TextPositionSelector means by start and end.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Sequence
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


SHORT_QUOTE = 200  # characters: a shorter quote is compared with the article character by character
MIN_WORDS = 4  # a longer quote with fewer words (Chinese, say) is compared by character pairs
CANDIDATES = 5  # best-overlapping windows ranked by difflib
SHIFT = 2  # tokens either side of the best window also ranked
RANK_LIMIT = 4000  # tokens: longer quotes are ranked by overlap alone, to keep difflib bounded

_WORD = re.compile(r"\S+")


def closest_passage(text: str, quote: str) -> str:
    """The stretch of ``text`` most similar to ``quote``, to show the annotator what is there.

    Time is about linear in the lengths of the article and the quote: a quote of SHORT_QUOTE
    characters or more is matched word by word (or, with few spaces, by pairs of characters);
    a shorter one is compared character by character, which is cheap at that size.
    """
    if not text:
        return ""
    if len(quote) >= len(text):
        return text
    if len(quote) < SHORT_QUOTE:
        return _closest_by_characters(text, quote)
    words = _WORD.findall(quote)
    if len(words) >= MIN_WORDS:
        return _closest_by_words(text, words)
    # few or no spaces (Chinese, say): pairs of characters stand in for words
    size = len(quote)
    pairs = [quote[index : index + 2] for index in range(size - 1)]
    starts = _best_windows(len(text) - 1, lambda index: text[index : index + 2], pairs)
    best = _best_ranked(starts, lambda start: text[start : start + size], quote, len(text) - size)
    return text[best : best + size]


def _closest_by_words(text: str, words: list[str]) -> str:
    """The run of as many words of ``text`` as ``words`` has that is most like them."""
    size = len(words)
    spans = [match.span() for match in _WORD.finditer(text)]
    if len(spans) <= size:
        return text[spans[0][0] : spans[-1][1]] if spans else text
    tokens = [text[start:end] for start, end in spans]

    def window(start: int) -> list[str]:
        return tokens[start : start + size]

    def edges(start: int) -> int:  # does the window begin and end as the quote does?
        return tokens[start].endswith(words[0]) + tokens[start + size - 1].startswith(words[-1])

    starts = _best_windows(len(tokens), tokens.__getitem__, words)
    first = _best_ranked(starts, window, words, len(tokens) - size, edges)
    last = first + size - 1
    start, end = spans[first][0], spans[last][1]
    # a quote that begins or ends inside a word: show no more of that word than it has
    if tokens[first] != words[0] and tokens[first].endswith(words[0]):
        start = spans[first][1] - len(words[0])
    if tokens[last] != words[-1] and tokens[last].startswith(words[-1]):
        end = spans[last][0] + len(words[-1])
    return text[start:end]


def _closest_by_characters(text: str, quote: str) -> str:
    """Slide a quote-sized window along the text, then refine around the best one."""
    size = len(quote)
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


def _best_windows(count: int, token: Callable[[int], str], wanted: Sequence[str]) -> list[int]:
    """Where windows of ``len(wanted)`` of the ``count`` tokens share most tokens with ``wanted``.

    One pass keeps a running count of the tokens the window shares with ``wanted`` (as
    multisets). Returns the first tokens of up to CANDIDATES windows, best first, each at least
    half a window from the others. Needs ``count > len(wanted) > 0``.
    """
    size = len(wanted)
    block = max(1, size // 2)
    need = Counter(wanted)
    have: Counter[str] = Counter()
    shared = 0
    best_in_block: dict[int, tuple[int, int]] = {}  # block -> (shared, -start) of its best window
    for index in range(count):
        added = token(index)
        if have[added] < need[added]:
            shared += 1
        have[added] += 1
        if index >= size:
            gone = token(index - size)
            have[gone] -= 1
            if have[gone] < need[gone]:
                shared -= 1
        start = index - size + 1
        if start >= 0:
            score = (shared, -start)
            if best_in_block.get(start // block, (-1, 0)) < score:
                best_in_block[start // block] = score
    chosen: list[int] = []
    for _, negative in sorted(best_in_block.values(), reverse=True):
        if all(abs(-negative - taken) * 2 >= size for taken in chosen):
            chosen.append(-negative)
            if len(chosen) == CANDIDATES:
                break
    return chosen


def _best_ranked(
    starts: list[int],
    window: Callable[[int], Sequence[str]],
    wanted: Sequence[str],
    last: int,
    edges: Callable[[int], int] = lambda start: 0,
) -> int:
    """The start whose window difflib finds most like ``wanted``, ties going to the window whose
    ``edges`` fit better: of the ``starts``, then of the few starts either side of the best one
    (up to ``last``). Just the first of ``starts`` when ``wanted`` is longer than RANK_LIMIT."""
    if len(wanted) > RANK_LIMIT:
        return starts[0]
    # autojunk: very common tokens start no match, which bounds the time on repetitive text
    matcher = difflib.SequenceMatcher(autojunk=True)
    matcher.set_seq2(wanted)
    scores: dict[int, tuple[float, int, int]] = {}

    def score(start: int) -> tuple[float, int, int]:
        if start not in scores:
            matcher.set_seq1(window(start))
            scores[start] = (matcher.ratio(), edges(start), -start)
        return scores[start]

    best = max(starts, key=score)
    nearby = range(max(0, best - SHIFT), min(last, best + SHIFT) + 1)
    return max(nearby, key=score)
