"""A student's profile: the exam they are preparing for and the day they plan to take it."""

from datetime import date

from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    target_exam = models.ForeignKey(
        "content.Exam", null=True, blank=True, on_delete=models.SET_NULL, related_name="profiles"
    )
    exam_date = models.DateField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def days_until_exam(self, today: date) -> int | None:
        """Whole days from `today` to the planned exam date (0 on the day, negative after it), or None."""
        if self.exam_date is None:
            return None
        return (self.exam_date - today).days
