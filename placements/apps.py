from django.apps import AppConfig
from django.db.models.signals import post_save


class PlacementsConfig(AppConfig):
    name = "placements"

    def ready(self) -> None:
        from courses.models import EnrolmentStatusChange
        from placements.receivers import interview_due_on_completion

        post_save.connect(
            interview_due_on_completion,
            sender=EnrolmentStatusChange,
            dispatch_uid="placements.interview_due_on_completion",
        )
