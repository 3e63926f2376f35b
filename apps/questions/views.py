"""Student actions on questions: reporting a problem."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.vary import vary_on_headers

from apps.questions.forms import ProblemReportForm
from apps.questions.selectors import question_for_report, version_for_report
from apps.questions.services import report_problem
from config.http_methods import require_get_or_post


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


@login_required
@require_get_or_post
@vary_on_headers("HX-Request")
def report(request, pk):
    question = question_for_report(request.user, pk)
    version = version_for_report(question, request.POST.get("version") or request.GET.get("version") or "")
    form = ProblemReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report_problem(question=question, version=version, user=request.user, **form.cleaned_data)
        if request.htmx:
            return render(request, "questions/report.html#report-form", {"question": question, "sent": True})
        messages.success(request, "Thank you: your report was sent to the author of this question.")
        return redirect(_safe_next(request) or "content:home")
    template = "questions/report.html#report-form" if request.htmx else "questions/report.html"
    context = {"question": question, "version": version, "form": form, "next": _safe_next(request)}
    return render(request, template, context)
