"""How prompt analysis reads a prompt: its normal form (words without case or punctuation) and phrase rules on it.

Shared by the elicitation score, the capability category and the template fingerprint; pure Python, no Django.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import hyperscan

# ---- normalisation ---------------------------------------------------------------------------------------------------
# The rules read one normal form: lower-case words between single spaces, padded with a space at both ends, without
# punctuation, so "Chain-of-Thought", "chain of\nthought" and "CHAIN OF THOUGHT!!" are the same three words. An ASCII
# prompt is made one with a byte table and one substitution, and no list of its words is ever built (that was a third
# of the analysis): its words are counted with another byte table.

ASCII_WORDS = bytes((c + 32 if 65 <= c <= 90 else c) if chr(c).isalnum() else 32 for c in range(128)) + bytes(128)
_WORD_OR_SPACE = bytes(32 if c == 32 else 97 for c in range(256))  # then a word starts at each " a"
_SPACE_RUN = re.compile(b"  +")
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # zero-width characters split no words
_CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# A run of letters and digits, or a run of Chinese, Japanese or Korean characters (scripts without spaces: a run is
# a phrase, and counting goes by character, roughly as tokenizers do).
_TOKEN = re.compile(f"[{_CJK_CHARS}]+|[^\\W_{_CJK_CHARS}]+")
_CJK_RUN = re.compile(f"[{_CJK_CHARS}]+")
# Full-width, circled, ligature and mathematical letters spell words that keyword rules would miss: NFKC folds them.
# Only then, because NFKC also rewrites all the full-width punctuation of Chinese text, at ten times the cost.
_COMPATIBILITY_LETTER = re.compile(
    "[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\ufb00-\ufb06\u24b6-\u24e9\U0001d400-\U0001d7ff]"
)


def split_words(text: str) -> list[str]:
    """The words of `text` in the normal form's spelling."""
    if text.isascii():
        return text.encode("ascii").translate(ASCII_WORDS).decode("ascii").split()
    return _TOKEN.findall(_folded(text))


def _folded(text: str) -> str:
    if _COMPATIBILITY_LETTER.search(text):
        text = unicodedata.normalize("NFKC", text)
    text = text.lower()
    for char in _INVISIBLE:  # str.translate reads a dict per character: ten times slower than this
        if char in text:
            text = text.replace(char, "")
    return text


@dataclass(frozen=True, slots=True)
class Normalised:
    length: int  # in words
    words: str  # the normal form
    vocabulary: frozenset[str]  # the words of the prompt that some rule or keyword looks for
    lowered: str  # the text lower-cased with its punctuation, for the rules that read markup


def normalise(text: str, *, keywords: Keywords) -> Normalised:
    """The normal form of `text`, with the set of its words among `keywords` (the words some rule looks for)."""
    if text.isascii():
        spaced = _SPACE_RUN.sub(b" ", b" " + text.encode("ascii").translate(ASCII_WORDS) + b" ")
        length = spaced.translate(_WORD_OR_SPACE).count(b" a")
        words = spaced.decode("ascii")
    else:
        tokens = _TOKEN.findall(_folded(text))
        runs = _CJK_RUN.findall(text)
        length = len(tokens) + sum(map(len, runs)) - len(runs)  # a run is one token but as many words as characters
        words = " " + " ".join(tokens) + " "
    return Normalised(length, words, keywords.found_in(words), text.lower())


class Keywords:
    """A set of words looked for in normal forms: one Hyperscan pass of literal " word " patterns."""

    def __init__(self, words: frozenset[str]) -> None:
        self._words = sorted(words)
        self._databases = _Databases(words=({i: f" {word} " for i, word in enumerate(self._words)}, 0))

    def prepare(self) -> None:
        """Compile now rather than on the first prompt."""
        self._databases.compile_all()

    def found_in(self, normal_form: str) -> frozenset[str]:
        found: set[int] = set()
        self._databases.scan("words", normal_form, found)
        return frozenset(map(self._words.__getitem__, found))


# ---- phrase rules ----------------------------------------------------------------------------------------------------
# Every rule of an analysis is compiled into one Hyperscan database (Intel's multi-pattern regular expression
# engine, in C): one pass over the prompt tells which rules match anywhere in it, where Python's `re` took a search
# per rule (and half the analysis time, even searching only near the rules' anchor words).


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    weight: float
    pattern: str  # a regular expression in the syntax common to Python's re and Hyperscan
    # The rule counts only if the prompt has one of the anchors and a word from each set in `also`.
    anchors: frozenset[str]
    also: tuple[frozenset[str], ...]
    raw: bool  # matched against the lower-cased text with its punctuation (markup), not the normal form
    requires: frozenset[str]  # rules of which one must have fired already: the feature only means something with them
    # A pattern Hyperscan would take seconds to compile (a gap of hundreds of words): it scans this necessary part
    # instead, and Python's re confirms `pattern` on the prompts where that part occurs.
    prefilter: str | None


def rule(
    name: str,
    weight: float,
    pattern: str,
    *triggers: str,
    raw: bool = False,
    requires: str = "",
    prefilter: str | None = None,
) -> Rule:
    """`triggers`: the anchor words, then any sets of words of which the prompt must also have one each."""
    anchors, *also = (frozenset(words.split()) for words in triggers) if triggers else (frozenset(),)
    return Rule(name, weight, pattern, anchors, tuple(also), raw, frozenset(requires.split()), prefilter)


class RuleScanner:
    """Which of `rules` a prompt shows: each rule's pattern found anywhere in the text it reads, its triggers present.

    One scan of the normal form and, when a markup rule has its triggers, one of the lower-cased text. The databases
    are compiled on first use (a fraction of a second), so processes that never analyse a prompt never pay for it.
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        raw = [r for r in self.rules if r.raw]
        self._raw_always = any(not r.anchors for r in raw)
        self._raw_triggers = frozenset().union(*(r.anchors for r in raw))
        self._confirm = {i: re.compile(r.pattern) for i, r in enumerate(self.rules) if r.prefilter is not None}
        self._databases = _Databases(
            # In the normal form every character but the spaces belongs to a word: there \w is [^ ], which
            # Hyperscan compiles far smaller than Unicode's word characters, and bytes need no UTF-8 mode.
            words=(
                {i: (r.prefilter or r.pattern).replace("\\w", "[^ ]") for i, r in enumerate(self.rules) if not r.raw},
                0,
            ),
            # Markup rules read the text itself: Unicode's classes, as in re.
            raw=(
                {i: r.prefilter or r.pattern for i, r in enumerate(self.rules) if r.raw},
                hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP,
            ),
        )

    def prepare(self) -> None:
        """Compile now rather than on the first prompt."""
        self._databases.compile_all()

    def matching(self, normal: Normalised) -> list[int]:
        """Indices of the rules the prompt shows, in rule order."""
        found: set[int] = set()
        self._databases.scan("words", normal.words, found)
        if self._raw_always or not self._raw_triggers.isdisjoint(normal.vocabulary):
            self._databases.scan("raw", normal.lowered, found)
        vocabulary = normal.vocabulary
        return [
            i
            for i in sorted(found)
            if (not self.rules[i].anchors or not self.rules[i].anchors.isdisjoint(vocabulary))
            and all(not needed.isdisjoint(vocabulary) for needed in self.rules[i].also)
            and (
                i not in self._confirm or self._confirm[i].search(normal.lowered if self.rules[i].raw else normal.words)
            )
        ]


class _Databases:
    """Named Hyperscan databases of {id: pattern}, compiled on first use, with a scratch space per thread."""

    def __init__(self, **sources: tuple[dict[int, str], int]) -> None:
        self._sources = sources
        self._compiled: dict[str, object] = {}
        self._lock = threading.Lock()
        self._scratch = threading.local()

    def scan(self, name: str, text: str, found: set[int]) -> None:
        """Add to `found` the ids of the patterns of database `name` that occur in `text`."""
        database = self._compiled.get(name) or self._compile(name)
        if database is _EMPTY:
            return
        scratch = getattr(self._scratch, name, None)
        if scratch is None:
            scratch = hyperscan.Scratch(database)
            setattr(self._scratch, name, scratch)
        # Lone surrogates (which JSON can carry) are not UTF-8: they match nothing anyway.
        database.scan(text.encode("utf-8", "replace"), _collect, context=found, scratch=scratch)

    def compile_all(self) -> None:
        for name in self._sources:
            self._compile(name)

    def _compile(self, name: str):
        with self._lock:
            if name not in self._compiled:
                patterns, flags = self._sources[name]
                self._compiled[name] = _database(patterns, flags) if patterns else _EMPTY
            return self._compiled[name]


_EMPTY = object()


def _collect(pattern_id: int, start: int, end: int, flags: int, found: set[int]) -> None:
    found.add(pattern_id)


def _database(patterns: dict[int, str], flags: int):
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=[pattern.encode() for pattern in patterns.values()],
        ids=list(patterns),
        elements=len(patterns),
        flags=[hyperscan.HS_FLAG_SINGLEMATCH | flags] * len(patterns),
    )
    return database
