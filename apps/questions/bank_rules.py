"""The rules an exam-valid bank follows (no cues, balanced positions, full coverage), as pure computations."""

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from math import comb

from apps.questions import kinds
from apps.questions.data import QuestionData
from apps.questions.wording import is_true_false

# ------------------------------------------------------------------------------------------------- limits
# The single place for every threshold of docs/question-format.md ("Rules for an exam-valid bank").
LONGEST_KEY_MAX = 0.30  # single answer: the key is the strictly longest choice in at most this share
LONGEST_K_MAX = 0.15  # multiple response: the k longest choices are exactly the keys in at most this share
KEY_LENGTH_WARNING = 1.3  # per question: a key longer than this times the longest distractor is a warning
STRATEGY_MARGIN = 10.0  # percentage points a test-wise strategy may differ from blind guessing
SINGLE_POSITION_SHARE = (0.15, 0.35)  # single answer: share of questions with the key in each position
MULTIPLE_POSITION_MAX = 0.50  # multiple response: share of questions with a key in any one position
MIN_SAMPLE = 10  # a share over fewer questions is noise: reported, not judged


@dataclass(frozen=True)
class ExamStandard:
    """What a bank for this exam must cover; exams without one get the cue rules only."""

    min_questions_per_objective: int


# Coverage, guide services and explanation links are enforced for these exams (the bundled bank's promise:
# AIF-C01 and MLA-C02, the exams people sit now, test every objective at least three times).
STANDARDS: dict[str, ExamStandard] = {
    "AIF-C01": ExamStandard(min_questions_per_objective=3),
    "MLA-C01": ExamStandard(min_questions_per_objective=2),
    "MLA-C02": ExamStandard(min_questions_per_objective=3),
}
# Other exams (an instructor's own) are measured against this in the coverage line, without errors.
REPORTED_STANDARD = ExamStandard(min_questions_per_objective=2)


@dataclass
class Finding:
    level: str  # "error" | "warning"
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.where}: {self.message}"


# ------------------------------------------------------------------------------------------ visible text
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_MARKS = re.compile(r"[*_`~]+|^\s*(?:#+|>|[-+] )\s*", re.MULTILINE)
_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")
# Little words every sentence has: sharing them says nothing about the answer.
_LITTLE_WORDS = (
    "a an and are as at be by can do does for from has have how in into is it its of on or so than that the "
    "their them then there these they this to use used uses using was were what when where which while who "
    "why will with would you your not no only each more most all any both other such"
)
STOPWORDS = frozenset(_LITTLE_WORDS.split())


def visible_text(markdown: str) -> str:
    """The text a student reads, Markdown stripped lightly: link targets, tags and emphasis marks go."""
    text = _LINK.sub(r"\1", markdown)
    text = _TAG.sub("", text)
    text = _MARKS.sub("", text)
    return " ".join(text.split())


def visible_length(markdown: str) -> int:
    return len(visible_text(markdown))


def content_words(text: str) -> set[str]:
    """Lower-case words of the visible text without the little words every sentence has."""
    return {w for w in _WORD.findall(visible_text(text).lower()) if w not in STOPWORDS and len(w) > 1}


# --------------------------------------------------------------------------------------------- questions
def _choice_answers(question: QuestionData) -> str | None:
    """The kind's number of keys ("one" or "several") if it is answered by ticking choices, else None."""
    kind = kinds.find(question.kind)
    return kind.choice_answers if kind else None


def is_single_answer(question: QuestionData) -> bool:
    """Choices with one key; imported true/false pairs have no length or position to compare."""
    return _choice_answers(question) == "one" and not is_true_false(
        [(c.text, c.correct) for c in question.choices]
    )


def is_multiple_response(question: QuestionData) -> bool:
    return _choice_answers(question) == "several"


def _has_keys(question: QuestionData) -> bool:
    keys = sum(1 for c in question.choices if c.correct)
    return 0 < keys < len(question.choices)


def cue_questions(questions: Iterable[QuestionData]) -> list[QuestionData]:
    """The published questions the cue rules look at: single answer and multiple response with a key."""
    return [
        q
        for q in questions
        if q.status == "published" and (is_single_answer(q) or is_multiple_response(q)) and _has_keys(q)
    ]


def _lengths(question: QuestionData) -> tuple[list[int], list[int]]:
    keys = [visible_length(c.text) for c in question.choices if c.correct]
    distractors = [visible_length(c.text) for c in question.choices if not c.correct]
    return keys, distractors


def key_is_longest(question: QuestionData) -> bool:
    """Single answer: the key is longer than every distractor (a tie is no cue)."""
    keys, distractors = _lengths(question)
    return min(keys) > max(distractors)


def longest_k_full_credit(question: QuestionData) -> bool:
    """Multiple response: picking the k longest choices picks exactly the k keys, without a tie to break."""
    keys, distractors = _lengths(question)
    return min(keys) > max(distractors)


def length_warning(question: QuestionData) -> str:
    """A per-question warning when a key stands out by length: any key against the longest distractor."""
    keys, distractors = _lengths(question)
    longest_key, longest_distractor = max(keys), max(distractors)
    if longest_key > KEY_LENGTH_WARNING * longest_distractor:
        which = "the key" if len(keys) == 1 else "a key"
        ratio = longest_key / max(longest_distractor, 1)
        return (
            f"{which} is {ratio:.1f} times as long as the longest distractor "
            f"({longest_key} against {longest_distractor} characters)"
        )
    return ""


@dataclass
class CueStats:
    single: int = 0
    longest_key: int = 0
    multiple: int = 0
    longest_k: int = 0

    @property
    def longest_key_share(self) -> float:
        return self.longest_key / self.single if self.single else 0.0

    @property
    def longest_k_share(self) -> float:
        return self.longest_k / self.multiple if self.multiple else 0.0


def cue_stats(questions: Iterable[QuestionData]) -> CueStats:
    stats = CueStats()
    for q in cue_questions(questions):
        if is_single_answer(q):
            stats.single += 1
            stats.longest_key += key_is_longest(q)
        else:
            stats.multiple += 1
            stats.longest_k += longest_k_full_credit(q)
    return stats


def cue_findings(where: str, stats: CueStats) -> list[Finding]:
    """Errors when a group (an exam, a bank file) has a length cue more often than the limits allow."""
    findings = []
    if stats.single >= MIN_SAMPLE and stats.longest_key_share > LONGEST_KEY_MAX:
        findings.append(
            Finding(
                "error",
                where,
                f"the key is the longest choice in {stats.longest_key} of {stats.single} single-answer questions "
                f"({stats.longest_key_share:.0%}; at most {LONGEST_KEY_MAX:.0%})",
            )
        )
    if stats.multiple >= MIN_SAMPLE and stats.longest_k_share > LONGEST_K_MAX:
        findings.append(
            Finding(
                "error",
                where,
                f"picking the longest choices gives full credit in {stats.longest_k} of {stats.multiple} "
                f"multiple-response questions ({stats.longest_k_share:.0%}; at most {LONGEST_K_MAX:.0%})",
            )
        )
    return findings


# -------------------------------------------------------------------------------------------- strategies
def expected_credit(scores: Sequence[float], keys: set[int], k: int) -> float:
    """Expected credit of picking the k highest-scored choices, ties broken at random (fractional credit)."""
    picked: set[int] = set()
    for level in sorted(set(scores), reverse=True):
        tied = {i for i, score in enumerate(scores) if score == level}
        remaining = k - len(picked)
        if len(tied) <= remaining:
            picked |= tied
            if len(picked) == k:
                break
            continue
        needed = keys - picked
        if not picked <= keys or not needed <= tied or len(needed) != remaining:
            return 0.0
        return 1 / comb(len(tied), remaining)
    return 1.0 if picked == keys else 0.0


def guess_credit(question: QuestionData) -> float:
    """Blind guessing: one of the C(n, k) ways to pick k of n choices is right."""
    k = sum(1 for c in question.choices if c.correct)
    return 1 / comb(len(question.choices), k)


def _by_length(question: QuestionData) -> list[float]:
    return [visible_length(c.text) for c in question.choices]


def _by_shortness(question: QuestionData) -> list[float]:
    return [-visible_length(c.text) for c in question.choices]


def _by_stem_words(question: QuestionData) -> list[float]:
    stem = content_words(question.stem)
    return [len(content_words(c.text) & stem) for c in question.choices]


def _by_convergence(question: QuestionData) -> list[float]:
    words = [content_words(c.text) for c in question.choices]
    return [
        sum(1 for word in own for j, other in enumerate(words) if j != i and word in other)
        for i, own in enumerate(words)
    ]


STRATEGIES: dict[str, Callable[[QuestionData], list[float]]] = {
    "always the longest": _by_length,
    "always the shortest": _by_shortness,
    "most words shared with the stem": _by_stem_words,
    "most words shared with the other choices": _by_convergence,
}


@dataclass
class StrategyReport:
    questions: int = 0
    guessing: float = 0.0  # expected percent correct
    scores: dict[str, float] = field(default_factory=dict)  # strategy -> percent correct

    @property
    def best_gain(self) -> float:
        """Points the best strategy scores above guessing (negative when every one scores below)."""
        return max((score - self.guessing for score in self.scores.values()), default=0.0)


def strategy_report(questions: Iterable[QuestionData]) -> StrategyReport:
    pool = cue_questions(questions)
    report = StrategyReport(questions=len(pool))
    if not pool:
        return report
    report.guessing = 100 * sum(guess_credit(q) for q in pool) / len(pool)
    for name, scorer in STRATEGIES.items():
        total = 0.0
        for q in pool:
            keys = {i for i, c in enumerate(q.choices) if c.correct}
            total += expected_credit(scorer(q), keys, len(keys))
        report.scores[name] = 100 * total / len(pool)
    return report


def strategy_findings(where: str, report: StrategyReport) -> list[Finding]:
    if report.questions < MIN_SAMPLE:
        return []
    return [
        Finding(
            "error",
            where,
            f"choosing {name} scores {score:.0f}% where blind guessing scores {report.guessing:.0f}% "
            f"(at most {STRATEGY_MARGIN:.0f} points apart)",
        )
        for name, score in report.scores.items()
        if abs(score - report.guessing) > STRATEGY_MARGIN
    ]


# --------------------------------------------------------------------------------------------- positions
def key_position_shares(questions: Iterable[QuestionData], *, single: bool) -> list[tuple[int, float]]:
    """Per position 1, 2, … in stored order: (questions that have a choice there, share of them with a key
    there)."""
    pool = [q for q in cue_questions(questions) if is_single_answer(q) == single]
    holders: Counter[int] = Counter()
    has: Counter[int] = Counter()
    for q in pool:
        for position, choice in enumerate(q.choices, 1):
            has[position] += 1
            holders[position] += choice.correct
    return [(has[p], holders[p] / has[p]) for p in sorted(has)]


def position_findings(where: str, questions: Sequence[QuestionData]) -> list[Finding]:
    """Errors for a position that holds the key too often or too rarely; a position judged only when at least
    MIN_SAMPLE questions have it (a sixth choice in three questions says nothing)."""
    findings = []
    low, high = SINGLE_POSITION_SHARE
    for position, (count, share) in enumerate(key_position_shares(questions, single=True), 1):
        if count >= MIN_SAMPLE and not low <= share <= high:
            findings.append(
                Finding(
                    "error",
                    where,
                    f"the key is choice {position} in {share:.0%} of {count} single-answer questions "
                    f"(each position {low:.0%}–{high:.0%})",
                )
            )
    for position, (count, share) in enumerate(key_position_shares(questions, single=False), 1):
        if count >= MIN_SAMPLE and share > MULTIPLE_POSITION_MAX:
            findings.append(
                Finding(
                    "error",
                    where,
                    f"choice {position} is a key in {share:.0%} of {count} multiple-response questions "
                    f"that have it (at most {MULTIPLE_POSITION_MAX:.0%} for any position)",
                )
            )
    return findings


# -------------------------------------------------------------------------------------- service mentions
_PARENTHESIS = re.compile(r"\s*\(([^)]*)\)")
_VENDOR = re.compile(r"^(?:Amazon|AWS) ")
_PARENT = re.compile(r"^(?:SageMaker|Bedrock) ")


@dataclass(frozen=True)
class GlossaryEntry:
    slug: str
    name: str
    aliases: tuple[str, ...] = ()


def _full_forms(entry: GlossaryEntry) -> set[str]:
    """The name without its parenthesis, what the parenthesis names ("(Amazon MSK)"), and every alias."""
    forms = {_PARENTHESIS.sub("", entry.name).strip(), *entry.aliases}
    for inner in _PARENTHESIS.findall(entry.name):
        forms |= {part.strip() for part in inner.split(";") if part.strip()[:1].isupper()}
    return {form for form in forms if form}


def _distinctive(form: str) -> bool:
    """A short form is only a service name when it cannot be an ordinary word: several words, a capital
    inside (DynamoDB, S3, EMR) or a digit. "Glue", "Batch" or "Config" alone stay words."""
    return " " in form or any(ch.isupper() or ch.isdigit() for ch in form[1:])


def _short_forms(form: str) -> set[str]:
    """Without the vendor ("SageMaker Model Monitor") and, for a feature, without its parent ("Model Monitor")."""
    out = set()
    bare = _VENDOR.sub("", form)
    if bare != form and _distinctive(bare):
        out.add(bare)
    feature = _PARENT.sub("", bare)
    if feature != bare and " " in feature:  # "Model Monitor", never "AI", "Clarify" or "Neo" alone
        out.add(feature)
    return out


class ServiceMatcher:
    """Finds glossary services in a text. Full names and aliases match in any case; shortened forms (without
    "Amazon "/"AWS ", or a SageMaker/Bedrock feature without its parent) match as written. At each place the
    longest name wins, so "SageMaker Model Monitor" is Model Monitor, not SageMaker AI as well."""

    def __init__(self, entries: Iterable[GlossaryEntry]) -> None:
        self.names: dict[str, str] = {}
        exact: dict[str, str] = {}  # lower-cased full form -> slug
        shortened: dict[str, set[str]] = defaultdict(set)
        for entry in entries:
            self.names[entry.slug] = _PARENTHESIS.sub("", entry.name).strip()
            for form in _full_forms(entry):
                exact.setdefault(form.lower(), entry.slug)
                for short in _short_forms(form):
                    shortened[short].add(entry.slug)
        self._exact = exact
        # A shortened form two services share names neither of them.
        self._short = {
            form: next(iter(slugs))
            for form, slugs in shortened.items()
            if len(slugs) == 1 and form.lower() not in exact
        }
        alternatives = [(form, True) for form in exact] + [(form, False) for form in self._short]
        alternatives.sort(key=lambda pair: len(pair[0]), reverse=True)
        pattern = "|".join(
            f"(?i:{re.escape(form)})" if insensitive else re.escape(form)
            for form, insensitive in alternatives
        )
        self._pattern = re.compile(rf"(?<![\w-])(?P<name>{pattern})s?(?![\w-])") if alternatives else None

    def find(self, text: str) -> set[str]:
        """Slugs of the services the (Markdown) text names."""
        if self._pattern is None:
            return set()
        found = set()
        for match in self._pattern.finditer(visible_text(text)):
            name = match["name"]
            slug = self._short.get(name) or self._exact.get(name.lower())
            if slug:
                found.add(slug)
        return found


def answer_texts(question: QuestionData) -> list[str]:
    """What a student chooses among: choices (keys and distractors), ordering items, matching prompts and
    responses. The stem is not one: a service named only there is not tested as an answer."""
    return (
        [c.text for c in question.choices]
        + list(question.items)
        + [text for pair in question.pairs for text in (pair.prompt, pair.response)]
    )


# --------------------------------------------------------------------------------------------- coverage
@dataclass
class ObjectiveCoverage:
    """Objectives and guide services of one exam against its published questions and notes."""

    code: str
    minimum: int
    objectives: dict[str, str] = field(default_factory=dict)  # "1.1.3" -> objective text
    counts: Counter = field(default_factory=Counter)  # objective id -> published questions naming it
    guide_services: dict[str, list[str]] = field(default_factory=dict)  # slug -> objective ids naming it
    tested: set[str] = field(default_factory=set)  # guide service slugs found in published answers
    untaught: list[tuple[str, str]] = field(default_factory=list)  # (objective id, slug) no note mentions

    @property
    def covered(self) -> int:
        return sum(1 for objective in self.objectives if self.counts[objective] >= self.minimum)


def objective_texts(objectives_by_task: Mapping[str, Sequence[str]]) -> dict[str, str]:
    return {
        f"{number}.{position}": text
        for number, objectives in objectives_by_task.items()
        for position, text in enumerate(objectives or (), 1)
    }


def exam_coverage(
    code: str,
    questions: Iterable[QuestionData],
    *,
    minimum: int,
    objectives_by_task: Mapping[str, Sequence[str]],
    matcher: ServiceMatcher,
    note_texts_by_task: Mapping[str, Sequence[str]],
) -> ObjectiveCoverage:
    cover = ObjectiveCoverage(code=code, minimum=minimum, objectives=objective_texts(objectives_by_task))
    published = [q for q in questions if q.status == "published"]
    for q in published:
        cover.counts.update(set(q.objectives))
    for objective, text in cover.objectives.items():
        for slug in sorted(matcher.find(text)):
            cover.guide_services.setdefault(slug, []).append(objective)
    answered: set[str] = set()
    for q in published:
        for text in answer_texts(q):
            answered |= matcher.find(text)
    cover.tested = set(cover.guide_services) & answered
    taught_by_task = {
        task: set().union(*(matcher.find(text) for text in texts)) if texts else set()
        for task, texts in note_texts_by_task.items()
    }
    for slug, objectives in cover.guide_services.items():
        for objective in objectives:
            task = objective.rsplit(".", 1)[0]
            if slug not in taught_by_task.get(task, set()):
                cover.untaught.append((objective, slug))
    return cover


def coverage_findings(cover: ObjectiveCoverage, matcher: ServiceMatcher) -> list[Finding]:
    findings = []
    for objective, text in cover.objectives.items():
        count = cover.counts[objective]
        if count < cover.minimum:
            short = text if len(text) <= 70 else text[:69] + "…"
            findings.append(
                Finding(
                    "error",
                    f"{cover.code} objective {objective}",
                    f"{count} published question(s) name it, at least {cover.minimum} are needed ({short})",
                )
            )
    for slug, objectives in sorted(cover.guide_services.items()):
        if slug not in cover.tested:
            findings.append(
                Finding(
                    "error",
                    f"{cover.code} objective {objectives[0]}",
                    f"the guide names {matcher.names[slug]}, but no published question has it as a choice "
                    "(key or distractor)",
                )
            )
    for objective, slug in cover.untaught:
        task = objective.rsplit(".", 1)[0]
        findings.append(
            Finding(
                "error",
                f"{cover.code} objective {objective}",
                f"the guide names {matcher.names[slug]}, but no note of task statement {task} mentions it",
            )
        )
    return findings


# ---------------------------------------------------------------------------------------- summary lines
def cues_line(code: str, stats: CueStats, report: StrategyReport) -> str:
    return (
        f"{code} cues: longest-key {stats.longest_key_share:.0%} of {stats.single} single-answer, "
        f"longest-k full credit {stats.longest_k_share:.0%} of {stats.multiple} multiple-response, "
        f"best strategy {report.best_gain:+.0f} points over guessing"
    )


def strategies_line(code: str, report: StrategyReport) -> str:
    scores = ", ".join(f"{name} {score:.0f}%" for name, score in report.scores.items())
    return f"{code} strategies over {report.questions} questions: guessing {report.guessing:.0f}%, {scores}"


def coverage_line(cover: ObjectiveCoverage) -> str:
    return (
        f"{cover.code} coverage: {cover.covered}/{len(cover.objectives)} objectives with {cover.minimum}+ "
        f"questions, {len(cover.tested)}/{len(cover.guide_services)} guide services tested"
    )
