from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = "Candidates"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed

        from candidates.receivers import link_account_on_email_confirmed

        email_confirmed.connect(link_account_on_email_confirmed, dispatch_uid="candidates.link_verified_account")
