"""The New practice form."""

from django import forms

from apps.exams.models import Attempt
from apps.exams.services import MAX_CUSTOM_QUESTIONS, PracticeRequest


class NewPracticeForm(forms.Form):
    mode = forms.ChoiceField(
        choices=Attempt.Mode.choices, initial=Attempt.Mode.MOCK, widget=forms.RadioSelect
    )
    domains = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    tasks = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Task statements"
    )
    count = forms.IntegerField(
        min_value=1, max_value=MAX_CUSTOM_QUESTIONS, initial=20, required=False, label="Number of questions"
    )
    timed = forms.BooleanField(required=False, initial=True, label="Timed, at the real exam's pace")
    feedback = forms.ChoiceField(
        choices=Attempt.Feedback.choices,
        initial=Attempt.Feedback.END,
        widget=forms.RadioSelect,
        label="Show answers",
    )
    pilot = forms.BooleanField(required=False, label="Mix in unscored pilot questions, like the real exam")
    confirm_short = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, exam, **kwargs):
        super().__init__(*args, **kwargs)
        self.exam = exam
        if not exam.mock_format:  # a mock runs on the real exam's clock, and this exam has none published yet
            self.fields["mode"].choices = [c for c in Attempt.Mode.choices if c[0] != Attempt.Mode.MOCK]
            self.fields["mode"].initial = Attempt.Mode.CUSTOM
        self.fields["domains"].choices = [
            (str(d.number), f"Domain {d.number}: {d.title} ({d.weight}%)")
            for d in exam.domains.order_by("number")
        ]
        self.fields["tasks"].choices = [
            (t.number, f"{t.number} {t.title}") for t in exam.task_statements.order_by("position")
        ]

    def clean(self):
        cleaned = super().clean()
        mode = cleaned.get("mode")
        if mode == Attempt.Mode.MOCK and not self.exam.mock_format:
            self.add_error(
                "mode",
                "AWS has not published this exam's time limit yet, so a full mock cannot be timed "
                "like the real one. Choose a custom practice.",
            )
        if mode == Attempt.Mode.CUSTOM and not cleaned.get("count"):
            self.add_error("count", "Choose how many questions you want.")
        return cleaned

    def practice_request(self, *, extra_time_percent=0):
        data = self.cleaned_data
        mode = data["mode"]
        if mode == Attempt.Mode.REVIEW:
            # A spaced review shows each answer at once (that is how the schedule is meant to be used) and
            # is never timed; what to ask is decided by the schedule, not by the options.
            return PracticeRequest(
                exam=self.exam, mode=mode, timed=False, feedback=Attempt.Feedback.IMMEDIATE
            )
        return PracticeRequest(
            exam=self.exam,
            mode=mode,
            domains=[int(d) for d in data["domains"]] if mode == Attempt.Mode.CUSTOM else [],
            tasks=data["tasks"] if mode == Attempt.Mode.CUSTOM else [],
            # Custom practice asks for a number; a retry takes every mistake (up to the limit), a mock the blueprint.
            count=(data.get("count") or 0) if mode == Attempt.Mode.CUSTOM else 0,
            timed=True if mode == Attempt.Mode.MOCK else data["timed"],
            feedback=Attempt.Feedback.END if mode == Attempt.Mode.MOCK else data["feedback"],
            pilot=data["pilot"] if mode == Attempt.Mode.MOCK else False,
            extra_time_percent=extra_time_percent,
        )
