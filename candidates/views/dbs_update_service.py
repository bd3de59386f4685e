"""Staff views of the DBS Update Service: the subscription and consent, and recording status checks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import FormView

from candidates.forms.dbs_update_service import StatusCheckForm, UpdateServiceForm
from candidates.forms.records import add_service_errors
from candidates.models import DbsCheck, DbsStatusCheck
from candidates.services.dbs_update_service import dbs_status_check_record, dbs_update_service_save
from candidates.views.dbs import DbsCheckFormMixin


@method_decorator(never_cache, name="dispatch")
class DbsUpdateServiceView(DbsCheckFormMixin, FormView[UpdateServiceForm]):
    template_name = "candidates/dbs/update_service_form.html"
    form_class = UpdateServiceForm

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        return UpdateServiceForm.initial_for(self.object) or {
            "update_service_subscribed_on": today,
            "status_check_consent_on": today,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(is_withdrawn=self.object.status == DbsCheck.Status.WITHDRAWN, **kwargs)

    def form_valid(self, form: UpdateServiceForm) -> HttpResponse:
        try:
            dbs_update_service_save(check=self.object, actor=self.actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "The Update Service subscription has been saved.")
        return self.back_to_check("#update-service")


@method_decorator(never_cache, name="dispatch")
class DbsStatusCheckCreateView(DbsCheckFormMixin, FormView[StatusCheckForm]):
    """Record a status check; the page lists the earlier ones and says why it cannot be done yet."""

    template_name = "candidates/dbs/status_check_form.html"
    form_class = StatusCheckForm

    def get_initial(self) -> dict[str, Any]:
        return {"checked_on": timezone.localdate()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        check = self.object
        if not check.update_service_id:
            blocker = "Record their Update Service subscription before a status check."
        elif not check.status_check_consent:
            blocker = "They have not agreed to status checks. Record their consent on the subscription page first."
        else:
            blocker = ""
        return super().get_context_data(
            blocker=blocker, status_checks=list(check.status_checks.select_related("checked_by")), **kwargs
        )

    def form_valid(self, form: StatusCheckForm) -> HttpResponse:
        try:
            status_check = dbs_status_check_record(check=self.object, actor=self.actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        if status_check.result == DbsStatusCheck.Result.NEW_INFORMATION:
            messages.warning(
                self.request,
                "The status check found new information. Care providers no longer see this outcome: "
                "start a new DBS check.",
            )
        else:
            messages.success(self.request, "The status check has been recorded: no new information.")
        return self.back_to_check("#update-service")
