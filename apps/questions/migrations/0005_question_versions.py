# Immutable question versions (issue 17): the table, each question's current version and the version a
# problem report points at. exams.0005_slots_to_versions fills them; 0006 then drops `revision`.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0004_question_kind_choices_from_registry"),
    ]

    operations = [
        migrations.CreateModel(
            name="QuestionVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "number",
                    models.PositiveIntegerField(
                        help_text="1 for the first version of the question, then 2, 3 …"
                    ),
                ),
                ("kind", models.CharField(max_length=20)),
                ("content", models.JSONField()),
                ("content_hash", models.CharField(max_length=64)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "question",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="versions",
                        to="questions.question",
                    ),
                ),
            ],
            options={
                "ordering": ["question", "number"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("question__isnull", False)),
                        fields=("question", "number"),
                        name="questionversion_unique_number",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="problemreport",
            name="question_version",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reports",
                to="questions.questionversion",
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="current_version",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="questions.questionversion",
            ),
        ),
    ]
