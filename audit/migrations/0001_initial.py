"""The audit log's table, and the triggers that keep it append-only (audit/triggers.py)."""

import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from audit import triggers


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('consult', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('when', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='when')),
                ('actor_name', models.CharField(blank=True, max_length=80, verbose_name='name at the time')),
                ('action', models.CharField(max_length=40, verbose_name='action')),
                ('target_type', models.CharField(blank=True, max_length=60, verbose_name='kind of target')),
                ('target_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='target id')),
                ('target_label', models.CharField(blank=True, max_length=200, verbose_name='target at the time')),
                ('target_url', models.CharField(blank=True, max_length=300, verbose_name="target's page")),
                ('details', models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder, verbose_name='details')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='who')),
                ('community', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='consult.community', verbose_name='community')),
            ],
            options={
                'verbose_name': 'audit entry',
                'verbose_name_plural': 'audit entries',
                'ordering': ['-when', '-pk'],
                'indexes': [models.Index(fields=['community', '-when'], name='audit_community_when')],
            },
        ),
        migrations.RunPython(triggers.install, triggers.uninstall),
    ]
