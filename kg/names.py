"""Matching what a user typed against names, ids and keywords, and suggesting what was meant.

One set of rules for annotation ids, query parameters and graph commands: case, spacing and
the kind of apostrophe do not matter (' and ’ are the same); an exact name or id wins over a
substring; a suggestion is a candidate that contains every word typed, or else one close in
spelling. A short list of allowed values (qualifiers, kinds) is shown whole instead of a guess
that could mislead ('less-than' is not a typo of 'more-than').
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "＇": "'"})
_WORD_BREAKS = re.compile(r"[\s\-_/,.]+")


def normalize(text: str) -> str:
    """The form names are compared in: case-folded, one kind of apostrophe, single spaces."""
    return " ".join(text.translate(_APOSTROPHES).casefold().split())


def match(value: str, pool: dict[str, set[str]]) -> tuple[list[str], bool]:
    """The keys of ``pool`` whose names match ``value``, and whether they matched exactly:
    an exact name first; part of a name only when no name matches exactly."""
    wanted = normalize(value)
    forms = {key: {normalize(name) for name in names} for key, names in pool.items()}
    exact = sorted(key for key, names in forms.items() if wanted in names)
    if exact:
        return exact, True
    return sorted(key for key, names in forms.items() if any(wanted in n for n in names)), False


def closest(value: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` candidates: those containing every word of ``value`` (shortest first), then
    those closest in spelling, then those containing most of its words."""
    pool = sorted(set(candidates))
    words = [w for w in _WORD_BREAKS.split(normalize(value)) if len(w) > 1]
    contained = {c: sum(w in normalize(c) for w in words) for c in pool}
    every = sorted((c for c in pool if words and contained[c] == len(words)), key=len)
    spelled = difflib.get_close_matches(value, pool, n=n, cutoff=0.6)
    some = sorted((c for c in pool if contained[c]), key=lambda c: (-contained[c], len(c), c))
    return list(dict.fromkeys(every + spelled + some))[:n]


def did_you_mean(value: str, candidates: Iterable[str], otherwise: str | None = None) -> str | None:
    """A hint naming the closest candidates, or ``otherwise`` when none is close."""
    found = closest(value, candidates)
    if found:
        return "did you mean " + " or ".join(f"'{c}'" for c in found) + "?"
    return otherwise


def allowed_values(value: str, allowed: Iterable[str]) -> str:
    """A hint listing every allowed value, with a guess only for a clear misspelling."""
    allowed = sorted(allowed)
    guess = difflib.get_close_matches(value, allowed, n=1, cutoff=0.8)
    listed = "allowed values: " + ", ".join(allowed)
    return f"did you mean '{guess[0]}'? {listed}" if guess else listed
