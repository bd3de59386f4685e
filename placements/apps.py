from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "placements"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from courses.models import EnrolmentStatusChange
        from placements.models import JobStart
        from placements.receivers import interview_due_on_completion, outcome_on_job_start_saved

        post_save.connect(outcome_on_job_start_saved, sender=JobStart, dispatch_uid="placements.outcome_from_job_start")
        post_save.connect(
            interview_due_on_completion,
            sender=EnrolmentStatusChange,
            dispatch_uid="placements.interview_due_on_completion",
        )
