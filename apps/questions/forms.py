"""Student-facing forms of the question bank."""

from django import forms

from apps.questions.models import ProblemReport


class ProblemReportForm(forms.ModelForm):
    class Meta:
        model = ProblemReport
        fields = ("category", "text")
        labels = {"category": "What is wrong?", "text": "Tell us more"}
        widgets = {
            "category": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }
        help_texts = {"text": "What you expected, and why. The question's author reads every report."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = ProblemReport.Category.choices  # type: ignore[attr-defined]  # no "---------" radio button

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) < 5:
            raise forms.ValidationError("Please describe the problem in a few words.")
        return text
