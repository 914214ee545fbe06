"""How alike two use-case titles read: the normalising, stop words and crude stemming behind the duplicates search.

Pure functions on text, no database: selectors.possible_duplicates narrows candidates with `search_words` and scores
them with `title_similarity`.
"""

import re
from difflib import SequenceMatcher

_WORDS = re.compile(r"[a-z0-9]+")
_LETTERS = re.compile(r"[a-z]+")

# Words that say nothing about what a use case does ("AI" is in half the titles).
STOP_WORDS = frozenset(
    {"a", "an", "and", "the", "to", "of", "for", "in", "on", "with", "by", "from", "our", "ai"}
)

# Tried in this order; the first that leaves a stem of at least MIN_STEM letters is taken, the rest are not tried.
# ("answers" -> "answer" and "boxes" -> "boxe" need no rules of their own: the final "s" goes either way.)
SUFFIXES = (("ies", "y"), ("ing", ""), ("ed", ""), ("s", ""))
MIN_STEM = 3

# Candidates are narrowed in the database by the longest key words: shorter ones match too many titles.
SEARCH_WORD_MIN_LENGTH = 4
SEARCH_WORDS_AT_MOST = 6


def normalise(title: str) -> str:
    """Lower case, letters and digits only, one space between words."""
    return " ".join(_WORDS.findall(title.lower()))


def normalise_letters(title: str) -> str:
    """The title's wording: lower case, letters a-z only, one space between runs ("Claims triage #12" -> "claims
    triage"). The duplicates check reads titles worded the same first (in SQL, the same expression over the column)."""
    return " ".join(_LETTERS.findall(title.lower()))


def stem(word: str) -> str:
    """A deliberately crude English stemmer: enough for "replies" ~ "reply" and "drafting" ~ "draft"."""
    for suffix, replacement in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)] + replacement
    return word


def key_words(title: str) -> set[str]:
    """The stems of the title's words that carry meaning."""
    return {stem(w) for w in normalise(title).split() if w not in STOP_WORDS}


def search_words(title: str) -> list[str]:
    """The longest key words of a title, longest first (ties alphabetically), to find candidates that share one."""
    long_enough = {w for w in key_words(title) if len(w) >= SEARCH_WORD_MIN_LENGTH}
    return sorted(long_enough, key=lambda w: (-len(w), w))[:SEARCH_WORDS_AT_MOST]


def title_similarity(a: str, b: str) -> float:
    """0..1: how alike two titles read (word overlap and character sequence, whichever is stronger)."""
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return 0.0
    words_a, words_b = key_words(a), key_words(b)
    if not words_a or not words_b:
        return SequenceMatcher(None, na, nb).ratio()
    overlap = len(words_a & words_b) / len(words_a | words_b)
    return max(overlap, SequenceMatcher(None, na, nb).ratio())
