# Invitations point at the outbox email carrying their current link; it knows when it was sent.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('academy', '0005_outbox_message'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='invitation',
            name='sent_at',
        ),
    ]
