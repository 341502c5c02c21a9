# Hourly counts of prompts at ten chain-of-thought elicitation thresholds (the >= 0.5 count was
# cot_elicitation_hits), filled in from the stored events, so the enforcement policy's window reads hours.

from datetime import timedelta

from django.db import migrations, models
from django.db.models import F, Func, OuterRef, Subquery

THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9, 1.0)  # 0.5 is the renamed column, already counted


def count_hours_at_thresholds(apps, schema_editor):
    UsageEvent = apps.get_model("accounts", "UsageEvent")
    UsageHour = apps.get_model("accounts", "UsageHour")
    in_hour = UsageEvent.objects.filter(
        account_id=OuterRef("account_id"), timestamp__gte=OuterRef("hour"), timestamp__lt=OuterRef("hour") + timedelta(hours=1)
    ).order_by()

    def count_at_least(threshold):
        counted = in_hour.filter(cot_elicitation__gte=threshold).annotate(n=Func(F("id"), function="COUNT"))
        return Subquery(counted.values("n"))

    UsageHour.objects.filter(analysed__gt=0).update(**{f"cot_at_least_{round(t * 100)}": count_at_least(t) for t in THRESHOLDS})


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_usage_indexes_without_duplicates"),
    ]

    operations = [
        migrations.RenameField(model_name="usagehour", old_name="cot_elicitation_hits", new_name="cot_at_least_50"),
        *(
            migrations.AddField(
                model_name="usagehour",
                name=f"cot_at_least_{round(t * 100)}",
                field=models.PositiveIntegerField(default=0, help_text=f"Prompts scoring >= {t:g}."),
            )
            for t in THRESHOLDS
        ),
        migrations.RunPython(count_hours_at_thresholds, migrations.RunPython.noop),
    ]
