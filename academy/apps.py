from django.apps import AppConfig


class AcademyConfig(AppConfig):
    name = "academy"
    verbose_name = "Academy core"

    def ready(self) -> None:
        from allauth.account.signals import authentication_step_completed
        from django.contrib.auth.signals import user_logged_in

        from academy.mfa import password_counts_as_recent
        from academy.tenancy import start_session_in_academy

        authentication_step_completed.connect(
            password_counts_as_recent, dispatch_uid="academy.password_counts_as_recent"
        )
        user_logged_in.connect(start_session_in_academy, dispatch_uid="academy.start_session_in_academy")
