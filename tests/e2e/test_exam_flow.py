"""The exam screen in a real browser: a full mock with every question kind, the clock, feedback, shortcuts."""

import itertools
import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from apps.exams import services
from apps.exams.models import Attempt, Slot
from tests.e2e.conftest import screenshot
from tests.factories import make_exam, make_question, make_question_set

PASSWORD = "alice-pass-1234"  # the `student` persona's
IDS = "items => items.map(item => item.dataset.id)"  # the ordering items' ids, top to bottom
FLAG = re.compile(r"Flag (this question )?for review")  # under exam conditions the bar says "Flag for review"
RIGHT_ORDER = ["Collect the data.", "Train the model.", "Evaluate the model."]
MATCHES = {
    "Store objects": "Amazon S3",
    "Run code without servers": "AWS Lambda",
    "Manage encryption keys": "AWS KMS",
}

# Case name -> (kind, task statement, the answer the student gives). Domain 1 (tasks 1.x) has five questions and
# domain 2 three, exactly what an 8-question mock draws at weights 60/40, so the mock uses every one of them.
MOCK_BANK = {
    "mc-1": ("multiple_choice", "1.1", ["Amazon S3"]),  # right
    "mc-2": ("multiple_choice", "1.2", ["Amazon EBS"]),  # wrong
    "mr-1": ("multiple_response", "1.1", ["Amazon S3", "Amazon DynamoDB"]),  # right
    "ord-1": ("ordering", "1.2", RIGHT_ORDER),  # right, reordered with the keyboard
    "match-1": ("matching", "1.1", MATCHES),  # right
    "mc-3": ("multiple_choice", "2.1", ["Amazon S3"]),  # right
    "mc-4": ("multiple_choice", "2.1", ["Amazon S3"]),  # right
    "mr-2": ("multiple_response", "2.1", ["Amazon S3", "AWS Lambda"]),  # wrong
}


def make_bank(*, exam, owner, cases):
    """One private question per case, its stem and explanation naming the case so the page can be read back."""
    question_set = make_question_set(exam=exam, owner=owner)
    return {
        case: make_question(
            question_set=question_set,
            kind=kind,
            task_statement=task,
            stem=f"Case {case}: {kind.replace('_', ' ')} question.",
            explanation=f"Explanation of {case}.",
        )
        for case, (kind, task, _answer) in cases.items()
    }


def make_mock_exam():
    exam = make_exam(code="TST-C01")
    exam.questions_scored, exam.questions_unscored, exam.minutes = 8, 0, 30
    exam.save()
    return exam


def log_in(page, url, next_path):
    """Log the `student` persona in on the login page, on the way to `next_path`."""
    page.goto(url + next_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))
    page.wait_for_load_state()  # the deferred scripts (htmx, exam.js) have run


# --------------------------------------------------------------------------------------- reading the screen
def current_case(page):
    stem = page.locator("#question-card .question-stem").inner_text()
    return re.search(r"Case (\S+):", stem).group(1)


def order_on_screen(page):
    return [text.strip() for text in page.locator(".ordering-item .ordering-text").all_inner_texts()]


def stored_response(page):
    """What the server stored for the question on the screen."""
    attempt, position = re.search(r"/attempts/(\d+)/q/(\d+)/", page.url).groups()
    return Slot.objects.get(attempt_id=attempt, position=position).response


def letter_of(page, choice_text):
    return page.locator("label.choice", has_text=choice_text).locator(".choice-letter").inner_text()


def saving(page, action):
    """Do `action` (a change on the answer form) and wait until the server answered the save it sent."""
    with page.expect_response(lambda r: r.url.endswith("/answer/") and r.request.method == "POST") as info:
        action()
    assert info.value.ok


# ------------------------------------------------------------------------------------------ answering
def press_move(page, text, direction, key):
    """Focus the item's Move up/down button and press `key`: the item moves, is announced and saved."""
    before = order_on_screen(page)
    at = before.index(text)
    to = at - 1 if direction == "up" else at + 1
    item = page.locator(".ordering-item", has_text=text)
    item.get_by_role("button", name=f"Move {direction}").focus()
    announcer = page.locator("#ordering-announcer")
    announced = announcer.text_content()
    saving(page, lambda: page.keyboard.press(key))
    after = list(before)
    after.insert(to, after.pop(at))
    expect(page.locator(".ordering-item .ordering-text")).to_have_text(after)
    expect(announcer).to_have_text(f"“{text}” is now number {to + 1} of {len(after)}.")
    assert announcer.text_content() != announced
    expect(page.locator("#save-status")).to_have_text("Saved: order saved")
    assert stored_response(page) == {
        "order": [int(pk) for pk in page.locator(".ordering-item").evaluate_all(IDS)]
    }
    # Focus stays on the item that moved, ready for the next key press.
    expect(item.locator("button:focus")).to_have_count(1)


def reorder_with_keyboard(page, wanted):
    """Reach `wanted` with Move up and Move down, Enter and Space, whatever order the snapshot shuffled."""
    keys = itertools.cycle(["Enter", "Space"])
    press_move(page, order_on_screen(page)[-1], "up", next(keys))
    press_move(page, order_on_screen(page)[0], "down", next(keys))
    direction = "down"
    while (order := order_on_screen(page)) != wanted:
        i = next(i for i in range(len(order) - 1) if wanted.index(order[i]) > wanted.index(order[i + 1]))
        direction = "up" if direction == "down" else "down"
        press_move(page, order[i] if direction == "down" else order[i + 1], direction, next(keys))


def answer(page, case, bank):
    kind, _task, given = bank[case]
    status = page.locator("#save-status")
    if kind == "multiple_choice":
        saving(page, page.get_by_role("radio", name=given[0], exact=True).check)
        expect(status).to_have_text(f"Saved: {letter_of(page, given[0])}")
    elif kind == "multiple_response":
        for text in given:
            saving(page, page.get_by_role("checkbox", name=text, exact=True).check)
        letters = sorted(letter_of(page, text) for text in given)
        expect(status).to_have_text(f"Saved: {', '.join(letters)}")
    elif kind == "ordering":
        reorder_with_keyboard(page, given)
    else:
        for done, (prompt, response) in enumerate(given.items(), 1):
            saving(page, lambda p=prompt, r=response: page.get_by_label(p).select_option(label=r))
            expect(status).to_have_text(f"Saved: {done} of {len(given)} matched")


def assert_answer_shown(page, case, bank):
    kind, _task, given = bank[case]
    if kind == "multiple_choice":
        expect(page.get_by_role("radio", name=given[0], exact=True)).to_be_checked()
        expect(page.locator("input[type=radio]:checked")).to_have_count(1)
    elif kind == "multiple_response":
        for text in given:
            expect(page.get_by_role("checkbox", name=text, exact=True)).to_be_checked()
        expect(page.locator("input[name=choices]:checked")).to_have_count(len(given))
    elif kind == "ordering":
        expect(page.locator(".ordering-item .ordering-text")).to_have_text(given)
    else:
        for prompt, response in given.items():
            expect(page.get_by_label(prompt).locator("option:checked")).to_have_text(response)


def shows_question(page, position):
    """Wait until HTMX swapped in question `position` and set it up (its form posts only after that)."""
    expect(page.locator("#q-heading")).to_have_text(re.compile(rf"^Question {position}\b"))
    expect(page).to_have_url(re.compile(rf"/q/{position}/$"))
    expect(page.locator("#exam-main")).not_to_have_class(re.compile(r"\bhtmx-added\b"))


def open_navigator(page):
    """Under exam conditions the navigator is a menu of the exam bar: open it (elsewhere it is always shown)."""
    menu = page.locator("details.focus-navigator")
    if menu.count() and not menu.evaluate("details => details.open"):
        menu.locator("summary").click()


def go_to_question(page, position):
    open_navigator(page)
    page.locator(f"#nav-{position} a").click()
    shows_question(page, position)


def save_and_next(page, position):
    page.get_by_role("button", name="Save and next").click()
    shows_question(page, position + 1)
    expect(page.locator("#q-heading")).to_be_focused()


# ---------------------------------------------------------------------------------------------- tests
def test_a_full_mock_exam_with_every_question_kind(live_server, page, transactional_db, student):
    exam = make_mock_exam()
    make_bank(exam=exam, owner=student, cases=MOCK_BANK)
    log_in(page, live_server.url, "/practice/new/")
    expect(page.get_by_label("Full mock exam")).to_be_checked()
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/q/1/$"))
    page.wait_for_load_state()
    expect(page.locator("#timer [data-timer-text]")).to_have_text(re.compile(r"^(30:00|29:5\d)$"))
    attempt = Attempt.objects.get(user=student)
    assert (attempt.mode, attempt.question_count) == (Attempt.Mode.MOCK, 8)

    where = {}  # case -> position
    for position in range(1, 9):
        case = current_case(page)
        where[case] = position
        if MOCK_BANK[case][0] != "ordering":  # left for later: moving on from it must not answer it
            answer(page, case, MOCK_BANK)
            expect(page.locator(f"#nav-{position}")).to_have_class(re.compile(r"\bis-answered\b"))
        answered = len(where) - ("ord-1" in where)
        expect(page.locator("#answered-count")).to_have_text(str(answered))
        if position == 2:
            saving(page, page.get_by_label(FLAG).check)
            expect(page.locator("#nav-2")).to_have_class(re.compile(r"\bis-flagged\b"))
        if position < 8:
            save_and_next(page, position)
    ordering = where["ord-1"]
    expect(page.locator(f"#nav-{ordering}")).not_to_have_class(re.compile(r"\bis-answered\b"))
    expect(page.locator("#answered-count")).to_have_text("7")

    # The review lists the untouched ordering question as not answered, next to the flagged question 2.
    page.get_by_role("button", name="Review and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review before you submit")
    expect(page.get_by_text("8 questions · 1 not answered · 1 flagged for review.")).to_be_visible()
    unanswered = page.get_by_role("region", name="Not answered")
    expect(unanswered.get_by_role("link")).to_have_text([f"Question {ordering}"])
    expect(page.get_by_role("region", name="Flagged for review").get_by_role("link")).to_have_text(
        ["Question 2"]
    )
    screenshot(page, "exam-review")
    unanswered.get_by_role("link", name=f"Question {ordering}").click()
    page.wait_for_load_state()
    expect(page.locator("#q-heading")).to_have_text(re.compile(rf"^Question {ordering}\b"))
    expect(page.get_by_text("This order is not saved until you change it")).to_be_visible()
    answer(page, "ord-1", MOCK_BANK)
    screenshot(page, "exam-ordering")

    # A reload in the middle of the exam keeps every saved answer; the navigator shows each question again.
    page.reload()
    expect(page.locator("#q-heading")).to_have_text(re.compile(rf"^Question {ordering}\b"))
    assert_answer_shown(page, "ord-1", MOCK_BANK)
    expect(page.locator("#answered-count")).to_have_text("8")
    for case, position in sorted(where.items(), key=lambda item: item[1]):
        go_to_question(page, position)
        assert_answer_shown(page, case, MOCK_BANK)
        expect(page.locator(f"#nav-{position} a")).to_have_attribute("aria-current", "step")
    expect(page.get_by_label(FLAG)).not_to_be_checked()
    go_to_question(page, 2)
    expect(page.get_by_label(FLAG)).to_be_checked()

    page.get_by_role("button", name="Review and submit").click()
    expect(page.get_by_text("8 questions · 0 not answered · 1 flagged for review.")).to_be_visible()
    expect(page.get_by_role("region", name="Not answered")).to_have_count(0)
    page.get_by_label("I am ready to submit").check()
    page.get_by_role("button", name="Submit the exam").click()

    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/results/$"))
    expect(page.get_by_role("status")).to_have_text("Your exam was submitted and graded.")
    expect(page.locator(".big-number").first).to_have_text("6 / 8")
    expect(page.get_by_text("correct (75%)")).to_be_visible()
    domains = page.get_by_role("region", name="Results by domain")
    expect(domains.locator("tbody tr")).to_have_count(2)
    expect(domains.locator("tbody tr").nth(0)).to_contain_text("1. Data things4 of 580%")
    expect(domains.locator("tbody tr").nth(1)).to_contain_text("2. Model things2 of 367%")
    chart = page.locator("canvas#domain-chart")
    expect(chart).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('domain-chart'))")
    expect(page.locator(".review-item")).to_have_count(8)
    screenshot(page, "exam-results")

    filters = page.get_by_role("navigation", name="Which questions to show")
    filters.get_by_role("link", name="Incorrect").click()
    expect(page).to_have_url(re.compile(r"\?show=incorrect$"))
    wrong = page.locator(".review-item")
    expect(wrong).to_have_count(2)
    for item, case in zip(wrong.all(), sorted(["mc-2", "mr-2"], key=where.get), strict=True):
        expect(item.get_by_role("heading", level=3).first).to_contain_text(f"Question {where[case]}")
        expect(item.locator(".question-stem")).to_contain_text(f"Case {case}:")
        expect(item.locator(".is-chosen:not(.is-correct)")).to_contain_text("Your answer")
        expect(item.locator(".is-correct").first).to_contain_text("Correct answer")
        expect(item.locator(".explanation")).to_contain_text(f"Explanation of {case}.")
    expect(wrong.locator(".rationale").first).to_be_visible()

    filters.get_by_role("link", name="Flagged").click()
    expect(page).to_have_url(re.compile(r"\?show=flagged$"))
    flagged = page.locator(".review-item")
    expect(flagged).to_have_count(1)
    expect(flagged.get_by_role("heading", level=3).first).to_contain_text("Question 2")
    expect(flagged.locator(".badge", has_text="Flagged")).to_be_visible()
    expect(flagged.locator(".explanation")).to_contain_text("Explanation of")

    attempt.refresh_from_db()
    assert (attempt.status, attempt.finish_reason, attempt.correct_count) == ("submitted", "submitted", 6)
    assert page.js_errors == []


def test_when_time_runs_out_the_page_submits_the_saved_answers(live_server, page, transactional_db, student):
    exam = make_mock_exam()
    cases = {"mc-1": MOCK_BANK["mc-1"], "mc-2": MOCK_BANK["mc-2"]}
    bank = make_bank(exam=exam, owner=student, cases=cases)
    request = services.PracticeRequest(exam=exam, mode=Attempt.Mode.CUSTOM, count=2, timed=True)
    plan = services.Plan([q.pk for q in bank.values()], [], minutes=1, wanted=2)
    attempt = services.start_attempt(user=student, request=request, plan=plan, now=timezone.now())
    log_in(page, live_server.url, f"/attempts/{attempt.pk}/q/1/")

    # Six seconds left: the page counts down, then (after the server's grace period) goes to the attempt.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=6))
    page.reload()
    timer = page.locator("#timer [data-timer-text]")
    expect(timer).to_have_text(re.compile(r"^0:0[4-6]$"))
    case = current_case(page)
    answer(page, case, cases)
    expect(timer).to_have_text("0:00", timeout=8_000)
    expect(page.locator("#timer")).to_have_class(re.compile(r"\btimer-danger\b"))
    expect(page.locator("#timer-announcer")).to_have_text(
        "Time is up. Your saved answers are being submitted."
    )

    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/results/$"), timeout=12_000)
    expect(page.get_by_role("status")).to_have_text("Time is up — your saved answers were submitted.")
    expect(page.get_by_text("time ran out — saved answers were submitted")).to_be_visible()
    right = case == "mc-1"
    expect(page.locator(".big-number").first).to_have_text(f"{int(right)} / 2")
    review = page.locator(".review-item", has_text=f"Case {case}:")
    expect(review.locator(".badge").first).to_have_text("Correct" if right else "Incorrect")
    screenshot(page, "exam-time-up")

    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert attempt.finish_reason == Attempt.Finish.TIME_UP
    assert attempt.submitted_at == attempt.deadline
    graded = attempt.slots.get(position=1)
    assert graded.response is not None and graded.is_correct is right
    assert attempt.slots.get(position=2).is_correct is False  # never answered
    assert page.js_errors == []


def test_immediate_feedback_shows_the_verdict_and_locks_the_answer(
    live_server, page, transactional_db, student
):
    exam = make_mock_exam()
    cases = {"mc-1": MOCK_BANK["mc-1"], "mc-2": MOCK_BANK["mc-2"]}
    make_bank(exam=exam, owner=student, cases=cases)
    log_in(page, live_server.url, "/practice/new/")
    page.get_by_label("Custom practice").check()
    page.get_by_text("Custom practice options").click()
    page.get_by_label("Domain 1: Data things (60%)").check()
    page.get_by_label("Number of questions").fill("2")
    page.get_by_label("Timed, at the real exam's pace").uncheck()
    page.get_by_label("After each question").check()
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/q/1/$"))
    page.wait_for_load_state()
    expect(page.get_by_text("answers after each question")).to_be_visible()
    expect(page.locator(".timer.untimed")).to_have_text("Untimed")

    for position in (1, 2):
        case = current_case(page)
        expect(page.locator(".q-domain")).to_contain_text("Domain 1 · task statement")
        answer(page, case, cases)
        page.get_by_role("button", name="Check answer").click()
        expect(page.locator("#feedback-heading")).to_be_visible()
        shows_question(page, position)
        verdict = "Correct" if case == "mc-1" else "Not quite"
        expect(page.locator("#feedback-heading")).to_have_text(verdict)
        feedback = page.locator(".feedback")
        expect(feedback.locator(".explanation")).to_contain_text(f"Explanation of {case}.")
        expect(feedback.locator(".is-correct")).to_contain_text("Correct answer")
        expect(feedback.locator(".is-chosen")).to_contain_text("Your answer")
        radios = page.locator("#answer-form .choices input[type=radio]")  # not the confidence marks
        expect(radios).to_have_count(4)
        for radio in radios.all():
            expect(radio).to_be_disabled()
        expect(page.get_by_role("radio", name=cases[case][2][0], exact=True)).to_be_checked()
        expect(page.get_by_role("button", name="Check answer")).to_have_count(0)
        expect(page.locator("#nav-" + str(position))).to_have_class(re.compile(r"\bis-answered\b"))
        if position == 1:
            screenshot(page, "exam-immediate-feedback")
            save_and_next(page, position)

    # A shortcut cannot change a checked answer either.
    page.keyboard.press("3")
    expect(page.locator("input[type=radio]:checked")).to_have_count(1)
    attempt = Attempt.objects.get(user=student)
    assert attempt.feedback == Attempt.Feedback.IMMEDIATE
    assert sorted(attempt.slots.values_list("checked", flat=True)) == [True, True]
    assert page.js_errors == []


def test_keyboard_shortcuts_choose_an_answer_and_move_on(live_server, page, transactional_db, student):
    exam = make_mock_exam()
    cases = {"mc-1": MOCK_BANK["mc-1"], "mc-3": MOCK_BANK["mc-3"]}
    bank = make_bank(exam=exam, owner=student, cases=cases)
    request = services.PracticeRequest(exam=exam, mode=Attempt.Mode.CUSTOM, count=2, timed=False)
    plan = services.Plan([q.pk for q in bank.values()], [], minutes=None, wanted=2)
    attempt = services.start_attempt(user=student, request=request, plan=plan, now=timezone.now())
    log_in(page, live_server.url, f"/attempts/{attempt.pk}/q/1/")
    status = page.locator("#save-status")
    expect(status).to_have_text("Not answered yet")

    saving(page, lambda: page.keyboard.press("2"))
    expect(status).to_have_text("Saved: B")
    expect(page.locator("input[type=radio]").nth(1)).to_be_checked()
    expect(page.locator("#nav-1")).to_have_class(re.compile(r"\bis-answered\b"))

    page.keyboard.press("N")
    shows_question(page, 2)
    saving(page, lambda: page.keyboard.press("1"))
    expect(status).to_have_text("Saved: A")
    saving(page, lambda: page.keyboard.press("f"))
    expect(page.locator("#nav-2")).to_have_class(re.compile(r"\bis-flagged\b"))

    page.keyboard.press("p")
    shows_question(page, 1)
    expect(page.locator("input[type=radio]").nth(1)).to_be_checked()

    slots = {slot.position: slot for slot in attempt.slots.all()}
    assert slots[1].response == {"choice": slots[1].snapshot["choices"][1]["id"]}
    assert slots[2].response == {"choice": slots[2].snapshot["choices"][0]["id"]}
    assert (slots[1].flagged, slots[2].flagged) == (False, True)
    assert page.js_errors == []
