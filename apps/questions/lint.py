"""Linting a question bank: rule violations, duplicate stems, missing explanations, coverage (check_bank)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from apps.questions.data import normalized
from apps.questions.validation import question_errors

KIND_LABELS = {
    "multiple_choice": "multiple choice",
    "multiple_response": "multiple response",
    "ordering": "ordering",
    "matching": "matching",
}
NEAR_DUPLICATE = 0.9
MIN_PER_TASK = 5


@dataclass
class Finding:
    level: str  # "error" | "warning"
    where: str
    message: str

    def __str__(self):
        return f"{self.level}: {self.where}: {self.message}"


@dataclass
class ExamCoverage:
    code: str
    tasks: list  # task numbers of the exam, in order
    counts: dict = field(default_factory=lambda: defaultdict(Counter))  # task -> kind -> published count

    @property
    def by_kind(self):
        total = Counter()
        for kinds in self.counts.values():
            total.update(kinds)
        return total

    def summary(self):
        by_kind = self.by_kind
        parts = ", ".join(f"{label} {by_kind[kind]}" for kind, label in KIND_LABELS.items())
        return f"{self.code}: {sum(by_kind.values())} published ({parts})"


def lint_questions(items, *, task_numbers_by_exam):
    """items: [(where, exam_code, QuestionData)]. Returns (findings, {exam_code: ExamCoverage})."""
    findings, coverage = [], {}
    for code, numbers in task_numbers_by_exam.items():
        coverage[code] = ExamCoverage(code=code, tasks=list(numbers))
    by_exam = defaultdict(list)
    for where, code, data in items:
        for error in question_errors(data, task_numbers=set(task_numbers_by_exam.get(code, ()))):
            findings.append(Finding("error", where, error))
        if data.status == "published":
            for position, choice in enumerate(data.choices, 1):
                if not choice.rationale.strip():
                    findings.append(Finding("error", where, f"choice {position} has no rationale"))
            if code in coverage and data.task_statement:
                coverage[code].counts[data.task_statement][data.kind] += 1
        by_exam[code].append((where, data))
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
    return findings, coverage


def _duplicates(entries):
    findings, stems = [], []
    for where, data in entries:
        if data.status == "retired":
            continue
        stems.append((where, normalized(data.stem), data))
    seen = {}
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


def coverage_table(cover):
    """Rows of text: task statement by kind, published questions only."""
    header = f"{'task':<6}" + "".join(f"{label[:12]:>14}" for label in KIND_LABELS.values()) + f"{'total':>8}"
    rows = [f"{cover.code} coverage (published)", header]
    for number in cover.tasks:
        counts = cover.counts[number]
        total = sum(counts.values())
        flag = "  < " + str(MIN_PER_TASK) if total < MIN_PER_TASK else ""
        rows.append(
            f"{number:<6}" + "".join(f"{counts[kind]:>14}" for kind in KIND_LABELS) + f"{total:>8}{flag}"
        )
    return rows
