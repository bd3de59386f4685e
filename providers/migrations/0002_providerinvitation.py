"""A provider user's invitation keeps its provider here (ProviderInvitation), not on academy's Invitation.

Copies each existing invitation's provider across; academy.0008 then drops its column.
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_invitation_providers(apps, schema_editor):
    Invitation = apps.get_model("academy", "Invitation")
    ProviderInvitation = apps.get_model("providers", "ProviderInvitation")
    db = schema_editor.connection.alias
    rows = Invitation.objects.using(db).filter(provider__isnull=False).values_list("pk", "provider_id")
    ProviderInvitation.objects.using(db).bulk_create(
        [ProviderInvitation(invitation_id=pk, provider_id=provider_id) for pk, provider_id in rows.iterator()],
        batch_size=500,
    )


def copy_invitation_providers_back(apps, schema_editor):
    Invitation = apps.get_model("academy", "Invitation")
    ProviderInvitation = apps.get_model("providers", "ProviderInvitation")
    db = schema_editor.connection.alias
    for link in ProviderInvitation.objects.using(db).iterator():
        Invitation.objects.using(db).filter(pk=link.invitation_id).update(provider_id=link.provider_id)


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0007_supportpayment_move_to_courses"),
        ("providers", "0001_provider_membership"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProviderInvitation",
            fields=[
                (
                    "invitation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="provider_invitation",
                        serialize=False,
                        to="academy.invitation",
                    ),
                ),
                (
                    "provider",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invitation_links",
                        to="providers.provider",
                    ),
                ),
            ],
        ),
        migrations.RunPython(copy_invitation_providers, copy_invitation_providers_back, elidable=False),
    ]
