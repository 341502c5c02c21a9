"""Template fingerprint of a prompt: one key for one wrapper whatever its payload, so a campaign's prompts collide.

The skeleton (payload-shaped spans masked, then the normal form) is hashed with keyed blake2b into a signed 64-bit key.
"""

from __future__ import annotations

import hashlib
import re

from riskscore.features.prompt_text import ASCII_WORDS, split_words

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
# The label's last word, read backwards: a match at the start of the reversed label, where a search for
# "(\w+)\W*$" tried every position of the label.
_LAST_WORD_REVERSED = re.compile(r"\W*(\w+)")
_SPACE = re.compile(r"\s")


def _is_instruction_label(label: str) -> bool:
    last = _LAST_WORD_REVERSED.match(label[:-81:-1])  # the last 80 characters, reversed
    return last is not None and last.group(1)[::-1].lower() in _INSTRUCTION_LABELS


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
    return skeleton_of(prompt, " ".join(split_words(prompt)))


def template_fingerprint(prompt: str) -> int:
    """Signed 64-bit key of the prompt's skeleton: blake2b, so the same in every process and on every machine."""
    return skeleton_fingerprint(template_skeleton(prompt))


def skeleton_of(prompt: str, normal_form: str) -> str:
    """`normal_form`: the prompt's own words, the skeleton when too few words are left once payloads are masked."""
    words = _words_without_digits(_mask_payloads(prompt))
    slots = words.count("payloadslot")
    # A form with several labelled payloads is a template even when its labels are most of what is left, unless the
    # labels are as generic as "Q:" and "A:".
    if len(words) - slots < MIN_SKELETON_WORDS and (slots < 2 or len(set(words)) - 1 < MIN_FORM_WORDS):
        return " ".join(normal_form.split())
    return _SLOT_RUN.sub("payloadslot", " ".join(words))


# A word with a digit is an id, a count or a value: it goes, letters and all. Digits become \x01, then everything from
# a word's first digit on becomes \x02, then (read backwards) \x02 takes the letters before it along: two searches
# for one rare character, where testing every word would cost a Python call each.
_ASCII_SKELETON = bytes(1 if 48 <= c <= 57 else c for c in ASCII_WORDS)
_FROM_FIRST_DIGIT = re.compile(rb"\x01[^ ]*")
_REVERSED_DIGIT_WORD = re.compile(rb"\x02[^ ]*")


def _words_without_digits(text: str) -> list[str]:
    if not text.isascii():
        return list(filter(str.isalpha, split_words(text)))
    data = text.encode("ascii").translate(_ASCII_SKELETON)
    if b"\x01" in data:
        data = _REVERSED_DIGIT_WORD.sub(b"", _FROM_FIRST_DIGIT.sub(b"\x02", data)[::-1])[::-1]
    return data.decode("ascii").split()


def skeleton_fingerprint(skeleton: str) -> int:
    digest = hashlib.blake2b(skeleton.encode(), digest_size=8, person=_FINGERPRINT_PERSON).digest()
    return int.from_bytes(digest, "big", signed=True)
