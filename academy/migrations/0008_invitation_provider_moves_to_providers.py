"""Invitation loses its key to providers: providers.0002 copied each provider user's provider to
ProviderInvitation first. The rule "a provider user's invitation names a provider" is now checked
by providers.invitations when the invitation is made."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0007_supportpayment_move_to_courses"),
        ("providers", "0002_providerinvitation"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="invitation",
            name="academy_invitation_provider_role_has_provider",
        ),
        migrations.RemoveField(
            model_name="invitation",
            name="provider",
        ),
    ]
