"""Capability category of a prompt (coding, agentic tool use, computer use, data analysis, reasoning, grading,
rewriting, general): keyword and phrase votes, plus the elicitation features that imply a kind of work.
"""

from __future__ import annotations

from riskscore.features.prompt_text import Normalised, RuleScanner, rule

CATEGORIES = (
    "coding",
    "agentic_tool_use",
    "computer_use",
    "data_analysis",
    "reasoning",
    "grading",
    "rewriting",
    "general",
)

# Keyword votes per category; the highest total wins, "general" when none reaches MIN_CATEGORY_SCORE. Ties go to the
# more specific kind of work, in _CATEGORY_ORDER (an agent that edits code is agentic tool use, not coding).

MIN_CATEGORY_SCORE = 2.0

_CATEGORY_ORDER = (
    "computer_use", "agentic_tool_use", "grading", "rewriting", "data_analysis", "coding", "reasoning",
)  # fmt: skip
_KEYWORD_WEIGHTS = {
    "coding": (
        (2.0, "python javascript typescript java golang rust kotlin sql regex traceback stacktrace refactor "
              "compile compiler debug debugging bug bugs segfault exception npm pip pytest def const async"),
        (1.0, "function functions code class method variable script api endpoint library implement unittest "
              "test tests error repository repo git diff patch"),
    ),
    "agentic_tool_use": (
        (2.5, "tools agent agentic autonomous sandbox"),
        (1.5, "tool execute invoke shell bash terminal command commands"),
        (1.0, "action actions observation"),
    ),
    "computer_use": (
        (2.5, "screenshot click clicks mouse cursor gui desktop scroll browser"),
        (1.0, "button navigate webpage tab window keyboard coordinates"),
    ),
    "data_analysis": (
        (2.5, "dataset dataframe csv pandas spreadsheet excel regression correlation"),
        (1.0, "data column columns rows table chart plot statistics statistical median average trend "
              "visualize visualise"),
    ),
    "reasoning": (
        (1.5, "solve prove proof puzzle equation probability theorem calculate derive"),
        (1.0, "math reasoning logic remainder integer roots area perimeter sum divided compute scratchpad "
              "monologue deliberation rationale"),
    ),
    "grading": (
        (2.5, "rubric grader grade grading evaluate evaluation judge preference"),
        (1.5, "score rate rating criteria criterion completion completions candidate"),
    ),
    "rewriting": (
        (2.5, "rewrite rephrase paraphrase reword proofread revise sanitize sanitise sanitized redo"),
        (1.5, "edit tone concise polish shorten simplify wording grammar translate tighten soften reframe"),
    ),
}  # fmt: skip


def _votes_by_word(weights: dict[str, tuple[tuple[float, str], ...]]) -> dict[str, tuple[tuple[str, float], ...]]:
    votes: dict[str, tuple[tuple[str, float], ...]] = {}
    for category, groups in weights.items():
        for weight, words in groups:
            for word in words.split():
                votes[word] = (*votes.get(word, ()), (category, weight))
    return votes


_CATEGORY_KEYWORDS = _votes_by_word(_KEYWORD_WEIGHTS)  # word: the categories it votes for, and how much
_CATEGORY_WORDS = frozenset(_CATEGORY_KEYWORDS)
_CATEGORY_PHRASES = (
    ("coding", rule("code_fence", 2.0, r"```", raw=True)),
    ("agentic_tool_use", rule("tool_calls", 2.0, r" (?:tool|function) calls? | available tools | thought action "
                                                  r"observation ", "tool function available thought")),
    ("computer_use", rule("screen", 2.0, r" (?:the|this) screen | type (?:\w+ ){0,3}into | web page ",
                           "screen type web")),
    ("grading", rule("which_better", 2.5, r" which (?:\w+ ){0,5}(?:better|preferred) ", "which", "better preferred")),
    ("reasoning", rule("trace", 2.0, r" chains? of (?:thought|reasoning) | thought process | reasoning trace ",
                        "chain chains thought trace")),
    ("reasoning", rule("how_many", 1.5, r" how (?:many|much|long) ", "many much long", "how")),
    ("rewriting", rule("make_it_sound", 2.0, r" make (?:this|it|my) (?:\w+ ){0,3}(?:sound|read|more|less) ",
                        "sound read more less", "make")),
    ("reasoning", rule("step_by_step", 1.0, r" step by step ", "step")),
)  # fmt: skip


PHRASE_SCANNER = RuleScanner([phrase for _, phrase in _CATEGORY_PHRASES])

# Elicitation features are votes too: asking for a reasoning trace is reasoning work, whatever the payload.
_FEATURE_VOTES = {
    "trace_request": ("reasoning", 2.0),
    "hidden_reasoning": ("reasoning", 2.0),
    "full_trace": ("reasoning", 2.0),
    "reconstruct_reasoning": ("reasoning", 2.0),
    "mind_transcript": ("reasoning", 2.0),
    "grade_output": ("grading", 2.0),
    "pairwise": ("grading", 2.0),
    "judge_role": ("grading", 2.0),
    "rewrite_output": ("rewriting", 2.0),
}
# Every word the votes look for: the only words of a prompt worth keeping in a set.
CATEGORY_KEYWORDS = frozenset().union(
    _CATEGORY_WORDS, *(words for _, phrase in _CATEGORY_PHRASES for words in (phrase.anchors, *phrase.also))
)


def category_of(normal: Normalised, fired: frozenset[str]) -> str:
    """The category with the most votes; `fired`: the prompt's elicitation features."""
    scores = dict.fromkeys(_CATEGORY_ORDER, 0.0)
    for feature in fired & _FEATURE_VOTES.keys():
        category, weight = _FEATURE_VOTES[feature]
        scores[category] += weight
    for word in normal.vocabulary & _CATEGORY_WORDS:
        for category, weight in _CATEGORY_KEYWORDS[word]:
            scores[category] += weight
    for index in PHRASE_SCANNER.matching(normal):
        category, phrase = _CATEGORY_PHRASES[index]
        scores[category] += phrase.weight
    best = max(_CATEGORY_ORDER, key=scores.__getitem__)  # max keeps the first of equals: the tie-break order
    return best if scores[best] >= MIN_CATEGORY_SCORE else "general"
