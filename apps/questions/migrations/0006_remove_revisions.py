# The version number replaces the revision counter (after exams.0005_slots_to_versions read it).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0005_question_versions"),
        ("exams", "0005_slots_to_versions"),
    ]

    operations = [
        migrations.RemoveField(model_name="problemreport", name="question_revision"),
        migrations.RemoveField(model_name="question", name="revision"),
    ]
