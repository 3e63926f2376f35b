# A slot refers to the question version it asked and keeps only the order it showed the parts in
# (filled by 0005_slots_to_versions; 0006 drops the per-slot snapshot).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0003_mode_choices_from_registry"),
        ("questions", "0005_question_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="slot",
            name="layout",
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name="slot",
            name="version",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="slots",
                to="questions.questionversion",
            ),
        ),
    ]
