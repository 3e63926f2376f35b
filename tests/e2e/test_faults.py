"""Faults during an exam: the server killed with SIGKILL mid-exam, and a network that drops saves."""

import json
import re
from datetime import UTC, datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.exams.models import Slot
from apps.exams.snapshots import place_of
from tests.e2e.servers import AppServer
from tests.e2e.test_exam_flow import go_to_question, log_in, open_navigator, save_and_next, shows_question
from tests.factories import answer_form, make_attempt, make_exam, make_question, make_question_set

NOT_SAVED = "Not saved — retrying…"


def seconds_on_timer(page):
    """The countdown on the screen ("19:58", "1:05:00") in seconds."""
    parts = [int(part) for part in page.locator("#timer [data-timer-text]").inner_text().split(":")]
    return sum(part * 60**power for power, part in enumerate(reversed(parts)))


def attempt_on_screen(page):
    return int(re.search(r"/attempts/(\d+)/", page.url).group(1))


def choice_on_screen(page):
    """The place (1, 2, …) of the checked choice of the question on the screen (None when none is)."""
    checked = page.locator("#answer-form input[name=choice]:checked")
    return int(checked.get_attribute("value")) if checked.count() else None


def stored_places(app_server, attempt):
    """{position: place on the screen of the stored choice} as the server committed it (None: no answer)."""
    # A slot's layout lists its choice ids in the order they are shown.
    rows = app_server.rows("SELECT position, layout FROM exams_slot WHERE attempt_id = ?", attempt)
    shown = {position: [{"id": pk} for pk in json.loads(layout)] for position, layout in rows}
    return {
        position: place_of(shown[position], response["choice"]) if response else None
        for position, response in app_server.responses(attempt).items()
    }


# ------------------------------------------------------------------------------------------ a killed server
@pytest.fixture
def app_server(tmp_path):
    server = AppServer(tmp_path)
    server.seed("seed_mock_exam")
    server.start()
    yield server
    server.stop()


def test_acknowledged_answers_and_the_clock_survive_a_server_killed_mid_exam(app_server, page):
    log_in(page, app_server.url, "/practice/new/")
    expect(page.get_by_label("Full mock exam")).to_be_checked()
    page.get_by_role("button", name="Start", exact=True).click()
    shows_question(page, 1)
    page.wait_for_load_state()
    attempt = attempt_on_screen(page)
    status = page.locator("#save-status")

    acknowledged = {}  # position -> place of the choice, once the screen said the server stored it
    for position, letter in ((1, "A"), (2, "B"), (3, "C")):
        page.locator("#answer-form input[name=choice]").nth(ord(letter) - ord("A")).check()
        expect(status).to_have_text(f"Saved: {letter}")
        acknowledged[position] = choice_on_screen(page)
        save_and_next(page, position)
    deadline = app_server.deadline(attempt)
    shown_before = seconds_on_timer(page)

    app_server.kill()
    # Answered while the server is down: the screen says it is not saved (and keeps trying).
    page.locator("#answer-form input[name=choice]").nth(1).check()
    expect(status).to_have_text(NOT_SAVED)
    app_server.start()  # same port, same database file
    expect(status).to_have_text("Saved: B", timeout=45_000)  # a retry reached the restarted server
    acknowledged[4] = choice_on_screen(page)

    page.reload()
    shows_question(page, 4)
    shown_after = seconds_on_timer(page)
    server_left = (deadline - datetime.now(UTC)).total_seconds()
    # The clock ran on while the server was down, from the deadline stored at the start, not from a new one.
    assert app_server.deadline(attempt) == deadline
    assert shown_after <= shown_before
    assert abs(shown_after - server_left) <= 2, (shown_after, server_left)

    for position, choice in acknowledged.items():
        go_to_question(page, position)
        assert choice_on_screen(page) == choice
    expect(page.locator("#answered-count")).to_have_text("4")
    assert stored_places(app_server, attempt) == {**acknowledged, 5: None, 6: None}
    assert page.js_errors == []


# --------------------------------------------------------------------------------------- a flaky network
class FlakyNetwork:
    """Answer saves through a network that fails the requests it is told to and lets the others through.

    "abort": the connection fails before the server sees the request; "502": a proxy answers instead of the
    server; "lost": the server stores the answer but its reply is lost (a proxy's 502 comes back instead);
    "refused": a 403, as for a form that expired with the session, which no retry can change.
    """

    FAILURES = ("abort", "502", "lost")

    def __init__(self, page):
        self.plan = []  # what happens to the next requests, in order; then they pass
        self.log = []
        page.route("**/answer/", self.handle)

    def fail_next(self, failure):
        self.plan.append(failure)

    def fail_every_other(self, count):
        """The next `count` requests alternate: a failure (of each kind in turn), then one that passes."""
        self.plan += [self.FAILURES[i // 2 % 3] if i % 2 == 0 else "pass" for i in range(count)]

    def recover(self):
        self.plan.clear()

    def handle(self, route):
        what = self.plan.pop(0) if self.plan else "pass"
        self.log.append(what)
        if what == "abort":
            route.abort("connectionreset")
            return
        if what == "lost":
            route.fetch()
        if what in ("502", "lost"):
            route.fulfill(status=502, content_type="text/html", body="<h1>502 Bad Gateway</h1>")
        elif what == "refused":
            route.fulfill(status=403, content_type="text/html", body="<h1>This form has expired</h1>")
        else:
            route.continue_()


def answer_on_screen(page):
    """The question on the screen's answer as the server would store it (None when nothing is chosen)."""
    form = page.locator("#answer-form")
    if form.locator("input[name=choices]").count():
        chosen = sorted(
            int(value) for value in form.locator("input[name=choices]:checked").evaluate_all(VALUES)
        )
        return {"choices": chosen} if chosen else None
    choice = choice_on_screen(page)
    return {"choice": choice} if choice else None


def letters_on_screen(page):
    letters = page.locator("#answer-form label.choice:has(input:checked) .choice-letter").all_inner_texts()
    return ", ".join(sorted(letters))


def stored(attempt, position):
    """The stored answer named as the page names it (choices by their place on the screen), or None."""
    slot = Slot.objects.get(attempt=attempt, position=position)
    if not slot.response:
        return None
    form = answer_form(slot.snapshot, slot.response)
    return {"choices": sorted(form["choices"])} if "choices" in form else form


VALUES = "inputs => inputs.map(input => input.value)"
KEYS = {"multiple_choice": ["2", "4", "1"], "multiple_response": ["1", "3", "5", "3"]}  # 1-6: choices A-F


def test_saves_the_network_drops_show_as_not_saved_and_retries_end_with_the_screen_stored(
    live_server, page, transactional_db, student
):
    exam = make_exam()
    question_set = make_question_set(exam=exam, owner=student)
    kinds = ["multiple_choice", "multiple_response", "multiple_choice"]
    questions = [make_question(question_set=question_set, kind=kind) for kind in kinds]
    attempt = make_attempt(user=student, questions=questions, now=timezone.now(), minutes=30)
    keys = {slot.position: KEYS[slot.kind] for slot in attempt.slots.all()}  # positions are shuffled
    log_in(page, live_server.url, f"/attempts/{attempt.pk}/q/1/")
    network = FlakyNetwork(page)
    status = page.locator("#save-status")
    # The save status is announced, politely: it never interrupts the question being read.
    expect(page.locator(".save-status-region")).to_have_attribute("aria-live", "polite")

    # A save that never reached the server, then one that reached it but whose reply was lost: each shows as
    # not saved until a retry gets through.
    for failure, key in zip(("abort", "lost"), keys[1], strict=False):
        network.fail_next(failure)
        page.keyboard.press(key)
        expect(status).to_have_text(NOT_SAVED)
        expect(status).to_have_text(f"Saved: {letters_on_screen(page)}")
        assert stored(attempt, 1) == answer_on_screen(page)

    # "Save and next" answered by a proxy's 502: still on question 1, and told so; once the retry stored the
    # answer, N moves on.
    network.fail_next("502")
    page.keyboard.press("n")
    expect(status).to_have_text(NOT_SAVED)
    expect(status).to_have_text(f"Saved: {letters_on_screen(page)}")
    expect(page.locator("#q-heading")).to_have_text(re.compile(r"^Question 1\b"))
    shown = {1: answer_on_screen(page)}
    page.keyboard.press("n")
    shows_question(page, 2)
    expect(status).to_have_text("Not answered yet")  # the status speaks of the question on the screen

    # The navigator sends nothing of the question it leaves: while the answer is not saved it stays put (and
    # retries at once) rather than lose it.
    network.fail_next("abort")
    network.fail_next("abort")
    page.keyboard.press(keys[2][0])
    expect(status).to_have_text(NOT_SAVED)
    open_navigator(page)
    page.locator("#nav-3 a").click()
    expect(status).to_have_text(f"Saved: {letters_on_screen(page)}")
    expect(page).to_have_url(re.compile(r"/q/2/$"))
    assert stored(attempt, 2) == answer_on_screen(page)

    # A flaky stretch: every other request fails while the student changes answers without waiting.
    for position in (2, 3):
        network.fail_every_other(12)
        for key in keys[position]:
            page.keyboard.press(key)
        expect(status).to_have_text(f"Saved: {letters_on_screen(page)}", timeout=30_000)
        network.recover()
        shown[position] = answer_on_screen(page)
        assert stored(attempt, position) == shown[position]
        if position == 2:
            page.keyboard.press("n")
            shows_question(page, 3)
    assert set(network.log) == {"pass", *FlakyNetwork.FAILURES}

    # In the end the server holds exactly what the screen showed, and shows it again after a reload.
    assert {position: stored(attempt, position) for position in shown} == shown
    assert all(shown.values())
    page.reload()
    for position in (1, 2, 3):
        go_to_question(page, position)
        assert answer_on_screen(page) == shown[position]

    # A refusal (a form expired with the session) is not retried: the student is told to reload, and the
    # server keeps the answer it had.
    network.fail_next("refused")
    page.keyboard.press(keys[3][1])
    expect(status).to_have_text("This answer could not be saved: reload the page.")
    assert answer_on_screen(page) != shown[3]
    assert stored(attempt, 3) == shown[3]
    assert page.js_errors == []
