"""Learner self-service: the profile in steps, equality monitoring and consent."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView

from academy.permissions import PermissionRequiredMixin
from candidates.forms.learner import STEP_FORMS, ConsentForm, EqualityForm, ProfileStepForm
from candidates.models import Candidate
from candidates.permissions import is_learner
from candidates.selectors import learner as selectors
from candidates.services.consent import consent_record
from candidates.services.equality import equality_save
from candidates.services.profile import (
    PROFILE_STEPS,
    ProfileStep,
    profile_step_get,
    profile_step_next,
    profile_step_previous,
    profile_step_save,
)
from candidates.services.records import candidate_for_learner


class LearnerRecordMixin(PermissionRequiredMixin):
    """Pages about the signed-in learner's own record (created on their first visit)."""

    permission = staticmethod(is_learner)

    @cached_property
    def candidate(self) -> Candidate:
        return candidate_for_learner(self.actor)


class ProfileOverviewView(LearnerRecordMixin, TemplateView):
    template_name = "candidates/learner/profile_overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        steps = selectors.profile_overview(self.candidate)
        next_step = next((s.step for s in steps if not s.is_completed), None)
        return super().get_context_data(
            candidate=self.candidate,
            steps=steps,
            completed_count=sum(s.is_completed for s in steps),
            next_step=next_step,
            **kwargs,
        )


class ProfileStepView(LearnerRecordMixin, FormView[ProfileStepForm]):
    """One step: "Save and continue" checks it is complete; "Save and come back later" saves what is there."""

    template_name = "candidates/learner/profile_step.html"

    @cached_property
    def step(self) -> ProfileStep:
        # Looked up after the permission check, so anonymous visitors are sent to sign in first.
        step = profile_step_get(self.kwargs["step"])
        if step is None:
            raise Http404("No such profile step.")
        return step

    @cached_property
    def return_to(self) -> str:
        """A local path in `?next=` to return to after "Save and continue", or ""."""
        target = self.request.GET.get("next", "")
        if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
            return target
        return ""

    def get_form_class(self) -> type[ProfileStepForm]:
        return STEP_FORMS[self.step.slug]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["candidate"] = self.candidate
        kwargs["complete"] = "later" not in self.request.POST
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        previous = profile_step_previous(self.step.slug)
        slugs = [s.slug for s in PROFILE_STEPS]
        return super().get_context_data(
            step=self.step,
            step_number=slugs.index(self.step.slug) + 1,
            step_count=len(slugs),
            return_to=self.return_to,
            back_url=self.return_to
            or (
                reverse("candidates:profile-step", kwargs={"step": previous.slug})
                if previous
                else reverse("candidates:profile")
            ),
            **kwargs,
        )

    def form_valid(self, form: ProfileStepForm) -> HttpResponse:
        complete = form.is_complete()
        profile_step_save(
            candidate=self.candidate,
            actor=self.actor,
            step=self.step.slug,
            data=form.record_data(),
            complete=complete,
            barriers=form.barrier_support(),
        )
        if not form.complete:
            if complete:
                messages.success(self.request, f"'{self.step.title}' is saved and complete.")
            else:
                messages.success(self.request, f"'{self.step.title}' is saved. You can finish it later.")
            return redirect("candidates:profile")
        return_to = self.return_to
        if return_to:
            # Sent here from elsewhere (such as an application): go back there.
            messages.success(self.request, f"'{self.step.title}' is saved.")
            return redirect(return_to)
        next_step = profile_step_next(self.step.slug)
        if next_step is not None:
            return redirect("candidates:profile-step", step=next_step.slug)
        messages.success(self.request, "Your profile is saved.")
        return redirect("candidates:profile")


class EqualityView(LearnerRecordMixin, FormView[EqualityForm]):
    """The learner's own equality answers: optional, separate from the profile, seen only by academy staff."""

    template_name = "candidates/learner/equality_form.html"
    form_class = EqualityForm

    def get_initial(self) -> dict[str, Any]:
        record = selectors.equality_for(self.candidate)
        return EqualityForm.initial_for(record)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(age_band=selectors.age_band(self.candidate), **kwargs)

    def form_valid(self, form: EqualityForm) -> HttpResponse:
        equality_save(candidate=self.candidate, actor=self.actor, answers=form.answers())
        messages.success(self.request, "Thank you. Your equality monitoring answers are saved.")
        return redirect("candidates:equality")


class ConsentView(LearnerRecordMixin, FormView[ConsentForm]):
    """What the learner agreed to, the history of it, and one form to give or withdraw each consent."""

    template_name = "candidates/learner/consent_form.html"
    form_class = ConsentForm

    @cached_property
    def consents(self) -> dict[Any, Any]:
        return selectors.current_consents(self.candidate)

    def get_initial(self) -> dict[str, Any]:
        return ConsentForm.initial_for(self.consents)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            consents=self.consents, history=selectors.consent_history(self.candidate), **kwargs
        )

    def form_valid(self, form: ConsentForm) -> HttpResponse:
        changed = 0
        for kind, granted, months in form.decisions():
            before = self.consents[kind]
            after = consent_record(
                candidate=self.candidate, actor=self.actor, kind=kind, granted=granted, retention_months=months
            )
            changed += after != before
        if changed:
            messages.success(self.request, "Your choices are saved. The history below shows what changed.")
        else:
            messages.info(self.request, "Nothing changed: your choices are the same as before.")
        return redirect("candidates:consent")
