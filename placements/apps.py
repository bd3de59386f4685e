from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "placements"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from placements.models import JobStart
        from placements.receivers import outcome_on_job_start_saved

        post_save.connect(outcome_on_job_start_saved, sender=JobStart, dispatch_uid="placements.outcome_from_job_start")
