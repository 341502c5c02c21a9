"""Prompt analysis on arrival: a raw prompt becomes a few derived values, and only those are ever kept.

Pure Python, CPU-only, no Django: ingest calls `analyse_prompt` for every usage event, so it must stay fast.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass

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

# Prompts may be 200,000 characters; the instructions sit at the head and tail, the middle is payload.
HEAD_CHARS = 12_000
TAIL_CHARS = 4_000


@dataclass(frozen=True, slots=True)
class PromptAnalysis:
    cot_elicitation: float  # [0,1]: how strongly the prompt asks for reasoning traces or reward labels to train on
    category: str  # one of CATEGORIES
    template_fingerprint: int  # signed 64-bit; equal for one wrapper around different payloads
    length_words: int  # as the rules count them: punctuation splits words, a Chinese or Japanese character is one


def analyse_prompt(prompt: str) -> PromptAnalysis:
    """Everything kept of a prompt. Pure and deterministic: the same text gives the same analysis anywhere."""
    truncated = len(prompt) > HEAD_CHARS + TAIL_CHARS
    text = prompt[:HEAD_CHARS] + "\n" + prompt[-TAIL_CHARS:] if truncated else prompt
    normal = _normalise(text)
    fired = _fired(normal)
    return PromptAnalysis(
        cot_elicitation=_cot_elicitation(fired),
        category=_category(normal, fired),
        template_fingerprint=_fingerprint(_skeleton(text, normal.tokens)),
        # Past the analysed head and tail, words are counted at the head and tail's density: exact counting of
        # 200,000 characters of Chinese would cost a hundred times the rest of the analysis.
        length_words=round(normal.length * len(prompt) / len(text)) if truncated else normal.length,
    )


def cot_features(prompt: str) -> frozenset[str]:
    """Names of the elicitation features a prompt shows: for explanations and tests, never stored."""
    return _fired(_normalise(prompt))


# ---- normalisation ---------------------------------------------------------------------------------------------------
# The rules read one normal form: lower-case words between single spaces, padded with a space at both ends, without
# punctuation, so "Chain-of-Thought", "chain of\nthought" and "CHAIN OF THOUGHT!!" are the same three words.

_ASCII_WORDS = bytes((c + 32 if 65 <= c <= 90 else c) if chr(c).isalnum() else 32 for c in range(128)) + bytes(128)
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


def _words(text: str) -> list[str]:
    if text.isascii():  # the common case: a byte table is ten times faster than the regular expression
        return text.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split()
    if _COMPATIBILITY_LETTER.search(text):
        text = unicodedata.normalize("NFKC", text)
    text = text.lower()
    for char in _INVISIBLE:  # str.translate reads a dict per character: ten times slower than this
        if char in text:
            text = text.replace(char, "")
    return _TOKEN.findall(text)


def _count_words(text: str, tokens: list[str]) -> int:
    if text.isascii():
        return len(tokens)
    runs = _CJK_RUN.findall(text)
    return len(tokens) + sum(map(len, runs)) - len(runs)  # a run is one token but as many words as characters


@dataclass(frozen=True, slots=True)
class _Normalised:
    tokens: list[str]
    length: int  # in words
    words: str  # the normal form
    vocabulary: frozenset[str]  # the words of the prompt that some rule or keyword looks for
    lowered: str  # the text lower-cased with its punctuation, for the rules that read markup


def _normalise(text: str) -> _Normalised:
    tokens = _words(text)
    words = " " + " ".join(tokens) + " "
    return _Normalised(tokens, _count_words(text, tokens), words, _KEYWORDS.intersection(tokens), text.lower())


# ---- chain-of-thought elicitation ------------------------------------------------------------------------------------
# A logistic over hand-set weights (log-odds) of phrase features. There is no labelled traffic to fit on, and a
# classifier fitted to our simulator would learn its phrasings; hand-set weights are auditable, each one an argument.
# With the bias at -4 one feature alone stays under 0.4 ("show your reasoning", a student's habit, gives 0.12); it
# takes two that agree to pass 0.5, and a distillation request names what it wants in several ways ("write out the
# complete chain of thought": three features, 0.88). Interactions add what only a combination means. Features count
# once however often they occur, so repeating a phrase cannot pump the score.


@dataclass(frozen=True, slots=True)
class _Rule:
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


def _rule(
    name: str,
    weight: float,
    pattern: str,
    *triggers: str,
    raw: bool = False,
    requires: str = "",
    reach: tuple[int, int] = (100, 100),
) -> _Rule:
    """`triggers`: the anchor words, then any sets of words of which the prompt must also have one each."""
    anchors, *also = (frozenset(words.split()) for words in triggers) if triggers else (frozenset(),)
    literal = None if any(char in pattern for char in ".^$*+?{}[]\\|()") else pattern
    return _Rule(
        name, weight, re.compile(pattern), anchors, tuple(also), raw, frozenset(requires.split()), reach, literal
    )


_MAX_WINDOWS = 12


def _matches(rule: _Rule, normal: _Normalised) -> bool:
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


_TRACE = (
    r"(?:chains? of (?:thought|reasoning)|cot|thought process(?:es)?|thinking process|reasoning (?:process|traces?|"
    r"steps|chain)|reasoning|rationales?|scratch ?pad|(?:inner|internal) monologue|monologue|deliberations?|"
    r"derivation)"
)
_TRACE_WORDS = (
    "chain chains cot thought reasoning thinking scratchpad scratch monologue deliberation deliberations derivation "
    "rationale rationales"
)
_REASONING = r"(?:reasoning|thoughts?|thinking|rationale|chains? of thought|thought process)"
_REASONING_WORDS = "reasoning thought thoughts thinking rationale chain chains"
_OUTPUT = r"(?:answer|response|reply|output|completion|solution|conclusion|result)s?"
_OUTPUT_WORDS = (
    "answer answers response responses reply replies output outputs completion completions solution solutions"
)
_TRACE_RULES = "trace_request hidden_reasoning full_trace reconstruct_reasoning reasoning_behind_output mind_transcript"
_ACTION_WORDS = "call calls action actions command commands edit edits step steps invocation invocations result results"
_ACTION = r"(?:tool calls?|calls?|actions?|commands?|edits?|(?:tool |function )?invocations?|tool results?)"
# What an agent is asked to write next to each action.
_JUSTIFICATION = (
    r"(?:reasoning|thoughts?|thinking|rationale|chains? of thought|thought process|reflections?|justifications?)"
)
_JUSTIFICATION_WORDS = _REASONING_WORDS + " reflection reflections justification justifications"
_CRITICISM_WORDS = "negative critical criticism unflattering"
_VICTIM_WORDS = "casualties deaths protest protests dissident dissidents massacre crackdown killings victims"

# Several rules may share a name: they are the alternatives of one feature, each gated by its own trigger words.
_COT_BIAS = -4.0
_COT_RULES = (
    # The reasoning itself as the product, not a worked answer.
    _rule("trace_request", 2.0, r" (?:write|writes|writing) (?:out|down) (?:\w+ ){0,5}" + _TRACE + " ",
          _TRACE_WORDS, "write writes writing", "out down", reach=(90, 30)),
    _rule("trace_request", 2.0,
          r" (?:show|reveal|expose|output|print|dump|produce|provide|include|share|spell out|lay out|transcribe|"
          r"reproduce|recreate|verbali[sz]e|externali[sz]e|document|emit|return|give|write) (?:\w+ ){0,5}" + _TRACE
          + " ",
          _TRACE_WORDS, "show reveal expose output print dump produce provide include share spell lay transcribe "
          "reproduce recreate verbalize verbalise externalize externalise document emit return give write",
          reach=(90, 30)),
    _rule("trace_request", 2.0,
          " " + _REASONING + r" (?:must|should|has to|have to|needs? to) be (?:\w+ ){0,2}(?:spelled out|written out|"
          r"shown|visible|explicit) ",
          _REASONING_WORDS, "spelled written shown visible explicit", reach=(20, 90)),
    _rule("hidden_reasoning", 3.0,
          r" (?:hidden|internal|private|inner|secret|raw|latent|unfiltered|unedited|behind the scenes|concealed) "
          r"(?:\w+ ){0,2}(?:reasoning|thoughts|thinking|thought process|chains? of thought|monologue|scratch ?pad|"
          r"deliberations?|reasoning traces?|rationale|cognition) ",
          "hidden internal private inner secret raw latent unfiltered unedited behind concealed",
          "reasoning thoughts thinking thought monologue scratchpad scratch deliberation deliberations rationale "
          "cognition", reach=(20, 70)),
    _rule("scratchpad", 2.0, r" (?:scratch ?pad|scratch work|thinking tokens|reasoning tokens|think tags) ",
          "scratchpad scratch tokens tags"),
    _rule("full_trace", 2.5,
          r" (?:complete|full|entire|whole|exhaustive|verbatim|unabridged|every|all|underlying|raw) (?:\w+ ){0,2}"
          r"(?:chains? of (?:thought|reasoning)|thought process|thinking process|reasoning (?:process|traces?)|"
          r"reasoning|monologue|derivation|thinking) ",
          "chain chains thought reasoning thinking monologue derivation",
          "complete full entire whole exhaustive verbatim unabridged every all underlying raw", reach=(50, 40)),
    _rule("full_trace", 2.5, " " + _REASONING + r" (?:\w+ ){0,3}(?:fully|completely|exhaustively|in full) ",
          "fully completely exhaustively full", _REASONING_WORDS, reach=(80, 10)),
    _rule("full_trace", 2.5, r" (?:think|thinking|reason|reasoning|thoughts?) (?:\w+ ){0,4}(?:exhaustively|as long "
          r"as you need|at (?:great )?length) ", "exhaustively need length", "think thinking reason reasoning thought "
          "thoughts"),
    _rule("full_trace", 2.5, r" (?:make|keep) (?:each|every|all|your) (?:thought|thoughts|reasoning)s? (?:\w+ ){0,2}"
          r"(?:detailed|explicit|thorough|complete|long) ", "detailed explicit thorough complete long",
          "thought thoughts reasoning"),
    _rule("cot_term", 1.5, r" chains? of (?:thought|reasoning) ", "chain chains", "thought reasoning"),
    _rule("cot_term", 1.5, r" (?:cot|reasoning traces?) ", "cot trace traces"),
    _rule("cot_term", 1.5, r" (?:thought|thinking) process ", "process", "thought thinking"),
    _rule("reconstruct_reasoning", 3.5,
          r" (?:reconstruct|recreate|reverse engineer|backfill|back fill|retrace|recover|rebuild|work backwards?"
          r") (?:\w+ ){0,5}(?:reasoning|thoughts?|thinking|steps|rationale|logic|chain) ",
          "reconstruct recreate reverse backfill back retrace recover rebuild backward backwards"),
    _rule("reasoning_behind_output", 2.0,
          r" (?:reasoning|thought process|thinking|chains? of thought|steps|rationale|logic) (?:that |which )?"
          r"(?:led|leads|lead|produced|produces|generated|resulted in|went into|arrived at|arrives at|arrive at|"
          r"behind) (?:\w+ ){0,3}" + _OUTPUT + " ",
          "led leads lead produced produces generated resulted went arrived arrives arrive behind", _OUTPUT_WORDS,
          "reasoning thought thinking chain chains steps rationale logic", reach=(50, 60)),
    _rule("mind_transcript", 2.5,
          r" (?:transcript|record|log|narration|recording) of (?:your|the model s|its) (?:\w+ ){0,2}(?:mind|"
          r"thoughts?|thinking|reasoning|cognition|deliberations?) ",
          "transcript record log narration recording", "mind thought thoughts thinking reasoning cognition"),
    # Rationalising a known answer: the classic way to manufacture reasoning data for a given label.
    _rule("given_output", 1.5,
          r" (?:completed|finished|given|provided|existing|reference|correct) (?:\w+ ){0,1}(?:answer|response|"
          r"completion|output|solution)s? ",
          "completed finished given provided existing reference correct", _OUTPUT_WORDS,
          requires=_TRACE_RULES),
    _rule("no_skipping", 1.5,
          r" (?:do not|don t|never|without) (?:skip|skipping|omit|omitting|leave out|leaving out|summari[sz]e|"
          r"abbreviate|condense|shorten)(?: \w+){0,3} (?:steps?|reasoning|thoughts|thinking) ",
          "skip skipping omit omitting leave leaving summarize summarise abbreviate condense shorten",
          "step steps reasoning thoughts thinking", reach=(30, 60)),
    _rule("no_skipping", 1.5, r" (?:every|each) (?:single |intermediate )(?:step|decision|thought) ",
          "single intermediate", "step decision thought", reach=(20, 25)),
    _rule("no_skipping", 1.5, r" intermediate (?:steps|reasoning|thoughts|calculations|decisions) ", "intermediate",
          reach=(0, 0)),
    _rule("self_corrections", 2.0,
          r" (?:false starts?|dead ends?|self corrections?|backtrack|backtracking|second guess(?:es|ing)?|"
          r"abandoned (?:approaches|attempts|ideas)|hesitations?|twists? and turns?|wrong turns?) ",
          "false dead corrections correction backtrack backtracking guess guesses guessing abandoned hesitation "
          "hesitations twist twists turn turns"),
    _rule("self_corrections", 2.0,
          r" (?:ideas? you|what you) (?:consider|considered|reject|rejected|discard|discarded) ",
          "discard discarded reject rejected consider considered", "you"),
    _rule("self_corrections", 2.0, r" double checking ", "double", reach=(0, 0)),
    _rule("reasoning_field", 2.0,
          r" (?:thought|thoughts|reasoning|rationale|thinking|chain of thought) (?:field|key|block|section|tags?|"
          r"property|entry|column) ",
          "field key block section tag tags property entry column", "thought thoughts reasoning rationale thinking"),
    # Agent trajectories with a reasoning step attached to every action: tool-use traces to imitate.
    _rule("reasoning_per_action", 2.0,
          r" (?:every|each) (?:\w+ ){0,3}" + _ACTION + r" (?:\w+ ){0,6}" + _JUSTIFICATION + r" | (?:tool calls?|"
          r"actions?|commands?) (?:\w+ ){0,8}(?:every|each) (?:\w+ ){0,3}" + _JUSTIFICATION + " | " + _JUSTIFICATION
          + r" (?:\w+ ){0,4}(?:every|each) (?:\w+ ){0,2}" + _ACTION + " ",
          _ACTION_WORDS, "every each", _JUSTIFICATION_WORDS, reach=(160, 160)),
    _rule("reasoning_per_action", 2.0,
          r" (?:every|each) (?:\w+ ){0,2}(?:tool calls?|calls?|actions?|commands?|steps?) (?:\w+ ){0,5}why ",
          "why", _ACTION_WORDS, "every each"),
    _rule("think_aloud", 1.0,
          r" (?:think|thinking) (?:out loud|aloud) | stream of (?:consciousness|thoughts?) | narrate (?:\w+ ){0,2}(?:"
          r"what you are doing|your (?:actions|steps|work|process|thinking|reasoning|thoughts)) ",
          "aloud loud stream narrate"),
    _rule("trace_tags", 2.0, r"<\s*/?\s*(?:think|thinking|reasoning|scratchpad|thoughts?|cot|rationale)\s*>",
          "think thinking reasoning scratchpad thought thoughts cot rationale", raw=True),
    _rule("trace_json_key", 2.0,
          r'"(?:reasoning|rationale|chain_of_thought|thought_process|thoughts?|cot|thinking)"\s*:',
          "reasoning rationale chain thought thoughts cot thinking", raw=True),
    _rule("training_purpose", 2.0,
          r" (?:training (?:data|set|corpus|examples)|fine ?tun(?:e|ing)|distill(?:ation|ing|ed)?|sft|rlhf|dpo|"
          r"reward model|preference data(?:set)?|synthetic data|supervision) ",
          "training fine finetune finetuning distill distillation distilling distilled sft rlhf dpo reward "
          "preference synthetic supervision"),
    _rule("training_purpose", 2.0, r" (?:student|teacher|smaller|small) models? ",
          "student teacher smaller small", "model models"),
    _rule("training_purpose", 2.0,
          r" learn from (?:the|your|these|its) (?:trajector(?:y|ies)|traces?|outputs?|reasoning) ",
          "trajectory trajectories trace traces outputs reasoning", "learn"),
    _rule("reward_score", 2.0,
          r" (?:give|output|return|respond with|assign) (?:a |the |one )?(?:scalar |numeric )?reward | reward "
          r"(?:between|from|of) ",
          "reward"),
    # Grading that works as a reward model: a score or a preference over model outputs, with its justification.
    _rule("grade_output", 2.0,
          r" (?:score|rate|grade|evaluate|assess|judge|critique|rank) (?:\w+ ){0,4}(?:responses?|completions?|"
          r"answers?|outputs?|repl(?:y|ies)|candidates?|generations?|assistant s) ",
          "score rate grade evaluate assess judge critique rank"),
    _rule("ai_output", 1.0,
          r" (?:ai|model|assistant|assistant s|chatbot|llm|candidate|generated) (?:responses?|answers?|outputs?|"
          r"completions?|repl(?:y|ies)|solutions?) ",
          "ai model assistant chatbot llm candidate generated", _OUTPUT_WORDS),
    _rule("rubric", 1.25, r" (?:rubrics?|scoring guide|grading criteria|evaluation criteria|criteria|criterion|"
          r"checklist) ", "rubric rubrics scoring grading evaluation criteria criterion checklist"),
    _rule("justify_each", 1.0,
          r" justify (?:\w+ ){0,3}(?:criterion|criteria|scores?|ratings?|grades?|judge?ments?|decision|choice|"
          r"preference) | (?:explanation|rationale|justification|sentence) (?:for|per) (?:each|every|rating|criterion|"
          r"score) | (?:per|each) (?:criterion|dimension) | "
          r"(?:a |one )?(?:mark|score|grade|rating|points?) for (?:every|each) ",
          "justify explanation rationale justification criterion dimension mark score grade rating point points "
          "sentence"),
    _rule("score_scale", 1.0,
          r" (?:scale|score|scores|rate|rating|grade|mark|marks|points) (?:\w+ ){0,6}(?:(?:from |in |between )?[01] "
          r"(?:to |and )?(?:1|5|7|10|100)|out of (?:5|10|20|100)) ",
          "1 5 7 10 20 100", "scale score scores rate rating grade mark marks points"),
    _rule("score_scale", 1.0, r" likert ", "likert", reach=(0, 0)),
    _rule("pairwise", 3.5,
          r" which (?:of )?(?:these |the |those )?(?:two |2 |following |both )(?:ai |model |assistant s |assistant )?"
          r"(?:responses|completions|answers|outputs|replies|generations|candidates) (?:\w+ ){0,3}(?:better|best|"
          r"preferred|superior|more helpful|higher quality) | which (?:response|completion|reply|output|answer|"
          r"assistant) (?:\w+ ){0,5}(?:prefer|better|best) ",
          "better best preferred superior helpful quality prefer", "which",
          "responses completions answers outputs replies generations candidates response completion reply output "
          "answer assistant", reach=(130, 10)),
    _rule("pairwise", 3.5, r" (?:first|second|former|latter) (?:\w+ ){0,2}is better ",
          "better", "first second former latter"),
    _rule("a_versus_b", 1.5, r" (?:response|completion|output|answer|assistant|model|reply) (?:a|1) (?:\w+ )"
          r"{0,300}?(?:response|completion|output|answer|assistant|model|reply) (?:b|2) ",
          "b 2", "response completion output answer assistant model reply", reach=(3000, 10)),
    _rule("preference_label", 1.5,
          r" (?:output|give|return|state) (?:a |your )?preference | preference (?:label|judge?ment|score) | "
          r"preferred (?:response|completion|answer|output) | (?:chosen|rejected) (?:response|completion) | "
          r"pairwise | win rate | two (?:ai )?(?:assistants|models|chatbots) | two (?:candidate |model |ai )?"
          r"(?:outputs|responses|completions|replies) ",
          "preference preferred chosen rejected pairwise win assistants models chatbots outputs responses "
          "completions replies"),
    _rule("verdict_markup", 1.5, r"\[\[(?:rating|a|b|c)\]\]", "rating a b c", raw=True),  # starts with "[[": cheap
    _rule("verdict_markup", 1.5, r'"(?:winner|preference|preferred|verdict)"\s*:',
          "winner preference preferred verdict", raw=True),
    _rule("judge_role", 2.0,
          r" (?:you are|act as|acting as|serve as|as) (?:an? |the )?(?:\w+ ){0,2}(?:grader|judge|evaluator|rater|"
          r"examiner|reward model) | llm as a judge ",
          "grader judge evaluator rater examiner reward"),
    # Rewrites of a sensitive answer into an approved one: training data for a censored model.
    _rule("rewrite_output", 1.0,
          r" (?:rewrite|re write|revise|rephrase|reword|paraphrase|redo|edit|sanitize|sanitise|soften|tone down|modify|"
          r"adjust|regenerate|recast|reframe) (?:\w+ ){0,4}(?:answer|response|reply|text|output|paragraph|passage|"
          r"completion|content)s? | (?:rewrite|revise|redo|rephrase|reword|paraphrase|adjust) (?:it|this|that|them|"
          r"the following) | (?:produce|write|give|create) (?:me )?(?:a |an )?(?:new |revised |different |cleaner |"
          r"safer )?version ",
          "rewrite re revise rephrase reword paraphrase redo edit sanitize sanitise soften tone modify adjust "
          "regenerate recast reframe version"),
    _rule("rewrite_output", 1.0,
          r" make (?:this|the|it|my) (?:\w+ ){0,5}(?:safe|acceptable|harmonious|suitable|compliant|neutral|positive|"
          r"appropriate) ",
          "safe acceptable harmonious suitable compliant neutral positive appropriate", "make"),
    _rule("sensitive_topic", 1.5,
          r" (?:tiananmen|june (?:4|4th|fourth)|tank man|taiwan(?:ese)?|tibet(?:an)?|dalai lama|xinjiang|uyghurs?|"
          r"uighurs?|falun gong|hong kong protests?|cultural revolution|great leap forward|xi jinping|ccp|"
          r"communist party|prc|chinese government|one child policy|special military operation|navalny|"
          r"politically sensitive|sensitive (?:political )?(?:topics?|issues?|subjects?|questions?|content|history|"
          r"events?)|censor\w*|dissidents?|mainland china|chinese (?:users|audiences?|readers|market)|domestic "
          r"audiences?) ",
          "tiananmen june tank taiwan taiwanese tibet tibetan dalai xinjiang uyghur uyghurs uighur uighurs falun "
          "hong revolution leap xi ccp communist prc chinese child operation navalny politically sensitive censor "
          "censored censorship censors dissident dissidents mainland domestic"),
    _rule("approved_target", 1.5,
          r" (?:safe|acceptable|compliant|sanitized|sanitised|neutral|inoffensive|uncontroversial|non controversial|"
          r"approved|approve|harmonious|positive energy|politically correct) | (?:in line|consistent|aligned?|"
          r"compliant|comply|conform\w*) with (?:\w+ ){0,3}(?:official|government|party|state|national|socialist|"
          r"regulations|authorities|narrative|position|stance|framing) | official (?:narrative|position|stance|line|"
          r"view|framing) | party line | core socialist values | state media | content review | (?:under|with) "
          r"(?:local|national|domestic) (?:rules|laws?|regulations) | follows? (?:\w+ ){0,2}(?:official|government s?|"
          r"party s?|state s?) (?:\w+ ){0,2}(?:position|stance|narrative|line|view|framing) | (?:publish|published|"
          r"publication|shown|displayed) (?:\w+ ){0,2}(?:domestically|in (?:mainland )?china|in the prc) ",
          "safe acceptable compliant sanitized sanitised neutral inoffensive uncontroversial controversial approved "
          "approve harmonious energy politically line consistent aligned align comply conform conforms official "
          "party socialist media review local domestic follow follows domestically china prc",
          requires="rewrite_output sensitive_topic"),
    _rule("censorship_intent", 2.5,
          r" (?:align|aligns|aligned|match|matches|conform|conforms) (?:\w+ ){0,3}(?:state media|official|government|"
          r"party) (?:\w+ ){0,2}(?:framing|narrative|line|stance|position|view|account) ",
          "framing narrative line stance position view account", "align aligns aligned match matches conform conforms",
          "media official government party", reach=(110, 10)),
    _rule("censorship_intent", 2.5,
          r" (?:drop|remove|omit|avoid|delete|without) (?:\w+ ){0,3}(?:negative|critical|criticism|unflattering) "
          r"(?:\w+ ){0,4}(?:authorities|government|party|state|leadership|officials) ",
          _CRITICISM_WORDS, "drop remove omit avoid delete without",
          "authorities government party state leadership officials"),
    _rule("censorship_intent", 2.5,
          r" pass (?:a |the )?(?:\w+ )?(?:content|censorship) review | (?:reviewers|censors?) (?:\w+ ){0,2}approve ",
          "review approve", "pass reviewers censor censors"),
    _rule("censorship_intent", 2.5,
          r" (?:no|without|avoid|remove|drop|omit) (?:any )?(?:mention|references?)s? (?:of|to) (?:\w+ ){0,3}"
          r"(?:casualties|deaths|protests?|dissidents?|massacre|crackdown|killings|victims) ",
          _VICTIM_WORDS, "mention mentions reference references", reach=(80, 10)),
    _rule("censorship_intent", 2.5,
          r" (?:blocked|removed|flagged|deleted|taken down) by (?:the )?(?:censors?|reviewers|moderators|authorities) ",
          "blocked removed flagged deleted taken", "censor censors reviewers moderators authorities"),
    _rule("censorship_intent", 2.5,
          r" (?:remove|removing|drop|dropping|omit|omitting|strip|stripping|avoid|avoiding|without) (?:any |all )?"
          r"(?:politically )?sensitive (?:details|content|parts|claims|information|statements|facts) ",
          "sensitive", "remove removing drop dropping omit omitting strip stripping avoid avoiding without"),
    _rule("censorship_intent", 2.5,
          r" (?:presents?|portrays?|describes?|shows?|depicts?) (?:\w+ ){0,4}(?:government|authorities|party|"
          r"officials|state) (?:\w+ ){0,3}(?:positively|favou?rably|in a (?:positive|good|better) light) | (?:too|"
          r"overly) (?:negative|critical) (?:about|of|towards) ",
          "positively favourably favorably light negative critical",
          "government authorities party officials state too overly"),
    # Ordinary study and benchmark phrasing: a small nudge each way, never decisive alone.
    _rule("step_by_step", 0.5, r" step by step ", "step", reach=(0, 0)),
    _rule("learning", -1.0,
          r" (?:i m|i am) (?:a |an )?(?:\w+ ){0,2}student | homework | my (?:\w+ )?(?:class|course|exam|quiz|test|"
          r"teacher|professor|textbook|students) | studying | help me understand | eli5 | explain like i m | "
          r"how (?:\w+ ){1,5}works? | in class | (?:student|students) (?:answers|essays|work|papers|wrote) ",
          "student students homework class course exam quiz test teacher professor textbook studying understand eli5 "
          "works work"),
)  # fmt: skip
_COT_WEIGHTS = {rule.name: rule.weight for rule in _COT_RULES}

# Features that mean much more together than apart, which single logistic terms cannot express.
_COT_INTERACTIONS = (
    (frozenset({"grade_output", "ai_output"}), 1.0),  # a score for a model's output is a reward label
    (frozenset({"rewrite_output", "sensitive_topic", "approved_target"}), 3.0),
    (frozenset({"sensitive_topic", "approved_target"}), 1.5),
    (frozenset({"censorship_intent", "rewrite_output"}), 1.5),
    (frozenset({"censorship_intent", "sensitive_topic"}), 1.5),
)


def _rules_by_anchor(rules: tuple[_Rule, ...]) -> dict[str, int]:
    """Which rules each anchor word wakes up, as bits: one set intersection instead of a check per rule."""
    index: dict[str, int] = {}
    for bit, rule in enumerate(rules):
        for word in rule.anchors:
            index[word] = index.get(word, 0) | 1 << bit
    return index


_RULES_BY_ANCHOR = _rules_by_anchor(_COT_RULES)
_ANCHOR_WORDS = frozenset(_RULES_BY_ANCHOR)


def _fired(normal: _Normalised) -> frozenset[str]:
    awake = 0
    for word in normal.vocabulary & _ANCHOR_WORDS:
        awake |= _RULES_BY_ANCHOR[word]
    fired: set[str] = set()
    while awake:  # lowest bit first: rules in order, so that a rule's prerequisites are decided before it
        rule = _COT_RULES[(awake & -awake).bit_length() - 1]
        awake &= awake - 1
        if rule.name in fired or (rule.requires and rule.requires.isdisjoint(fired)):
            continue
        if _matches(rule, normal):
            fired.add(rule.name)
    return frozenset(fired)


def _cot_elicitation(fired: frozenset[str]) -> float:
    logit = _COT_BIAS + sum(_COT_WEIGHTS[name] for name in fired)
    logit += sum(weight for needed, weight in _COT_INTERACTIONS if needed <= fired)
    return round(1.0 / (1.0 + math.exp(-logit)), 4)


# ---- category --------------------------------------------------------------------------------------------------------
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
    ("coding", _rule("code_fence", 2.0, r"```", raw=True)),
    ("agentic_tool_use", _rule("tool_calls", 2.0, r" (?:tool|function) calls? | available tools | thought action "
                                                  r"observation ", "tool function available thought")),
    ("computer_use", _rule("screen", 2.0, r" (?:the|this) screen | type (?:\w+ ){0,3}into | web page ",
                           "screen type web")),
    ("grading", _rule("which_better", 2.5, r" which (?:\w+ ){0,5}(?:better|preferred) ", "which", "better preferred")),
    ("reasoning", _rule("trace", 2.0, r" chains? of (?:thought|reasoning) | thought process | reasoning trace ",
                        "chain chains thought trace")),
    ("reasoning", _rule("how_many", 1.5, r" how (?:many|much|long) ", "many much long", "how")),
    ("rewriting", _rule("make_it_sound", 2.0, r" make (?:this|it|my) (?:\w+ ){0,3}(?:sound|read|more|less) ",
                        "sound read more less", "make")),
    ("reasoning", _rule("step_by_step", 1.0, r" step by step ", "step", reach=(0, 0))),
)  # fmt: skip


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
# Every word some rule or keyword looks for: the only words of a prompt worth keeping in a set.
_KEYWORDS = frozenset().union(
    _CATEGORY_WORDS,
    *(rule.anchors for rule in _COT_RULES),
    *(words for rule in _COT_RULES for words in rule.also),
    *(words for _, rule in _CATEGORY_PHRASES for words in (rule.anchors, *rule.also)),
)


def _category(normal: _Normalised, fired: frozenset[str]) -> str:
    scores = dict.fromkeys(_CATEGORY_ORDER, 0.0)
    for feature in fired & _FEATURE_VOTES.keys():
        category, weight = _FEATURE_VOTES[feature]
        scores[category] += weight
    for word in normal.vocabulary & _CATEGORY_WORDS:
        for category, weight in _CATEGORY_KEYWORDS[word]:
            scores[category] += weight
    for category, rule in _CATEGORY_PHRASES:
        if (not rule.anchors or not rule.anchors.isdisjoint(normal.vocabulary)) and _matches(rule, normal):
            scores[category] += rule.weight
    best = max(_CATEGORY_ORDER, key=scores.__getitem__)  # max keeps the first of equals: the tie-break order
    return best if scores[best] >= MIN_CATEGORY_SCORE else "general"


# ---- template fingerprint --------------------------------------------------------------------------------------------
# One campaign sends one wrapper ("You are an expert grader. QUESTION: {q} RESPONSE: {r} ...") around a dataset.
# The fingerprint is a database key, so it must be exactly equal across payloads, not merely near: it hashes the
# prompt's skeleton, the text left once payload-shaped spans are masked (fenced code, tagged and quoted blocks, the
# value after a "Label:", the block under a label line or heading, paths and URLs, e-mail addresses, words with a
# digit). When too little is left to be a template ("Fix this:" and a pasted file), the whole text is hashed instead,
# so ordinary prompts do not share a key merely for being short.

MIN_SKELETON_WORDS = 6
MIN_FORM_WORDS = 3
_SLOT = " payloadslot "
_SLOT_RUN = re.compile(r"payloadslot(?: payloadslot)+")
# Labels that introduce the wrapper's own instructions rather than a payload: their text stays in the skeleton.
_INSTRUCTION_LABELS = frozenset(
    {"system", "instructions", "note", "important", "rules", "guidelines", "requirements",
     "constraints", "format", "protocol", "role", "persona"}
)  # fmt: skip
_LAST_WORD = re.compile(r"(\w+)\W*$")
_SPACE = re.compile(r"\s")


def _is_instruction_label(label: str) -> bool:
    last = _LAST_WORD.search(label[-80:])
    return last is not None and last.group(1).lower() in _INSTRUCTION_LABELS


def _line_before(match: re.Match[str]) -> str:
    return match.string[match.string.rfind("\n", 0, match.start()) + 1 : match.start()]


def _mask_tag(match: re.Match[str]) -> str:
    return match.group(0) if match.group(1).lower() in _INSTRUCTION_LABELS else f"<{match.group(1)}>{_SLOT}"


def _mask_heading_block(match: re.Match[str]) -> str:
    heading = match.group(1)
    return match.group(0) if _is_instruction_label(heading) else "\n" + heading + _SLOT + "\n"


def _mask_label_block(match: re.Match[str]) -> str:
    return match.group(0) if _is_instruction_label(_line_before(match)) else ":" + _SLOT + "\n"


def _mask_label_value(match: re.Match[str]) -> str:
    return match.group(0) if _is_instruction_label(_line_before(match)) else ":" + _SLOT


_FENCED = re.compile(r"```.*?(?:```|\Z)", re.S)
_TRIPLE_QUOTED = re.compile(r'""".*?(?:"""|\Z)', re.S)
_TAGGED = re.compile(r"<([A-Za-z][\w:-]{0,40})(?:\s[^<>]{0,200})?>.*?</\1\s*>", re.S)
_BRACKETED = re.compile(r"\[\[?([A-Za-z][\w ]{0,40})\]\]?.*?\[\[?/\1\]\]?", re.S)
# A chat template's user and assistant turns are the conversation; its system turn is the wrapper.
_CHAT_TURN = re.compile(r"<\|im_start\|>[ \t]*(user|assistant)\b.*?(?:<\|im_end\|>|\Z)", re.S)
_BACKTICKED = re.compile(r"`[^`\n]{1,200}`")
_QUOTED = re.compile(r'"[^"]{0,4000}"')
# A label line ("Response:", "### Response", "[Response]") owns the block of non-blank lines under it.
_BLOCK_LINE = r"(?:[ \t]*\S[^\n]*(?:\n|\Z))+"
_LABEL_BLOCK = re.compile(r":[ \t]*\n" + _BLOCK_LINE)
_HEADING_BLOCK = re.compile(r"\n(#{1,6}[ \t][^\n]*|\[[^\]\n]{1,60}\])[ \t]*\n" + _BLOCK_LINE)
# "Question: <value>" and "given the QUESTION: <value>": the rest of the line after the colon.
_LABEL_VALUE = re.compile(r":[ \t]*\S[^\n]*")
# Other ways of writing a label's colon, and of quoting: each is made the common one before masking.
_MAX_TAGS = 16
_SEPARATORS = (("\uff1a", ":"), ("\u201c", '"'), ("\u201d", '"'))
_NOT_MARKS = bytes(sorted(set(range(256)) - set(b'`"<>[]/@#:|')))


def _mask_words_containing(text: str, char: str) -> str:
    """Mask every whitespace-delimited word containing `char` (URLs and paths by "/", addresses by "@")."""
    parts, done, at = [], 0, text.find(char)
    while at != -1:
        start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at), text.rfind("\t", 0, at)) + 1
        space = _SPACE.search(text, at)
        end = space.start() if space else len(text)
        parts += [text[done:start], _SLOT]
        done, at = end, text.find(char, end)
    return "".join(parts) + text[done:]


def _mask_payloads(prompt: str) -> str:
    """The prompt with its payload-shaped spans replaced by a slot word; the very same object if there were none."""
    if "\r" in prompt:
        prompt = prompt.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n" + prompt  # so that a heading on the first line is preceded by a newline like any other
    if prompt.isascii():
        # Its punctuation alone, to decide cheaply which masks can apply: a false "maybe" only costs a search.
        marks = prompt.encode().translate(None, _NOT_MARKS).decode()
    else:
        for variant, common in _SEPARATORS:
            text = text.replace(variant, common)
        marks = text
    if "```" in marks:
        text = _FENCED.sub(_SLOT, text)
    if '"""' in marks:
        text = _TRIPLE_QUOTED.sub(_SLOT, text)
    # Each opening tag is searched forward for its closing one: past a dozen or so (an HTML page) that costs more
    # than it tells, and a prompt full of unclosed tags must not stall ingest.
    if "</" in marks and marks.count("<") <= _MAX_TAGS:
        text = _TAGGED.sub(_mask_tag, text)
    if "[/" in marks and marks.count("[") <= _MAX_TAGS:
        text = _BRACKETED.sub(r"[\1]" + _SLOT, text)
    if "<|" in marks:
        text = _CHAT_TURN.sub(r"<|im_start|>\1" + _SLOT, text)
    for char in "/@":
        if char in marks:
            text = _mask_words_containing(text, char)
    if "`" in marks:
        text = _BACKTICKED.sub(_SLOT, text)
    if '"' in marks:
        text = _QUOTED.sub(_SLOT, text)
    if "#" in marks or "[" in marks:
        text = _HEADING_BLOCK.sub(_mask_heading_block, text)
    if ">>>" in marks:
        text, marks = text.replace(">>>", ":"), marks + ":"
    if ":" in marks:
        text = _LABEL_BLOCK.sub(_mask_label_block, text)
        text = _LABEL_VALUE.sub(_mask_label_value, text)
    return prompt if len(text) == len(prompt) + 1 and text[1:] == prompt else text


_FINGERPRINT_PERSON = b"rs-prompt-tpl-v1"  # bump with any change to the skeleton: old keys stop matching new ones


def template_skeleton(prompt: str) -> str:
    """The prompt with payload-shaped spans masked, normalised: what `template_fingerprint` hashes."""
    return _skeleton(prompt, _words(prompt))


def template_fingerprint(prompt: str) -> int:
    """Signed 64-bit key of the prompt's skeleton: blake2b, so the same in every process and on every machine."""
    return _fingerprint(template_skeleton(prompt))


def _skeleton(prompt: str, tokens: list[str]) -> str:
    """`tokens` are the prompt's own words: the skeleton when too few words are left once payloads are masked."""
    words = _words_without_digits(_mask_payloads(prompt))
    slots = words.count("payloadslot")
    # A form with several labelled payloads is a template even when its labels are most of what is left, unless the
    # labels are as generic as "Q:" and "A:".
    if len(words) - slots < MIN_SKELETON_WORDS and (slots < 2 or len(set(words)) - 1 < MIN_FORM_WORDS):
        return " ".join(tokens)
    return _SLOT_RUN.sub("payloadslot", " ".join(words))


# A word with a digit is an id, a count or a value: it goes, letters and all. Digits become \x01, then everything from
# a word's first digit on becomes \x02, then (read backwards) \x02 takes the letters before it along: two searches
# for one rare character, where testing every word would cost a Python call each.
_ASCII_SKELETON = bytes(1 if 48 <= c <= 57 else c for c in _ASCII_WORDS)
_FROM_FIRST_DIGIT = re.compile(rb"\x01[^ ]*")
_REVERSED_DIGIT_WORD = re.compile(rb"\x02[^ ]*")


def _words_without_digits(text: str) -> list[str]:
    if not text.isascii():
        return list(filter(str.isalpha, _words(text)))
    data = text.encode("ascii").translate(_ASCII_SKELETON)
    if b"\x01" in data:
        data = _REVERSED_DIGIT_WORD.sub(b"", _FROM_FIRST_DIGIT.sub(b"\x02", data)[::-1])[::-1]
    return data.decode("ascii").split()


def _fingerprint(skeleton: str) -> int:
    digest = hashlib.blake2b(skeleton.encode(), digest_size=8, person=_FINGERPRINT_PERSON).digest()
    return int.from_bytes(digest, "big", signed=True)
