"""How prompt analysis reads a prompt: its normal form (words without case or punctuation) and phrase rules on it.

Shared by the elicitation score, the capability category and the template fingerprint; pure Python, no Django.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# ---- normalisation ---------------------------------------------------------------------------------------------------
# The rules read one normal form: lower-case words between single spaces, padded with a space at both ends, without
# punctuation, so "Chain-of-Thought", "chain of\nthought" and "CHAIN OF THOUGHT!!" are the same three words.

ASCII_WORDS = bytes((c + 32 if 65 <= c <= 90 else c) if chr(c).isalnum() else 32 for c in range(128)) + bytes(128)
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
    if text.isascii():  # the common case: a byte table is ten times faster than the regular expression
        return text.encode("ascii").translate(ASCII_WORDS).decode("ascii").split()
    if _COMPATIBILITY_LETTER.search(text):
        text = unicodedata.normalize("NFKC", text)
    text = text.lower()
    for char in _INVISIBLE:  # str.translate reads a dict per character: ten times slower than this
        if char in text:
            text = text.replace(char, "")
    return _TOKEN.findall(text)


def count_words(text: str, tokens: list[str]) -> int:
    if text.isascii():
        return len(tokens)
    runs = _CJK_RUN.findall(text)
    return len(tokens) + sum(map(len, runs)) - len(runs)  # a run is one token but as many words as characters


@dataclass(frozen=True, slots=True)
class Normalised:
    tokens: list[str]
    length: int  # in words
    words: str  # the normal form
    vocabulary: frozenset[str]  # the words of the prompt that some rule or keyword looks for
    lowered: str  # the text lower-cased with its punctuation, for the rules that read markup


def normalise(text: str, *, keywords: frozenset[str]) -> Normalised:
    """The normal form of `text`, with the set of its words among `keywords` (the words some rule looks for)."""
    tokens = split_words(text)
    spaced = " " + " ".join(tokens) + " "
    return Normalised(tokens, count_words(text, tokens), spaced, keywords.intersection(tokens), text.lower())


# ---- phrase rules ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    weight: float
    pattern: re.Pattern[str]
    # The pattern runs only if the prompt has one of the anchors and a word from each set in `also`: most prompts
    # skip most patterns, and regular expressions are what costs time here. Matches are looked for near anchors.
    anchors: frozenset[str]
    also: tuple[frozenset[str], ...]
    raw: bool  # matched against the lower-cased text with its punctuation (markup), not the normal form
    requires: frozenset[str]  # rules of which one must have fired already: the feature only means something with them
    reach: tuple[int, int]  # characters a match can extend before and after an anchor; (0, 0): search everywhere
    literal: str | None  # the pattern when it is plain text: `in` is far faster than a regular expression


def rule(
    name: str,
    weight: float,
    pattern: str,
    *triggers: str,
    raw: bool = False,
    requires: str = "",
    reach: tuple[int, int] = (100, 100),
) -> Rule:
    """`triggers`: the anchor words, then any sets of words of which the prompt must also have one each."""
    anchors, *also = (frozenset(words.split()) for words in triggers) if triggers else (frozenset(),)
    literal = None if any(char in pattern for char in ".^$*+?{}[]\\|()") else pattern
    return Rule(
        name, weight, re.compile(pattern), anchors, tuple(also), raw, frozenset(requires.split()), reach, literal
    )


_MAX_WINDOWS = 12


def matches(rule: Rule, normal: Normalised) -> bool:
    """Whether the rule's pattern is in the prompt, given that one of its anchors is."""
    vocabulary, words = normal.vocabulary, normal.words
    for needed in rule.also:
        if needed.isdisjoint(vocabulary):
            return False
    text = normal.lowered if rule.raw else words
    if rule.literal is not None:
        return rule.literal in text
    before, after = rule.reach
    if rule.raw or not before + after:
        return rule.pattern.search(text) is not None
    # Search only around the anchors: a regular expression costs time in proportion to the text it reads.
    spans = []
    for word in rule.anchors.intersection(vocabulary):
        needle = f" {word} "
        at = words.find(needle)
        while at != -1:
            spans.append((max(0, at - before), at + len(needle) + after))
            if len(spans) > _MAX_WINDOWS:
                return rule.pattern.search(words) is not None
            at = words.find(needle, at + 1)
    if not spans:
        return False
    spans.sort()
    start, end = spans[0]
    for span_start, span_end in spans[1:]:  # overlapping spans are searched as one
        if span_start > end:
            if rule.pattern.search(words, start, end):
                return True
            start = span_start
        end = max(end, span_end)
    return rule.pattern.search(words, start, end) is not None
