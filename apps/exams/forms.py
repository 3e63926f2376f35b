"""The New practice form."""

import functools
from typing import Any, cast

from django import forms
from django.forms.boundfield import BoundWidget

from apps.content.models import Exam
from apps.exams import modes
from apps.exams.models import Attempt
from apps.exams.modes.base import PracticeMode, PracticeRequest
from apps.exams.modes.custom import MAX_CUSTOM_QUESTIONS


class NewPracticeForm(forms.Form):
    # The first registered mode (the full mock) is offered first and chosen unless asked otherwise.
    mode = forms.ChoiceField(choices=modes.choices, initial=modes.codes()[0], widget=forms.RadioSelect)
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

    def __init__(self, *args: Any, exam: Exam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exam = exam
        # A mock runs on the real exam's clock: an exam that has none published yet cannot offer it.
        available = [mode for mode in modes.all_modes() if mode.available_for(exam)]
        mode_field = cast(forms.ChoiceField, self.fields["mode"])
        mode_field.choices = [(mode.code, mode.label) for mode in available]
        if mode_field.initial not in {mode.code for mode in available}:
            mode_field.initial = available[0].code
        # Read when first shown or checked, once: a mock's start (no domains, no tasks) never reads them.
        cast(forms.MultipleChoiceField, self.fields["domains"]).choices = functools.cache(
            lambda: [
                (str(number), f"Domain {number}: {title} ({weight}%)")
                for number, title, weight in exam.domains.order_by("number").values_list(
                    "number", "title", "weight"
                )
            ]
        )
        cast(forms.MultipleChoiceField, self.fields["tasks"]).choices = functools.cache(
            lambda: [
                (number, f"{number} {title}")
                for number, title in exam.task_statements.order_by("position").values_list("number", "title")
            ]
        )

    def mode_options(self) -> list[tuple[BoundWidget, PracticeMode]]:
        """Each mode's radio button with its policy (whose help the page shows under it)."""
        return [(radio, modes.get(radio.data["value"])) for radio in self["mode"]]

    def pilot_modes(self) -> list[str]:
        """The names of the modes that may mix in unscored pilot questions (the pilot box applies to them)."""
        return [mode.label for mode in modes.all_modes() if mode.mixes_in_pilot]

    def chosen_mode(self) -> PracticeMode | None:
        """The mode the form shows as chosen (None while it names none)."""
        code = self["mode"].value()
        return modes.get(code) if code in modes.codes() else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        code = cleaned.get("mode")
        if code is None:
            return cleaned
        mode = modes.get(code)
        if not mode.available_for(self.exam):
            self.add_error(
                "mode",
                "AWS has not published this exam's time limit yet, so a full mock cannot be timed "
                "like the real one. Choose a custom practice.",
            )
        if mode.chooses_questions and not cleaned.get("count"):
            self.add_error("count", "Choose how many questions you want.")
        return cleaned

    def practice_request(self, *, extra_time_percent: int = 0) -> PracticeRequest:
        """The request, with only the options the chosen mode offers (a mock is always timed, a review shows
        each answer at once, only a custom practice takes domains and a count …)."""
        data = self.cleaned_data
        return modes.get(data["mode"]).request(
            exam=self.exam,
            domains=[int(d) for d in data["domains"]],
            tasks=data["tasks"],
            count=data.get("count") or 0,
            timed=data["timed"],
            feedback=data["feedback"],
            pilot=data["pilot"],
            extra_time_percent=extra_time_percent,
        )
