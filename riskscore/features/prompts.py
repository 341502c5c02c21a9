"""Prompt analysis on arrival: a raw prompt becomes a few derived values, and only those are ever kept.

Pure Python, CPU-only, no Django: ingest calls `analyse_prompt` for every usage event, so it must stay fast.
The parts: prompt_text.py (normal form, phrase rules), elicitation.py, prompt_category.py, prompt_templates.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from riskscore.features import elicitation, prompt_category
from riskscore.features.elicitation import ELICITATION_KEYWORDS, elicitation_score, fired_features
from riskscore.features.prompt_category import CATEGORY_KEYWORDS, category_of
from riskscore.features.prompt_templates import skeleton_fingerprint, skeleton_of
from riskscore.features.prompt_text import Keywords, normalise

# Prompts may be 200,000 characters; the instructions sit at the head and tail, the middle is payload.
HEAD_CHARS = 12_000
TAIL_CHARS = 4_000
_KEYWORDS = Keywords(ELICITATION_KEYWORDS | CATEGORY_KEYWORDS)


@dataclass(frozen=True, slots=True)
class PromptAnalysis:
    cot_elicitation: float  # [0,1]: how strongly the prompt asks for reasoning traces or reward labels to train on
    category: str  # one of prompt_category.CATEGORIES
    template_fingerprint: int  # signed 64-bit; equal for one wrapper around different payloads
    length_words: int  # as the rules count them: punctuation splits words, a Chinese or Japanese character is one


def analyse_prompt(prompt: str) -> PromptAnalysis:
    """Everything kept of a prompt. Pure and deterministic: the same text gives the same analysis anywhere."""
    truncated = len(prompt) > HEAD_CHARS + TAIL_CHARS
    text = prompt[:HEAD_CHARS] + "\n" + prompt[-TAIL_CHARS:] if truncated else prompt
    normal = normalise(text, keywords=_KEYWORDS)
    fired = fired_features(normal)
    return PromptAnalysis(
        cot_elicitation=elicitation_score(fired),
        category=category_of(normal, fired),
        template_fingerprint=skeleton_fingerprint(skeleton_of(text, normal.words)),
        # Past the analysed head and tail, words are counted at the head and tail's density: exact counting of
        # 200,000 characters of Chinese would cost a hundred times the rest of the analysis.
        length_words=round(normal.length * len(prompt) / len(text)) if truncated else normal.length,
    )


def cot_features(prompt: str) -> frozenset[str]:
    """Names of the elicitation features a prompt shows: for explanations and tests, never stored."""
    return fired_features(normalise(prompt, keywords=_KEYWORDS))


def prepare() -> None:
    """Compile the rules' Hyperscan databases now (~0.6 s), not during the first request that carries a prompt."""
    _KEYWORDS.prepare()
    elicitation.SCANNER.prepare()
    prompt_category.PHRASE_SCANNER.prepare()
