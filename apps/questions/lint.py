"""Linting a question bank: rule violations, duplicate stems, missing explanations, coverage (check_bank)."""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from apps.questions import bank_rules, kinds
from apps.questions.bank_rules import Finding
from apps.questions.data import QuestionData, normalized
from apps.questions.validation import objective_ids, question_errors

NEAR_DUPLICATE = 0.9
# resolve_section(text, exam slug) -> (the note, or None, and the problem, or "")
SectionResolver = Callable[[str, str], tuple[object, str]]
MIN_PER_TASK = 5


def _kind_labels() -> dict[str, str]:
    """{code: "multiple choice"} of every registered kind, in the registry's order."""
    return {kind.code: kind.label.lower() for kind in kinds.REGISTRY.values()}


__all__ = ["Finding", "Item", "ExamContext", "lint_questions", "coverage_table"]


@dataclass
class Item:
    """One question to lint: where it is (for messages), its exam, its data and its group: the bank file it
    was read from, or its set when read from the database."""

    where: str
    exam: str
    data: QuestionData
    group: str


@dataclass
class ExamContext:
    """What lint needs to know of an exam besides its questions (read from the database by check_bank)."""

    code: str
    slug: str
    tasks: list[str]  # task numbers, in order
    objectives_by_task: dict[str, list[str]] = field(default_factory=dict)  # "1.1" -> [objective texts]
    note_texts_by_task: dict[str, list[str]] = field(
        default_factory=dict
    )  # "1.1" -> [plain text of each of its notes]


@dataclass
class ExamCoverage:
    code: str
    tasks: list[str]  # task numbers of the exam, in order
    # task -> kind -> published count
    counts: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    @property
    def by_kind(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for task_counts in self.counts.values():
            total.update(task_counts)
        return total

    def summary(self) -> str:
        by_kind = self.by_kind
        parts = ", ".join(f"{label} {by_kind[kind]}" for kind, label in _kind_labels().items())
        return f"{self.code}: {sum(by_kind.values())} published ({parts})"


@dataclass
class ExamBankReport:
    """The exam-validity measures of one exam's bank, for check_bank's closing lines."""

    cues: bank_rules.CueStats
    strategies: bank_rules.StrategyReport
    coverage: bank_rules.ObjectiveCoverage


@dataclass
class LintResult:
    findings: list[Finding]
    coverage: dict[str, ExamCoverage]  # by exam code (task statement x kind)
    bank: dict[str, ExamBankReport]  # by exam code


def lint_questions(
    items: list[Item],
    *,
    exams: dict[str, ExamContext],
    matcher: bank_rules.ServiceMatcher,
    resolve_section: SectionResolver,
) -> LintResult:
    """Every rule over `items`; `resolve_section(text, exam_slug)` gives (note, problem) for a section link."""
    findings: list[Finding] = []
    coverage = {code: ExamCoverage(code=code, tasks=list(exam.tasks)) for code, exam in exams.items()}
    by_exam: defaultdict[str, list[tuple[str, QuestionData]]] = defaultdict(list)
    by_group: defaultdict[tuple[str, str], list[QuestionData]] = defaultdict(list)
    for item in items:
        where, code, data = item.where, item.exam, item.data
        context = exams.get(code)
        known = (
            {"task_numbers": set(context.tasks), "objectives": objective_ids(context.objectives_by_task)}
            if context
            else {"task_numbers": set()}
        )
        for error in question_errors(data, **known):
            findings.append(Finding("error", where, error))
        findings += _link_findings(item, context, resolve_section)
        if data.status == "published":
            for position, choice in enumerate(data.choices, 1):
                if not choice.rationale.strip():
                    findings.append(Finding("error", where, f"choice {position} has no rationale"))
            if code in coverage and data.task_statement:
                coverage[code].counts[data.task_statement][data.kind] += 1
            if bank_rules.cue_questions([data]):
                warning = bank_rules.length_warning(data)
                if warning:
                    findings.append(Finding("warning", where, warning))
        by_exam[code].append((where, data))
        by_group[(code, item.group)].append(data)
    for entries in by_exam.values():
        findings += _duplicates(entries)
    for cover in coverage.values():
        for number in cover.tasks:
            total = sum(cover.counts[number].values())
            if total < MIN_PER_TASK:
                findings.append(
                    Finding(
                        "warning",
                        f"{cover.code} {number}",
                        f"{total} published question(s); at least {MIN_PER_TASK} are needed for practice",
                    )
                )
    groups_per_exam = Counter(code for code, _ in by_group)
    if any(count > 1 for count in groups_per_exam.values()):
        for (code, group), questions in by_group.items():
            if groups_per_exam[code] > 1:  # one group is the exam itself, judged below
                findings += bank_rules.cue_findings(group, bank_rules.cue_stats(questions))
    bank: dict[str, ExamBankReport] = {}
    for code, exam in exams.items():
        questions = [data for _, data in by_exam.get(code, [])]
        report = ExamBankReport(
            cues=bank_rules.cue_stats(questions),
            strategies=bank_rules.strategy_report(questions),
            coverage=bank_rules.exam_coverage(
                code,
                questions,
                minimum=bank_rules.STANDARDS.get(
                    code, bank_rules.REPORTED_STANDARD
                ).min_questions_per_objective,
                objectives_by_task=exam.objectives_by_task,
                matcher=matcher,
                note_texts_by_task=exam.note_texts_by_task,
            ),
        )
        bank[code] = report
        findings += bank_rules.cue_findings(code, report.cues)
        findings += bank_rules.strategy_findings(code, report.strategies)
        findings += bank_rules.position_findings(code, questions)
        if code in bank_rules.STANDARDS:
            findings += bank_rules.coverage_findings(report.coverage, matcher)
    return LintResult(findings=findings, coverage=coverage, bank=bank)


def _link_findings(
    item: Item, context: ExamContext | None, resolve_section: SectionResolver
) -> list[Finding]:
    """A section that does not resolve is an error for a published question (a warning for a draft); exams
    under a standard need objectives and a section on every published question."""
    data, findings = item.data, list[Finding]()
    published = data.status == "published"
    if data.section and context is not None:
        _, problem = resolve_section(data.section, context.slug)
        if problem:
            findings.append(Finding("error" if published else "warning", item.where, problem))
    if published and item.exam in bank_rules.STANDARDS:
        if not data.section:
            findings.append(
                Finding(
                    "error",
                    item.where,
                    "a published question needs a section: the note heading that teaches its point",
                )
            )
        if not data.objectives:
            findings.append(
                Finding("error", item.where, "a published question needs the objectives it tests")
            )
    return findings


def _duplicates(entries: Iterable[tuple[str, QuestionData]]) -> list[Finding]:
    findings: list[Finding] = []
    stems: list[tuple[str, str, QuestionData]] = []
    for where, data in entries:
        if data.status == "retired":
            continue
        stems.append((where, normalized(data.stem), data))
    seen: dict[tuple[str, str], str] = {}  # (kind, stem) -> where it was first
    for where, stem, data in stems:
        key = (data.kind, stem)
        if key in seen:
            findings.append(Finding("error", where, f"the same stem as {seen[key]}"))
        else:
            seen[key] = where
    for i, (where_a, stem_a, _) in enumerate(stems):
        for where_b, stem_b, _ in stems[i + 1 :]:
            if stem_a == stem_b:
                continue
            matcher = SequenceMatcher(None, stem_a, stem_b, autojunk=False)
            if matcher.real_quick_ratio() >= NEAR_DUPLICATE and matcher.quick_ratio() >= NEAR_DUPLICATE:
                ratio = matcher.ratio()
                if ratio >= NEAR_DUPLICATE:
                    findings.append(
                        Finding("warning", where_b, f"nearly the same stem as {where_a} ({ratio:.0%} alike)")
                    )
    return findings


def coverage_table(cover: ExamCoverage) -> list[str]:
    """Rows of text: task statement by kind, published questions only."""
    header = (
        f"{'task':<6}" + "".join(f"{label[:12]:>14}" for label in _kind_labels().values()) + f"{'total':>8}"
    )
    rows = [f"{cover.code} coverage (published)", header]
    for number in cover.tasks:
        counts = cover.counts[number]
        total = sum(counts.values())
        flag = "  < " + str(MIN_PER_TASK) if total < MIN_PER_TASK else ""
        rows.append(
            f"{number:<6}" + "".join(f"{counts[kind]:>14}" for kind in _kind_labels()) + f"{total:>8}{flag}"
        )
    return rows
