"""Sign-up and profile forms."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import BaseUserManager

from apps.accounts.models import Profile
from apps.content.models import Exam


class SignupForm(UserCreationForm):
    """Django's sign-up form with an email address, required; services.sign_up keeps it to one account."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We send password-reset links here and nothing else.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]  # the stubs' UserCreationForm is generic
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self):
        # Whether an account already uses the address is never said here (that would tell anyone who has an
        # account): services.sign_up mails the address's owner instead, and the page answers the same.
        return BaseUserManager.normalize_email(self.cleaned_data["email"])


class ExamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, exam):
        if exam.status == Exam.Status.CURRENT:
            return str(exam)
        return f"{exam} ({exam.get_status_display().lower()})"


class ProfileForm(forms.ModelForm):
    target_exam = ExamChoiceField(
        queryset=Exam.objects.all(),
        required=False,
        label="Exam you are preparing for",
        empty_label="Not chosen yet",
    )

    class Meta:
        model = Profile
        fields = ("target_exam", "exam_date")
        labels = {"exam_date": "Planned exam date"}
        help_texts = {"exam_date": "Leave it empty if you have not booked yet."}
        widgets = {"exam_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["exam_date"].widget.attrs["min"] = today.isoformat()

    def clean_exam_date(self):
        exam_date = self.cleaned_data["exam_date"]
        # A date that has passed may stay while it is unchanged (the exam happened); a new one may not.
        if exam_date and exam_date < self.today and "exam_date" in self.changed_data:
            raise forms.ValidationError(
                "That date has passed. Choose today or a later day, or leave it empty.", code="past_date"
            )
        return exam_date
