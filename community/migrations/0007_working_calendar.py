"""The working calendar: deadlines in working days or hours, office hours, local days off and worked.

The former ``response_deadline_hours`` becomes ``response_deadline``; communities that existed keep
their deadline exactly as it was (clock hours) until their committee chooses working days or hours
on the calendar page. New communities start with 2 working days to answer and 10 to resolve.
"""

import django.db.models.deletion

import community.workdays
from django.db import migrations, models

UNITS = [("working_days", "working days"), ("working_hours", "working hours"), ("hours", "hours (clock)")]


class Migration(migrations.Migration):
    dependencies = [("community", "0006_outlines")]

    operations = [
        migrations.RenameField("community", "response_deadline_hours", "response_deadline"),
        migrations.AlterField(
            model_name="community",
            name="response_deadline",
            field=models.PositiveSmallIntegerField(
                default=2, verbose_name="response deadline",
                help_text="How long a grid worker has to answer a newly raised issue, in the unit beside."),
        ),
        # Existing rows get "hours" (their deadline unchanged); the default for new rows follows.
        migrations.AddField(
            model_name="community",
            name="response_deadline_unit",
            field=models.CharField(choices=UNITS, default="hours", max_length=20, verbose_name="response deadline unit"),
        ),
        migrations.AlterField(
            model_name="community",
            name="response_deadline_unit",
            field=models.CharField(choices=UNITS, default="working_days", max_length=20,
                                   verbose_name="response deadline unit"),
        ),
        migrations.AddField(
            model_name="community",
            name="resolution_deadline",
            field=models.PositiveSmallIntegerField(
                default=10, verbose_name="resolution deadline",
                help_text="How long an issue may take from being taken up to being resolved."),
        ),
        migrations.AddField(
            model_name="community",
            name="resolution_deadline_unit",
            field=models.CharField(choices=UNITS, default="working_days", max_length=20,
                                   verbose_name="resolution deadline unit"),
        ),
        migrations.AddField(
            model_name="community",
            name="office_hours",
            field=models.CharField(
                default="09:00-12:00, 13:30-17:30", max_length=60, verbose_name="office hours",
                validators=[community.workdays.validate_office_hours],
                help_text="When working hours are counted, on working days: e.g. “09:00-12:00, 13:30-17:30”."),
        ),
        migrations.CreateModel(
            name="LocalDay",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(verbose_name="day")),
                ("kind", models.CharField(choices=[("off", "Local day off"), ("work", "Local extra working day")],
                                          max_length=10, verbose_name="kind")),
                ("note", models.CharField(blank=True, max_length=120, verbose_name="note")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="added")),
                ("community", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="local_days",
                                                to="community.community", verbose_name="community")),
            ],
            options={"verbose_name": "local day", "verbose_name_plural": "local days", "ordering": ["community", "day"],
                     "constraints": [models.UniqueConstraint(fields=("community", "day"), name="local_day_once")]},
        ),
    ]
