"""Practice pages: start, answer (saved at every change), flag, check, review, submit, results, history, and
the missed questions as an Anki deck."""

from collections.abc import Callable, Mapping, Sequence
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, HttpResponseLocation, trigger_client_event

from apps.content.models import Exam
from apps.exams import anki, modes, presenters, scoring, selectors, services
from apps.exams.forms import NewPracticeForm
from apps.exams.models import Attempt, Slot
from apps.exams.modes.custom import CUSTOM
from apps.exams.modes.retry import RETRY
from apps.exams.scoring import InvalidResponse
from apps.exams.services import Check, Outcome, PostedAnswer
from apps.questions.selectors import study_links
from config.http_methods import require_get_or_post, require_safe
from config.typing import AuthenticatedRequest, HtmxRequest

TIME_UP = "Time is up — your saved answers were submitted."


P = ParamSpec("P")
View = Callable[Concatenate[AuthenticatedRequest, P], HttpResponseBase]


def exam_login_required(view: View[P]) -> Callable[Concatenate[HtmxRequest, P], HttpResponseBase]:
    """Like login_required, but an HTMX request gets a fragment that says what happened instead of a redirect."""
    # login_required lets only signed-in users through to the view; its stub keeps the view's own type.
    protected = cast(Callable[Concatenate[HtmxRequest, P], HttpResponseBase], login_required(view))

    @wraps(view)
    def wrapper(request: HtmxRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated and request.htmx:
            login = reverse("login") + "?next=" + request.path
            return render(request, "exams/_session_expired.html", {"login_url": login}, status=200)
        return protected(request, *args, **kwargs)

    return wrapper


def _open_attempt(request: AuthenticatedRequest, pk: int, attempt: Attempt | None = None) -> Attempt:
    """The user's attempt (`attempt` when already read), finalized first (with a message) if its time ran
    out unseen."""
    attempt = attempt or selectors.attempt_for(request.user, pk)
    if services.finalize_if_expired(attempt=attempt, now=timezone.now()):
        messages.info(request, TIME_UP)
    return attempt


def _with_timer(response: HttpResponse, attempt: Attempt) -> HttpResponse:
    remaining = attempt.remaining_seconds(timezone.now())
    if remaining is not None:
        trigger_client_event(response, "timer-sync", {"remaining": remaining})
    return response


# --------------------------------------------------------------------------------------------- start
@exam_login_required
@require_get_or_post
def new_practice(request: AuthenticatedRequest) -> HttpResponse:
    exams = list(Exam.objects.all())
    code = request.POST.get("exam") or request.GET.get("exam") or _target_exam_code(request.user)
    exam = next((e for e in exams if e.code == code), None) or (exams[0] if exams else None)
    if exam is None:
        return render(request, "exams/new_practice.html", {"exams": []})
    mode = request.GET.get("mode")
    initial: dict[str, object] = {"mode": mode} if mode in modes.codes() else {}
    if request.GET.getlist("task"):  # "Practise this task": the mode that lets the student choose one
        initial.update(mode=CUSTOM.code, tasks=request.GET.getlist("task"))
    form = NewPracticeForm(request.POST or None, exam=exam, initial=initial)
    plan = None
    if request.method == "POST" and form.is_valid():
        practice = form.practice_request()
        seed = timezone.now().isoformat()
        plan = services.plan_attempt(user=request.user, request=practice, seed=seed, now=timezone.now())
        if not plan.question_ids:
            form.add_error(
                None,
                plan.problem or "No questions match what you chose. Choose more domains or task statements.",
            )
        elif not plan.short or form.cleaned_data["confirm_short"]:
            attempt = services.start_attempt(
                user=request.user, request=practice, plan=plan, now=timezone.now(), seed=seed
            )
            return redirect("exams:question", attempt.pk, 1)
    context = {
        "form": form,
        "exam": exam,
        "exams": exams,
        "plan": plan,
        "nav": "practice",
        "mistakes": len(selectors.mistake_question_ids(request.user, exam)),
        "due": selectors.due_count(request.user, exam, now=timezone.now()),
    }
    return render(request, "exams/new_practice.html", context)


def _target_exam_code(user: object) -> str:
    """The exam the user's profile names, read only when the request names none."""
    profile_exam = getattr(getattr(user, "profile", None), "target_exam", None)
    return profile_exam.code if profile_exam else ""


@exam_login_required
@require_POST
def retry_from_attempt(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    attempt = selectors.attempt_for(request.user, pk)
    return redirect(reverse("exams:new") + f"?exam={attempt.exam.code}&mode={RETRY.code}")


# ------------------------------------------------------------------------------------------ the screen
@never_cache
@exam_login_required
@require_safe
def attempt_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    attempt = _open_attempt(request, pk)
    if not attempt.is_open:
        return redirect("exams:results", attempt.pk)
    first_open = (
        attempt.slots.filter(response__isnull=True)
        .order_by("position")
        .values_list("position", flat=True)
        .first()
    )
    return redirect("exams:question", attempt.pk, first_open or 1)


def _question_context(attempt: Attempt, slot: Slot, nav: Sequence[Mapping[str, object]]) -> dict[str, object]:
    return {
        "attempt": attempt,
        "slot": slot,
        "question": presenters.question_view(slot),
        "nav_html": presenters.navigator_html(nav, current=slot.position),
        "total": len(nav),
        "remaining": attempt.remaining_seconds(timezone.now()),
        "grace": settings.EXAM_SAVE_GRACE_SECONDS,
        "show_domain": attempt.practice_mode.shows_domain,
        "confidence_marks": Slot.Confidence.choices if attempt.asks_confidence else [],
        "review": presenters.review_row(slot) if slot.checked else None,
        "answered_count": sum(1 for item in nav if item["response"]),
        "focus": attempt.exam_conditions,
    }


@never_cache  # Back and Forward must show the server's state, never a stored copy
@exam_login_required
@require_safe
@vary_on_headers("HX-Request")
def question(request: AuthenticatedRequest, pk: int, position: int) -> HttpResponse:
    # The slot and its attempt in one query; when there is none, the attempt alone says why (404 or closed).
    found = selectors.owned_slot_or_none(request.user, pk, position)
    attempt = _open_attempt(request, pk, found.attempt if found else None)
    if not attempt.is_open:
        return _closed_response(request, attempt)
    slot = found or selectors.slot_for(attempt, position)
    context = _question_context(attempt, slot, selectors.navigator(attempt))
    if request.htmx and request.headers.get("HX-Target") == "exam-main":
        return _with_timer(render(request, "exams/attempt_question.html#exam-main", context), attempt)
    return render(request, "exams/attempt_question.html", context)


def _closed_response(request: HtmxRequest, attempt: Attempt) -> HttpResponse:
    url = reverse("exams:results", args=[attempt.pk])
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _posted_answer(request: HtmxRequest, attempt: Attempt, slot: Slot, *, deliberate: bool) -> PostedAnswer:
    """The answer, the confidence mark, the flag and the save number on the screen.

    Raises InvalidResponse or ValueError when they do not fit this question. A mock asks for no mark, so
    any sent along is ignored there. The flag is None when the form did not carry it.
    """
    response = scoring.parse_response(slot.snapshot, request.POST)
    confidence = request.POST.get("confidence", "") if attempt.asks_confidence else ""
    if confidence not in ("", *Slot.Confidence.values):
        raise InvalidResponse(f"{confidence!r} is not sure, unsure or guessed")
    seq = request.POST.get("seq", "")
    # Bounded before it is read or stored: a number beyond the column would fail the UPDATE (a 500), or, where
    # the database takes it, make every later save look stale and lock the answer for good.
    if not (seq.isdigit() and len(seq) <= 10 and 1 <= int(seq) <= Slot.MAX_SEQ):
        raise InvalidResponse(f"the save number must be a whole number from 1 to {Slot.MAX_SEQ}")
    carries_flag = "flagged" in request.POST.getlist("fields")
    return PostedAnswer(
        response=response,
        seq=int(seq),
        confidence=confidence,
        flagged=request.POST.get("flagged") == "1" if carries_flag else None,
        deliberate=deliberate,
    )


def _unfit_answer(error: ValueError) -> HttpResponse:
    # Plain text: the error quotes what was posted, which must never be read as HTML.
    return HttpResponseBadRequest(
        f"That answer does not fit this question ({error}). Nothing was saved.",
        content_type="text/plain; charset=utf-8",
    )


def _next_url(attempt: Attempt, position: int, nav: str, total: int) -> str:
    targets = {"prev": max(1, position - 1), "next": min(total, position + 1)}
    if nav == "review":
        return reverse("exams:review", args=[attempt.pk])
    return reverse("exams:question", args=[attempt.pk, targets.get(nav, position)])


@exam_login_required
@require_POST
def answer(request: AuthenticatedRequest, pk: int, position: int) -> HttpResponse:
    """Save the answer on the screen (every change with HTMX; "Save and next" without JavaScript)."""
    slot = selectors.owned_slot(request.user, pk, position)
    attempt = slot.attempt
    nav = request.POST.get("nav", "")
    # Moving an item and "Save this order" choose the order on the screen; anything else (a flag, Next,
    # Review) only carries it along.
    deliberate = nav == "stay" or bool(request.POST.get("move"))
    try:
        posted = _posted_answer(request, attempt, slot, deliberate=deliberate)
    except (InvalidResponse, ValueError) as error:
        return _unfit_answer(error)
    outcome = services.save_response(attempt=attempt, slot=slot, now=timezone.now(), **posted)
    if outcome in (Outcome.CLOSED, Outcome.TIME_UP):
        messages.info(
            request, TIME_UP if outcome is Outcome.TIME_UP else "This attempt was already submitted."
        )
        return _closed_response(request, attempt)
    if not request.htmx:
        if outcome is Outcome.STALE:
            messages.warning(
                request, "This answer was changed in another tab or window; here is the saved answer."
            )
            nav = ""
        elif outcome is Outcome.LOCKED:
            messages.info(request, "You already checked this answer; it can no longer change.")
        return redirect(
            _next_url(attempt, position, "" if request.POST.get("move") else nav, attempt.question_count)
        )
    if nav:
        url = _next_url(attempt, position, nav, attempt.question_count)
        if nav == "review":  # another page, without an #exam-main to swap: load it whole
            return HttpResponseClientRedirect(url)
        return HttpResponseLocation(url, target="#exam-main", select="#exam-main", swap="outerHTML")
    context = {
        "attempt": attempt,
        "slot": slot,
        "outcome": outcome.value,
        "stored": presenters.answer_summary(slot),
        "nav_item": presenters.nav_item_html(
            {
                "position": slot.position,
                "url": selectors.question_url(attempt, slot.position),
                "response": slot.response,
                "flagged": slot.flagged,
            },
            current=slot.position,
            oob=True,
        ),
    }
    result = render(request, "exams/attempt_question.html#save-status", context)
    if outcome is Outcome.STALE:
        trigger_client_event(result, "answer-stale", {})
    return _with_timer(result, attempt)


@exam_login_required
@require_POST
def check(request: AuthenticatedRequest, pk: int, position: int) -> HttpResponse:
    """Immediate-feedback mode: save the answer on the screen, then show whether it is right, and why."""
    attempt = _open_attempt(request, pk)
    if not attempt.is_open:
        return _closed_response(request, attempt)
    slot = selectors.slot_for(attempt, position)
    posted = None
    if "seq" in request.POST:  # the answer form came along: without JavaScript nothing has saved it yet
        try:
            # Choosing "Check" chooses the answer on the screen, the order as first shown included.
            posted = _posted_answer(request, attempt, slot, deliberate=True)
        except (InvalidResponse, ValueError) as error:
            return _unfit_answer(error)
    checked = services.save_and_check(attempt=attempt, slot=slot, now=timezone.now(), posted=posted)
    if checked is Check.TIME_UP:
        messages.info(request, TIME_UP)
        return _closed_response(request, attempt)
    if checked is Check.NOTHING_TO_CHECK:
        messages.warning(request, "Save an answer first; then you can check it.")
    url = reverse("exams:question", args=[attempt.pk, position])
    if request.htmx:
        return HttpResponseLocation(url, target="#exam-main", select="#exam-main", swap="outerHTML")
    return redirect(url)


@never_cache
@exam_login_required
@require_safe
def review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    attempt = _open_attempt(request, pk)
    if not attempt.is_open:
        return _closed_response(request, attempt)
    nav = selectors.navigator(attempt)
    context = {
        "attempt": attempt,
        "nav": nav,
        "unanswered": [i for i in nav if not i["response"]],
        "flagged": [i for i in nav if i["flagged"]],
        "focus": attempt.exam_conditions,
        "remaining": attempt.remaining_seconds(timezone.now()),
        "grace": settings.EXAM_SAVE_GRACE_SECONDS,
    }
    return render(request, "exams/attempt_review.html", context)


@exam_login_required
@require_POST
def submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    attempt = selectors.attempt_for(request.user, pk)
    if request.POST.get("confirm") != "yes":
        messages.warning(request, "Confirm that you want to submit.")
        return redirect("exams:review", attempt.pk)
    attempt, submitted_now = services.submit_attempt(attempt=attempt, now=timezone.now())
    if submitted_now and attempt.finish_reason == Attempt.Finish.TIME_UP:
        messages.info(request, TIME_UP)
    elif submitted_now:
        messages.success(request, "Your exam was submitted and graded.")
    return _closed_response(request, attempt)


# -------------------------------------------------------------------------------------------- results
REVIEW_FILTERS = {"all": "All questions", "incorrect": "Incorrect", "flagged": "Flagged"}


@exam_login_required
@require_safe
def results(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    attempt = _open_attempt(request, pk)
    if attempt.is_open:
        return redirect("exams:question", attempt.pk, 1)
    show = request.GET.get("show", "all")
    show = show if show in REVIEW_FILTERS else "all"
    rows, wrong_count = selectors.results_review(attempt, show=show)
    context = {
        "attempt": attempt,
        "rows": rows,
        "show": show,
        "filters": REVIEW_FILTERS,
        "chart": presenters.domain_chart(attempt),
        "wrong_count": wrong_count,
        "minutes_used": (attempt.time_used_seconds() or 0) // 60,
        "seconds_used": (attempt.time_used_seconds() or 0) % 60,
    }
    return render(request, "exams/attempt_results.html", context)


@exam_login_required
@require_safe
def history(request: AuthenticatedRequest) -> HttpResponse:
    services.finalize_expired(attempts=selectors.attempt_history(request.user), now=timezone.now())
    return render(
        request,
        "exams/attempt_history.html",
        {"attempts": selectors.attempt_history(request.user), "nav": "attempts"},
    )


@login_required
@require_safe
def mistakes_deck(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """The student's missed questions of one exam as an Anki deck (a download; an empty deck is still valid)."""
    exam = get_object_or_404(Exam, code=code)
    snapshots = selectors.mistake_snapshots(request.user, exam)
    links = study_links([pk for pk, _ in snapshots])
    deck = anki.mistakes_deck(
        exam_code=exam.code,
        exam_title=exam.title,
        snapshots=snapshots,
        now=timezone.now(),
        links={pk: {**link, "url": request.build_absolute_uri(link["url"])} for pk, link in links.items()},
    )
    response = HttpResponse(deck, content_type="application/apkg")
    disposition = content_disposition_header(
        as_attachment=True, filename=f"certprep-{exam.code.lower()}-mistakes.apkg"
    )
    assert disposition is not None  # only an inline response without a file name has none
    response["Content-Disposition"] = disposition
    return response
