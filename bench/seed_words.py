"""Made-up words for the benchmark's posts and its search (no Django needed)."""

from __future__ import annotations

import random


def vocabulary() -> list[str]:
    """Five thousand made-up words: a search index with rare terms in it, as a real
    forum's is (the forty reused bodies alone would make every word common)."""
    rng = random.Random(5)  # noqa: S311
    onsets = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st"]
    vowels = ["a", "e", "i", "o", "u", "ai", "ou"]
    words: set[str] = set()
    while len(words) < 5000:
        words.add("".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(3)))
    return sorted(words)


# The search benchmark looks for this word: about one post in 2,500 has it.
SEARCH_WORD = vocabulary()[17]


# The selective search looks for this phrase, which about NEEDLES posts carry
# whatever the size of the data set: as a member searching for a phrase they
# remember from one discussion would.
NEEDLE_PHRASE = "zephyrine quillback"
NEEDLES = 5
