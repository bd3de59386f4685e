"""Job alerts: a learner saves a board search and lists their alerts; anyone with the signed link stops one."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import FormView, TemplateView

from academy.permissions import PermissionRequiredMixin
from candidates.models import Candidate
from candidates.selectors.contact import contact_choice
from candidates.services.records import candidate_for_learner
from placements.forms.alerts import JobAlertForm
from placements.models import JobAlert
from placements.permissions import is_learner_user
from placements.selectors.alerts import (
    job_alert_board_query,
    job_alert_from_token,
    job_alert_listed,
    job_alert_unsubscribe_token,
    job_alerts_of,
)
from placements.services.alerts import job_alert_create, job_alert_stop


class LearnerAlertsMixin(PermissionRequiredMixin):
    permission = staticmethod(is_learner_user)

    @cached_property
    def candidate(self) -> Candidate:
        return candidate_for_learner(self.actor)


class JobAlertCreateView(LearnerAlertsMixin, FormView[JobAlertForm]):
    """The board's search (from its query string) with how often, saved as an alert."""

    template_name = "placements/job_alert_form.html"
    form_class = JobAlertForm

    def get_initial(self) -> dict[str, Any]:
        return {key: self.request.GET.get(key, "") for key in ("q", "where", "radius", "job_role", "hours")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(contact_choice=contact_choice(self.candidate), **kwargs)

    def form_valid(self, form: JobAlertForm) -> HttpResponse:
        try:
            job_alert_create(
                candidate=self.candidate,
                actor=self.actor,
                search=form.search(),
                frequency=form.cleaned_data["frequency"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Your job alert is saved. We will tell you about new jobs that match it.")
        return redirect("placements:job-alert-list")


class JobAlertListView(LearnerAlertsMixin, TemplateView):
    template_name = "placements/job_alert_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        alerts = [(alert, job_alert_unsubscribe_token(alert)) for alert in job_alerts_of(self.candidate)]
        return super().get_context_data(alerts=alerts, **kwargs)


class JobAlertUnsubscribeView(View):
    """Public by design: the signed link in each alert message shows the jobs it listed and stops it without
    signing in (a GET only shows the button, so a mail scanner following links stops nothing)."""

    def _alert(self, token: str) -> JobAlert | None:
        return job_alert_from_token(token)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        alert = self._alert(token)
        if alert is None:
            return render(request, "placements/job_alert_unsubscribe_invalid.html", status=410)
        return render(
            request,
            "placements/job_alert_unsubscribe.html",
            {"alert": alert, "vacancies": job_alert_listed(alert), "board_query": job_alert_board_query(alert)},
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        alert = self._alert(token)
        if alert is None:
            return render(request, "placements/job_alert_unsubscribe_invalid.html", status=410)
        actor = request.user if request.user.is_authenticated else None
        job_alert_stop(alert=alert, actor=actor)
        return render(request, "placements/job_alert_unsubscribe.html", {"alert": alert, "stopped": True})
