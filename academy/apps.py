from django.apps import AppConfig


class AcademyConfig(AppConfig):
    name = "academy"
    verbose_name = "Academy core"

    def ready(self) -> None:
        from allauth.account.signals import authentication_step_completed

        from academy.mfa import password_counts_as_recent

        authentication_step_completed.connect(
            password_counts_as_recent, dispatch_uid="academy.password_counts_as_recent"
        )
