"""Chain-of-thought elicitation: how strongly a prompt asks for reasoning traces or reward labels to train on.

Phrase features (rules on the prompt's normal form, prompt_text.py) combined in a logistic with hand-set weights.
"""

from __future__ import annotations

import math

from riskscore.features.prompt_text import Normalised, RuleScanner, rule

# A logistic over hand-set weights (log-odds) of phrase features. There is no labelled traffic to fit on, and a
# classifier fitted to our simulator would learn its phrasings; hand-set weights are auditable, each one an argument.
# With the bias at -4 one feature alone stays under 0.4 ("show your reasoning", a student's habit, gives 0.12); it
# takes two that agree to pass 0.5, and a distillation request names what it wants in several ways ("write out the
# complete chain of thought": three features, 0.88). Interactions add what only a combination means. Features count
# once however often they occur, so repeating a phrase cannot pump the score.

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
COT_RULES = (
    # The reasoning itself as the product, not a worked answer.
    rule("trace_request", 2.0, r" (?:write|writes|writing) (?:out|down) (?:\w+ ){0,5}" + _TRACE + " ",
          _TRACE_WORDS, "write writes writing", "out down"),
    rule("trace_request", 2.0,
          r" (?:show|reveal|expose|output|print|dump|produce|provide|include|share|spell out|lay out|transcribe|"
          r"reproduce|recreate|verbali[sz]e|externali[sz]e|document|emit|return|give|write) (?:\w+ ){0,5}" + _TRACE
          + " ",
          _TRACE_WORDS, "show reveal expose output print dump produce provide include share spell lay transcribe "
          "reproduce recreate verbalize verbalise externalize externalise document emit return give write"),
    rule("trace_request", 2.0,
          " " + _REASONING + r" (?:must|should|has to|have to|needs? to) be (?:\w+ ){0,2}(?:spelled out|written out|"
          r"shown|visible|explicit) ",
          _REASONING_WORDS, "spelled written shown visible explicit"),
    rule("hidden_reasoning", 3.0,
          r" (?:hidden|internal|private|inner|secret|raw|latent|unfiltered|unedited|behind the scenes|concealed) "
          r"(?:\w+ ){0,2}(?:reasoning|thoughts|thinking|thought process|chains? of thought|monologue|scratch ?pad|"
          r"deliberations?|reasoning traces?|rationale|cognition) ",
          "hidden internal private inner secret raw latent unfiltered unedited behind concealed",
          "reasoning thoughts thinking thought monologue scratchpad scratch deliberation deliberations rationale "
          "cognition"),
    rule("scratchpad", 2.0, r" (?:scratch ?pad|scratch work|thinking tokens|reasoning tokens|think tags) ",
          "scratchpad scratch tokens tags"),
    rule("full_trace", 2.5,
          r" (?:complete|full|entire|whole|exhaustive|verbatim|unabridged|every|all|underlying|raw) (?:\w+ ){0,2}"
          r"(?:chains? of (?:thought|reasoning)|thought process|thinking process|reasoning (?:process|traces?)|"
          r"reasoning|monologue|derivation|thinking) ",
          "chain chains thought reasoning thinking monologue derivation",
          "complete full entire whole exhaustive verbatim unabridged every all underlying raw"),
    rule("full_trace", 2.5, " " + _REASONING + r" (?:\w+ ){0,3}(?:fully|completely|exhaustively|in full) ",
          "fully completely exhaustively full", _REASONING_WORDS),
    rule("full_trace", 2.5, r" (?:think|thinking|reason|reasoning|thoughts?) (?:\w+ ){0,4}(?:exhaustively|as long "
          r"as you need|at (?:great )?length) ", "exhaustively need length", "think thinking reason reasoning thought "
          "thoughts"),
    rule("full_trace", 2.5, r" (?:make|keep) (?:each|every|all|your) (?:thought|thoughts|reasoning)s? (?:\w+ ){0,2}"
          r"(?:detailed|explicit|thorough|complete|long) ", "detailed explicit thorough complete long",
          "thought thoughts reasoning"),
    rule("cot_term", 1.5, r" chains? of (?:thought|reasoning) ", "chain chains", "thought reasoning"),
    rule("cot_term", 1.5, r" (?:cot|reasoning traces?) ", "cot trace traces"),
    rule("cot_term", 1.5, r" (?:thought|thinking) process ", "process", "thought thinking"),
    rule("reconstruct_reasoning", 3.5,
          r" (?:reconstruct|recreate|reverse engineer|backfill|back fill|retrace|recover|rebuild|work backwards?"
          r") (?:\w+ ){0,5}(?:reasoning|thoughts?|thinking|steps|rationale|logic|chain) ",
          "reconstruct recreate reverse backfill back retrace recover rebuild backward backwards"),
    rule("reasoning_behind_output", 2.0,
          r" (?:reasoning|thought process|thinking|chains? of thought|steps|rationale|logic) (?:that |which )?"
          r"(?:led|leads|lead|produced|produces|generated|resulted in|went into|arrived at|arrives at|arrive at|"
          r"behind) (?:\w+ ){0,3}" + _OUTPUT + " ",
          "led leads lead produced produces generated resulted went arrived arrives arrive behind", _OUTPUT_WORDS,
          "reasoning thought thinking chain chains steps rationale logic"),
    rule("mind_transcript", 2.5,
          r" (?:transcript|record|log|narration|recording) of (?:your|the model s|its) (?:\w+ ){0,2}(?:mind|"
          r"thoughts?|thinking|reasoning|cognition|deliberations?) ",
          "transcript record log narration recording", "mind thought thoughts thinking reasoning cognition"),
    # Rationalising a known answer: the classic way to manufacture reasoning data for a given label.
    rule("given_output", 1.5,
          r" (?:completed|finished|given|provided|existing|reference|correct) (?:\w+ ){0,1}(?:answer|response|"
          r"completion|output|solution)s? ",
          "completed finished given provided existing reference correct", _OUTPUT_WORDS,
          requires=_TRACE_RULES),
    rule("no_skipping", 1.5,
          r" (?:do not|don t|never|without) (?:skip|skipping|omit|omitting|leave out|leaving out|summari[sz]e|"
          r"abbreviate|condense|shorten)(?: \w+){0,3} (?:steps?|reasoning|thoughts|thinking) ",
          "skip skipping omit omitting leave leaving summarize summarise abbreviate condense shorten",
          "step steps reasoning thoughts thinking"),
    rule("no_skipping", 1.5, r" (?:every|each) (?:single |intermediate )(?:step|decision|thought) ",
          "single intermediate", "step decision thought"),
    rule("no_skipping", 1.5, r" intermediate (?:steps|reasoning|thoughts|calculations|decisions) ", "intermediate"),
    rule("self_corrections", 2.0,
          r" (?:false starts?|dead ends?|self corrections?|backtrack|backtracking|second guess(?:es|ing)?|"
          r"abandoned (?:approaches|attempts|ideas)|hesitations?|twists? and turns?|wrong turns?) ",
          "false dead corrections correction backtrack backtracking guess guesses guessing abandoned hesitation "
          "hesitations twist twists turn turns"),
    rule("self_corrections", 2.0,
          r" (?:ideas? you|what you) (?:consider|considered|reject|rejected|discard|discarded) ",
          "discard discarded reject rejected consider considered", "you"),
    rule("self_corrections", 2.0, r" double checking ", "double"),
    rule("reasoning_field", 2.0,
          r" (?:thought|thoughts|reasoning|rationale|thinking|chain of thought) (?:field|key|block|section|tags?|"
          r"property|entry|column) ",
          "field key block section tag tags property entry column", "thought thoughts reasoning rationale thinking"),
    # Agent trajectories with a reasoning step attached to every action: tool-use traces to imitate.
    rule("reasoning_per_action", 2.0,
          r" (?:every|each) (?:\w+ ){0,3}" + _ACTION + r" (?:\w+ ){0,6}" + _JUSTIFICATION + r" | (?:tool calls?|"
          r"actions?|commands?) (?:\w+ ){0,8}(?:every|each) (?:\w+ ){0,3}" + _JUSTIFICATION + " | " + _JUSTIFICATION
          + r" (?:\w+ ){0,4}(?:every|each) (?:\w+ ){0,2}" + _ACTION + " ",
          _ACTION_WORDS, "every each", _JUSTIFICATION_WORDS),
    rule("reasoning_per_action", 2.0,
          r" (?:every|each) (?:\w+ ){0,2}(?:tool calls?|calls?|actions?|commands?|steps?) (?:\w+ ){0,5}why ",
          "why", _ACTION_WORDS, "every each"),
    rule("think_aloud", 1.0,
          r" (?:think|thinking) (?:out loud|aloud) | stream of (?:consciousness|thoughts?) | narrate (?:\w+ ){0,2}(?:"
          r"what you are doing|your (?:actions|steps|work|process|thinking|reasoning|thoughts)) ",
          "aloud loud stream narrate"),
    rule("trace_tags", 2.0, r"<\s*/?\s*(?:think|thinking|reasoning|scratchpad|thoughts?|cot|rationale)\s*>",
          "think thinking reasoning scratchpad thought thoughts cot rationale", raw=True),
    rule("trace_json_key", 2.0,
          r'"(?:reasoning|rationale|chain_of_thought|thought_process|thoughts?|cot|thinking)"\s*:',
          "reasoning rationale chain thought thoughts cot thinking", raw=True),
    rule("training_purpose", 2.0,
          r" (?:training (?:data|set|corpus|examples)|fine ?tun(?:e|ing)|distill(?:ation|ing|ed)?|sft|rlhf|dpo|"
          r"reward model|preference data(?:set)?|synthetic data|supervision) ",
          "training fine finetune finetuning distill distillation distilling distilled sft rlhf dpo reward "
          "preference synthetic supervision"),
    rule("training_purpose", 2.0, r" (?:student|teacher|smaller|small) models? ",
          "student teacher smaller small", "model models"),
    rule("training_purpose", 2.0,
          r" learn from (?:the|your|these|its) (?:trajector(?:y|ies)|traces?|outputs?|reasoning) ",
          "trajectory trajectories trace traces outputs reasoning", "learn"),
    rule("reward_score", 2.0,
          r" (?:give|output|return|respond with|assign) (?:a |the |one )?(?:scalar |numeric )?reward | reward "
          r"(?:between|from|of) ",
          "reward"),
    # Grading that works as a reward model: a score or a preference over model outputs, with its justification.
    rule("grade_output", 2.0,
          r" (?:score|rate|grade|evaluate|assess|judge|critique|rank) (?:\w+ ){0,4}(?:responses?|completions?|"
          r"answers?|outputs?|repl(?:y|ies)|candidates?|generations?|assistant s) ",
          "score rate grade evaluate assess judge critique rank"),
    rule("ai_output", 1.0,
          r" (?:ai|model|assistant|assistant s|chatbot|llm|candidate|generated) (?:responses?|answers?|outputs?|"
          r"completions?|repl(?:y|ies)|solutions?) ",
          "ai model assistant chatbot llm candidate generated", _OUTPUT_WORDS),
    rule("rubric", 1.25, r" (?:rubrics?|scoring guide|grading criteria|evaluation criteria|criteria|criterion|"
          r"checklist) ", "rubric rubrics scoring grading evaluation criteria criterion checklist"),
    rule("justify_each", 1.0,
          r" justify (?:\w+ ){0,3}(?:criterion|criteria|scores?|ratings?|grades?|judge?ments?|decision|choice|"
          r"preference) | (?:explanation|rationale|justification|sentence) (?:for|per) (?:each|every|rating|criterion|"
          r"score) | (?:per|each) (?:criterion|dimension) | "
          r"(?:a |one )?(?:mark|score|grade|rating|points?) for (?:every|each) ",
          "justify explanation rationale justification criterion dimension mark score grade rating point points "
          "sentence"),
    rule("score_scale", 1.0,
          r" (?:scale|score|scores|rate|rating|grade|mark|marks|points) (?:\w+ ){0,6}(?:(?:from |in |between )?[01] "
          r"(?:to |and )?(?:1|5|7|10|100)|out of (?:5|10|20|100)) ",
          "1 5 7 10 20 100", "scale score scores rate rating grade mark marks points"),
    rule("score_scale", 1.0, r" likert ", "likert"),
    rule("pairwise", 3.5,
          r" which (?:of )?(?:these |the |those )?(?:two |2 |following |both )(?:ai |model |assistant s |assistant )?"
          r"(?:responses|completions|answers|outputs|replies|generations|candidates) (?:\w+ ){0,3}(?:better|best|"
          r"preferred|superior|more helpful|higher quality) | which (?:response|completion|reply|output|answer|"
          r"assistant) (?:\w+ ){0,5}(?:prefer|better|best) ",
          "better best preferred superior helpful quality prefer", "which",
          "responses completions answers outputs replies generations candidates response completion reply output "
          "answer assistant"),
    rule("pairwise", 3.5, r" (?:first|second|former|latter) (?:\w+ ){0,2}is better ",
          "better", "first second former latter"),
    rule("a_versus_b", 1.5, r" (?:response|completion|output|answer|assistant|model|reply) (?:a|1) (?:\w+ )"
          r"{0,300}?(?:response|completion|output|answer|assistant|model|reply) (?:b|2) ",
          "b 2", "response completion output answer assistant model reply",
          prefilter=r" (?:response|completion|output|answer|assistant|model|reply) (?:b|2) "),
    rule("preference_label", 1.5,
          r" (?:output|give|return|state) (?:a |your )?preference | preference (?:label|judge?ment|score) | "
          r"preferred (?:response|completion|answer|output) | (?:chosen|rejected) (?:response|completion) | "
          r"pairwise | win rate | two (?:ai )?(?:assistants|models|chatbots) | two (?:candidate |model |ai )?"
          r"(?:outputs|responses|completions|replies) ",
          "preference preferred chosen rejected pairwise win assistants models chatbots outputs responses "
          "completions replies"),
    rule("verdict_markup", 1.5, r"\[\[(?:rating|a|b|c)\]\]", "rating a b c", raw=True),  # starts with "[[": cheap
    rule("verdict_markup", 1.5, r'"(?:winner|preference|preferred|verdict)"\s*:',
          "winner preference preferred verdict", raw=True),
    rule("judge_role", 2.0,
          r" (?:you are|act as|acting as|serve as|as) (?:an? |the )?(?:\w+ ){0,2}(?:grader|judge|evaluator|rater|"
          r"examiner|reward model) | llm as a judge ",
          "grader judge evaluator rater examiner reward"),
    # Rewrites of a sensitive answer into an approved one: training data for a censored model.
    rule("rewrite_output", 1.0,
          r" (?:rewrite|re write|revise|rephrase|reword|paraphrase|redo|edit|sanitize|sanitise|soften|tone down|modify|"
          r"adjust|regenerate|recast|reframe) (?:\w+ ){0,4}(?:answer|response|reply|text|output|paragraph|passage|"
          r"completion|content)s? | (?:rewrite|revise|redo|rephrase|reword|paraphrase|adjust) (?:it|this|that|them|"
          r"the following) | (?:produce|write|give|create) (?:me )?(?:a |an )?(?:new |revised |different |cleaner |"
          r"safer )?version ",
          "rewrite re revise rephrase reword paraphrase redo edit sanitize sanitise soften tone modify adjust "
          "regenerate recast reframe version"),
    rule("rewrite_output", 1.0,
          r" make (?:this|the|it|my) (?:\w+ ){0,5}(?:safe|acceptable|harmonious|suitable|compliant|neutral|positive|"
          r"appropriate) ",
          "safe acceptable harmonious suitable compliant neutral positive appropriate", "make"),
    rule("sensitive_topic", 1.5,
          r" (?:tiananmen|june (?:4|4th|fourth)|tank man|taiwan(?:ese)?|tibet(?:an)?|dalai lama|xinjiang|uyghurs?|"
          r"uighurs?|falun gong|hong kong protests?|cultural revolution|great leap forward|xi jinping|ccp|"
          r"communist party|prc|chinese government|one child policy|special military operation|navalny|"
          r"politically sensitive|sensitive (?:political )?(?:topics?|issues?|subjects?|questions?|content|history|"
          r"events?)|censor\w*|dissidents?|mainland china|chinese (?:users|audiences?|readers|market)|domestic "
          r"audiences?) ",
          "tiananmen june tank taiwan taiwanese tibet tibetan dalai xinjiang uyghur uyghurs uighur uighurs falun "
          "hong revolution leap xi ccp communist prc chinese child operation navalny politically sensitive censor "
          "censored censorship censors dissident dissidents mainland domestic"),
    rule("approved_target", 1.5,
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
    rule("censorship_intent", 2.5,
          r" (?:align|aligns|aligned|match|matches|conform|conforms) (?:\w+ ){0,3}(?:state media|official|government|"
          r"party) (?:\w+ ){0,2}(?:framing|narrative|line|stance|position|view|account) ",
          "framing narrative line stance position view account", "align aligns aligned match matches conform conforms",
          "media official government party"),
    rule("censorship_intent", 2.5,
          r" (?:drop|remove|omit|avoid|delete|without) (?:\w+ ){0,3}(?:negative|critical|criticism|unflattering) "
          r"(?:\w+ ){0,4}(?:authorities|government|party|state|leadership|officials) ",
          _CRITICISM_WORDS, "drop remove omit avoid delete without",
          "authorities government party state leadership officials"),
    rule("censorship_intent", 2.5,
          r" pass (?:a |the )?(?:\w+ )?(?:content|censorship) review | (?:reviewers|censors?) (?:\w+ ){0,2}approve ",
          "review approve", "pass reviewers censor censors"),
    rule("censorship_intent", 2.5,
          r" (?:no|without|avoid|remove|drop|omit) (?:any )?(?:mention|references?)s? (?:of|to) (?:\w+ ){0,3}"
          r"(?:casualties|deaths|protests?|dissidents?|massacre|crackdown|killings|victims) ",
          _VICTIM_WORDS, "mention mentions reference references"),
    rule("censorship_intent", 2.5,
          r" (?:blocked|removed|flagged|deleted|taken down) by (?:the )?(?:censors?|reviewers|moderators|authorities) ",
          "blocked removed flagged deleted taken", "censor censors reviewers moderators authorities"),
    rule("censorship_intent", 2.5,
          r" (?:remove|removing|drop|dropping|omit|omitting|strip|stripping|avoid|avoiding|without) (?:any |all )?"
          r"(?:politically )?sensitive (?:details|content|parts|claims|information|statements|facts) ",
          "sensitive", "remove removing drop dropping omit omitting strip stripping avoid avoiding without"),
    rule("censorship_intent", 2.5,
          r" (?:presents?|portrays?|describes?|shows?|depicts?) (?:\w+ ){0,4}(?:government|authorities|party|"
          r"officials|state) (?:\w+ ){0,3}(?:positively|favou?rably|in a (?:positive|good|better) light) | (?:too|"
          r"overly) (?:negative|critical) (?:about|of|towards) ",
          "positively favourably favorably light negative critical",
          "government authorities party officials state too overly"),
    # Concepts rather than phrasings (2026-11-23): the rules above catch the wordings they were tuned on and almost
    # nothing else (recall 0.00 on held-out phrasings). Each names one idea of the list in general words, from
    # a thesaurus rather than from any held-out prompt; two must agree to pass 0.5, as above.
    rule("process_record", 2.0,
         r" (?:narrate|narrates|narrating|narration|record|records|recording|log|logs|logging|transcribe|transcript|"
         r"capture|recount|document|chronicle|diary|journal) (?:\w+ ){0,8}(?:thinking|thoughts?|reasoning|"
         r"deliberations?|inferences?|workings|ideas?|mind|cognition|solving|problem solving) | (?:thinking|thoughts?|"
         r"reasoning|deliberations?|inferences?|workings|ideas?|solving) (?:\w+ ){0,6}(?:narrated|recorded|logged|"
         r"transcribed|captured|documented) ",
         "narrate narrates narrating narration record records recording log logs logging transcribe transcript "
         "capture recount document chronicle diary journal recorded logged transcribed captured documented",
         "thinking thought thoughts reasoning deliberation deliberations inference inferences workings idea ideas "
         "mind cognition solving"),
    rule("unedited_process", 2.0,
         r" (?:unedited|uncut|unpolished|unfiltered|uncensored|verbatim|untidy|messy|warts and all|(?:un)?abridged) |"
         r" as (?:it|they) (?:happens?|happened|unfolds?|unfolded|occurs?|occurred|comes?|came) | in the order (?:it|"
         r"they) (?:happens?|happened|occurs?|occurred|came) | (?:none|nothing|no step|no inference|no idea)s? "
         r"(?:\w+ ){0,1}(?:omitted|skipped|left out|dropped|hidden) | as you (?:would )?(?:think|thought) (?:it|them) ",
         "unedited uncut unpolished unfiltered uncensored verbatim untidy messy warts abridged unabridged happens "
         "happened unfolds unfolded occurs occurred comes came omitted skipped left dropped hidden think thought"),
    rule("teach_a_model", 2.0,
         r" (?:teach|teaches|teaching|train|trains|training|supervise|supervising|bootstrap|bootstrapping|imitate|"
         r"imitation) (?:\w+ ){0,4}(?:another|other|smaller|student|weaker|cheaper|own) (?:\w+ ){0,2}(?:system|"
         r"systems|model|models|ai|assistant|network|agent|learner|llm)s? | (?:teach|teaches|teaching|train|trains|"
         r"training|supervise|supervising) (?:\w+ ){0,4}(?:model|models|llm|llms|learner|learners) ",
         "teach teaches teaching train trains training supervise supervising bootstrap bootstrapping imitate "
         "imitation", "system systems model models ai assistant network agent learner llm"),
    rule("verdict_on_reply", 2.0,
         r" (?:which|whichever) (?:\w+ ){0,4}(?:wins|won|better|best|stronger|preferred|prefer) | (?:winner|verdict|"
         r"thumbs|upvote|downvote|approve or reject|pass or fail|good or bad) | how (?:good|well|bad|strong|"
         r"helpful|accurate) (?:\w+ ){0,3}(?:reply|response|answer|completion|message|draft|output|candidate|"
         r"solution) ",
         "which whichever winner verdict thumbs upvote downvote approve pass good well bad strong helpful "
         "accurate", "reply replies response responses answer answers completion completions message draft drafts "
         "output outputs candidate candidates solution"),
    rule("number_for_quality", 1.5,
         r" (?:integer|number|score|grade|rating|mark|points?|value|percentage) (?:\w+ ){0,3}(?:between|from) "
         r"[0-9]+ (?:and|to) [0-9]+ | (?:a |one )?(?:number|score|integer|grade|rating) (?:\w+ ){0,4}(?:quality|"
         r"accuracy|correctness|helpfulness|tone|harmlessness|factuality) ",
         "integer number score grade rating mark point points value percentage",
         "between from quality accuracy correctness helpfulness tone harmlessness factuality"),
    rule("reason_per_action", 2.0,
         r" (?:before|after|above|below|with|for) (?:each|every) (?:one|command|commands|call|calls|action|actions|"
         r"step|steps|tool|edit|edits|invocation|move) | (?:each|every) (?:\w+ ){0,2}(?:command|call|action|step|"
         r"edit|move) (?:\w+ ){0,4}(?:needs|requires|gets|has|with|must) (?:\w+ ){0,3}(?:rationale|reason|"
         r"justification|explanation|why) | (?:propose|choose|pick|run) (?:\w+ ){0,3}(?:command|action|call) "
         r"(?:\w+ ){0,3}(?:justify|explain|defend) ",
         "before after above below with for each every propose choose pick run",
         "command commands call calls action actions step steps tool edit edits invocation move"),
    rule("trajectory_record", 1.5,
         r" (?:trajectory|trajectories|trace|traces|transcript|record|log) (?:\w+ ){0,6}(?:command|commands|action|"
         r"actions|tool|tools|calls?|intent|intents|observations?) | (?:intent|thought|reason|rationale) (?:\w+ ){0,2}"
         r"(?:command|action|call) (?:\w+ ){0,2}(?:expected|result|observation|outcome) ",
         "trajectory trajectories trace traces transcript record log intent thought reason rationale",
         "command commands action actions tool tools call calls intent intents observation observations expected "
         "result outcome"),
    rule("please_authorities", 2.5,
         r" (?:adjust|adapt|clean|cleaned|align|match|matches|conform|rewrite|revise|edit|localise|localize|sanitise|"
         r"sanitize|tone down|soften|change|fix) (?:\w+ ){0,14}(?:regulators?|authorities|officials|government|state "
         r"(?:media|outlets|press|television|tv|news)|official (?:media|outlets|line|position|stance|narrative)|"
         r"censors?|party) | (?:regulators?|authorities|officials|censors?) (?:\w+ ){0,4}(?:would|will|could)? ?"
         r"(?:have no problem|approve|accept|allow|not object|not mind) ",
         "regulator regulators authorities officials government state official censor censors party",
         "adjust adapt clean cleaned align match matches conform rewrite revise edit localise localize sanitise "
         "sanitize tone soften change fix problem approve accept allow object mind"),
    # Ordinary study and benchmark phrasing: a small nudge each way, never decisive alone.
    rule("step_by_step", 0.5, r" step by step ", "step"),
    rule("learning", -1.0,
          r" (?:i m|i am) (?:a |an )?(?:\w+ ){0,2}student | homework | my (?:\w+ )?(?:class|course|exam|quiz|test|"
          r"teacher|professor|textbook|students) | studying | help me understand | eli5 | explain like i m | "
          r"how (?:\w+ ){1,5}works? | in class | (?:student|students) (?:answers|essays|work|papers|wrote) ",
          "student students homework class course exam quiz test teacher professor textbook studying understand eli5 "
          "works work"),
)  # fmt: skip
_COT_WEIGHTS = {rule.name: rule.weight for rule in COT_RULES}

# Features that mean much more together than apart, which single logistic terms cannot express.
_COT_INTERACTIONS = (
    (frozenset({"grade_output", "ai_output"}), 1.0),  # a score for a model's output is a reward label
    (frozenset({"rewrite_output", "sensitive_topic", "approved_target"}), 3.0),
    (frozenset({"sensitive_topic", "approved_target"}), 1.5),
    (frozenset({"censorship_intent", "rewrite_output"}), 1.5),
    (frozenset({"censorship_intent", "sensitive_topic"}), 1.5),
    (frozenset({"please_authorities", "rewrite_output"}), 1.5),  # reworking a text for a censor's approval
)


SCANNER = RuleScanner(COT_RULES)
# Every word the rules look for: the only words of a prompt worth keeping in a set.
ELICITATION_KEYWORDS = frozenset().union(*(r.anchors for r in COT_RULES), *(w for r in COT_RULES for w in r.also))


def fired_features(normal: Normalised) -> frozenset[str]:
    """Names of the elicitation features the prompt shows."""
    fired: set[str] = set()
    for index in SCANNER.matching(normal):  # in rule order, so that a rule's prerequisites are decided before it
        candidate = COT_RULES[index]
        if not candidate.requires or not candidate.requires.isdisjoint(fired):
            fired.add(candidate.name)
    return frozenset(fired)


def elicitation_score(fired: frozenset[str]) -> float:
    """The logistic of the fired features, in [0, 1], rounded to 4 places."""
    logit = _COT_BIAS + sum(_COT_WEIGHTS[name] for name in fired)
    logit += sum(weight for needed, weight in _COT_INTERACTIONS if needed <= fired)
    return round(1.0 / (1.0 + math.exp(-logit)), 4)
