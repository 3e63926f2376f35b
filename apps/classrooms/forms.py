"""Forms of the classroom pages: create a class, join one, members' accommodations, co-instructors, sharing
sets and assignments."""

from datetime import timedelta
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from apps.classrooms.models import Assignment, Classroom, Membership
from apps.content.models import Exam
from apps.exams import modes
from apps.exams.modes.custom import MAX_CUSTOM_QUESTIONS

MAX_EXTRA_TIME = 200  # percent; AWS's own accommodation for non-native speakers is +30 minutes (about +33%)
MAX_ATTEMPTS = 20


class ClassroomForm(forms.ModelForm):
    class Meta:
        model = Classroom
        fields = ["name", "exam"]
        labels = {"name": "Class name"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        exam = cast(forms.ModelChoiceField, self.fields["exam"])
        exam.queryset = Exam.objects.order_by("order", "code")
        exam.empty_label = None


class JoinForm(forms.Form):
    code = forms.CharField(
        max_length=20, label="Join code", help_text="The code your instructor gave you, e.g. K7Q2-MX9P."
    )


class AccommodationForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["extra_time_percent", "extra_attempts"]
        labels = {"extra_time_percent": "Extra time (%)", "extra_attempts": "Extra attempts"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extra_time_percent"].widget.attrs.update(min=0, max=MAX_EXTRA_TIME, step=5)
        self.fields["extra_attempts"].widget.attrs.update(min=0, max=MAX_ATTEMPTS)

    def clean_extra_time_percent(self):
        value = self.cleaned_data["extra_time_percent"]
        if value > MAX_EXTRA_TIME:
            raise forms.ValidationError(f"Extra time can be at most {MAX_EXTRA_TIME}%.")
        return value

    def clean_extra_attempts(self):
        value = self.cleaned_data["extra_attempts"]
        if value > MAX_ATTEMPTS:
            raise forms.ValidationError(f"At most {MAX_ATTEMPTS} extra attempts.")
        return value


class CoInstructorForm(forms.Form):
    username = forms.CharField(max_length=150, label="Instructor's username")


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multi-select of rows whose posted ids beyond the id column's range are an invalid choice, like any
    other id that is not on offer, instead of an overflow inside the database driver (a 500)."""

    def _check_values(self, value):
        assert self.queryset is not None  # set by the form before it validates
        field = self.queryset.model._meta.pk
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # not a number at all: Django's own check says so
            if (low is not None and number < low) or (high is not None and number > high):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)  # type: ignore[misc]  # Django's, not in the stubs


class ShareSetsForm(forms.Form):
    sets = BoundedModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Share these sets"
    )

    def __init__(self, *args, sets, **kwargs):
        super().__init__(*args, **kwargs)
        cast(BoundedModelMultipleChoiceField, self.fields["sets"]).queryset = sets


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AssignmentForm(forms.ModelForm):
    domains = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    tasks = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Task statements"
    )

    class Meta:
        model = Assignment
        fields = [
            "title",
            "mode",
            "domains",
            "tasks",
            "question_sets",
            "question_count",
            "feedback",
            "opens_at",
            "due_at",
            "time_limit_minutes",
            "attempts_allowed",
        ]
        field_classes = {"question_sets": BoundedModelMultipleChoiceField}
        labels = {
            "mode": "What to practise",
            "question_sets": "Only from these question sets",
            "question_count": "Number of questions",
            "feedback": "Show answers",
            "opens_at": "Opens",
            "due_at": "Due",
            "time_limit_minutes": "Time limit (minutes)",
            "attempts_allowed": "Attempts allowed",
        }
        help_texts = {
            "question_sets": "None ticked: every set the students can practise with.",
            "question_count": "Custom practice only; a full mock follows the exam guide.",
            "time_limit_minutes": "Empty: a full mock runs on the real exam's clock, a custom practice is "
            "untimed. Students' extra time is added on top.",
            "attempts_allowed": "Per student; extra attempts granted to a student are added.",
        }
        widgets = {
            "mode": forms.RadioSelect,
            "feedback": forms.RadioSelect,
            "question_sets": forms.CheckboxSelectMultiple,
            "opens_at": DateTimeInput(),
            "due_at": DateTimeInput(),
        }

    def __init__(self, *args, classroom, sets, **kwargs):
        super().__init__(*args, **kwargs)
        self.classroom = classroom
        exam = classroom.exam
        cast(forms.ChoiceField, self.fields["domains"]).choices = [
            (str(d.number), f"Domain {d.number}: {d.title}") for d in exam.domains.order_by("number")
        ]
        cast(forms.ChoiceField, self.fields["tasks"]).choices = [
            (t.number, f"{t.number} {t.title}") for t in exam.task_statements.order_by("position")
        ]
        cast(BoundedModelMultipleChoiceField, self.fields["question_sets"]).queryset = sets
        self.fields["question_count"].required = False  # a mock's count comes from the exam guide
        self.fields["question_count"].widget.attrs.update(min=1, max=MAX_CUSTOM_QUESTIONS)
        self.fields["attempts_allowed"].widget.attrs.update(min=1, max=MAX_ATTEMPTS)
        if self.instance.pk:
            self.initial.setdefault("domains", [str(d) for d in self.instance.domains])
        elif not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial["opens_at"] = self.initial.get("opens_at") or now
            self.initial["due_at"] = self.initial.get("due_at") or now + timedelta(days=7)

    def clean_domains(self):
        return [int(number) for number in self.cleaned_data["domains"]]

    def clean_question_count(self):
        count = self.cleaned_data["question_count"]
        if count is not None and not 1 <= count <= MAX_CUSTOM_QUESTIONS:
            raise forms.ValidationError(f"Choose between 1 and {MAX_CUSTOM_QUESTIONS} questions.")
        return count

    def clean_attempts_allowed(self):
        value = self.cleaned_data["attempts_allowed"]
        if not 1 <= value <= MAX_ATTEMPTS:
            raise forms.ValidationError(f"Allow between 1 and {MAX_ATTEMPTS} attempts.")
        return value

    def clean_time_limit_minutes(self):
        value = self.cleaned_data["time_limit_minutes"]
        if value is not None and not 1 <= value <= 600:
            raise forms.ValidationError("A time limit is between 1 and 600 minutes.")
        return value

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        opens, due = cleaned.get("opens_at"), cleaned.get("due_at")
        if opens and due and due <= opens:
            self.add_error("due_at", "The due date must be after the opening date.")
        if not cleaned.get("mode"):
            return cleaned
        mode = modes.get(cleaned["mode"])
        if not mode.available_for(self.classroom.exam) and not cleaned.get("time_limit_minutes"):
            self.add_error(
                "time_limit_minutes",
                "AWS has not published this exam's time limit: give the mock a time limit.",
            )
        if mode.chooses_questions and not cleaned.get("question_count"):
            self.add_error("question_count", "Choose how many questions.")
        if not mode.chooses_questions:  # a mock follows the blueprint
            cleaned["domains"], cleaned["tasks"] = [], []
            cleaned["question_count"] = (
                cleaned.get("question_count") or Assignment.question_count.field.default
            )
        return cleaned
