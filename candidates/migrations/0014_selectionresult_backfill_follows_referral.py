"""Link results recorded before follows_referral existed to the referral they followed.

The same rule as candidates.services.selection: a person's result at an event follows their
latest referral from an earlier event that no other result follows yet. Results are walked in
event order, so a chain of referrals links step by step.
"""

from django.db import migrations


def link(apps, schema_editor):
    SelectionResult = apps.get_model("candidates", "SelectionResult")
    followed = set(
        SelectionResult.objects.filter(follows_referral__isnull=False).values_list("follows_referral_id", flat=True)
    )
    open_referrals = {}  # candidate id -> (held_on, result id) of their latest referral not yet followed
    results = SelectionResult.objects.order_by("event__held_on", "pk").values_list(
        "pk", "candidate_id", "event__held_on", "outcome", "follows_referral_id"
    )
    for pk, candidate_id, held_on, outcome, follows in results:
        referral = open_referrals.get(candidate_id)
        if follows is None and referral is not None and referral[0] < held_on and referral[1] not in followed:
            SelectionResult.objects.filter(pk=pk).update(follows_referral_id=referral[1])
            followed.add(referral[1])
            open_referrals.pop(candidate_id)
        if outcome == "referred" and pk not in followed:
            open_referrals[candidate_id] = (held_on, pk)


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0013_selectionresult_follows_referral"),
    ]

    operations = [
        migrations.RunPython(link, migrations.RunPython.noop),
    ]
