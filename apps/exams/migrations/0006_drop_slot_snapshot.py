# Every slot now refers to a version (0005_slots_to_versions): the per-slot copy of the question goes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0005_slots_to_versions"),
    ]

    operations = [
        migrations.RemoveField(model_name="slot", name="question_revision"),
        migrations.RemoveField(model_name="slot", name="snapshot"),
        migrations.AlterField(
            model_name="slot",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="slots",
                to="questions.questionversion",
            ),
        ),
    ]
