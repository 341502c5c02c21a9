# Drops indexes no query needs: each usage table's own account index (its first index leads with the account) and the LIKE index unique=True added to usage event ids.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_fk_covered_by_history_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='usageaccountip',
            name='account',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='usage_ips', to='accounts.account'),
        ),
        migrations.AlterField(
            model_name='usageaccountmodel',
            name='account',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='usage_models', to='accounts.account'),
        ),
        migrations.AlterField(
            model_name='usageaccounttemplate',
            name='account',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='usage_templates', to='accounts.account'),
        ),
        migrations.AlterField(
            model_name='usageevent',
            name='account',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='usage_events', to='accounts.account'),
        ),
        migrations.AlterField(
            model_name='usageevent',
            name='event_id',
            field=models.CharField(max_length=128),
        ),
        migrations.AlterField(
            model_name='usagehour',
            name='account',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='usage_hours', to='accounts.account'),
        ),
        migrations.AddConstraint(
            model_name='usageevent',
            constraint=models.UniqueConstraint(fields=('event_id',), name='usage_event_id_unique'),
        ),
    ]
