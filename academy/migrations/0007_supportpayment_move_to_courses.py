"""SupportPayment moves to courses (academy keeps no keys to feature apps).

State only: the table and its rows stay; courses.0004_supportpayment_from_academy takes the model
over and renames the table.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0006_invitation_email_message"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SupportPayment")],
            database_operations=[],
        ),
    ]
