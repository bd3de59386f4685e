"""Job applications and referrals: the learner applies or answers a referral, staff refer and follow up,
the provider works through its applicants.

Providers see applicants only through placements.permissions.job_applications_visible_to (their own
vacancies, only once the learner agreed to share) and only the ApplicantProfile fields: never equality
data or DBS details.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView
from django.views.generic.detail import SingleObjectMixin

from academy.audit import audit_log
from academy.permissions import PermissionRequiredMixin
from academy.views import PaginatedListMixin
from candidates.forms.records import add_service_errors
from candidates.models import Candidate
from candidates.permissions import candidates_visible_to
from candidates.services.records import candidate_for_learner
from placements.forms.job_applications import (
    CandidateSearchForm,
    JobApplyForm,
    JobReferForm,
    JobReferralRespondForm,
    NotProgressedForm,
    ProviderApplicationFilterForm,
    StaffApplicationFilterForm,
)
from placements.models import InterviewDue, JobApplication, Vacancy
from placements.permissions import (
    can_apply_to_vacancy,
    can_progress_job_application,
    can_refer_to_vacancy,
    can_view_all_job_applications,
    can_view_interviews_due,
    can_view_own_job_applications,
    can_view_provider_applicants,
    job_applications_visible_to,
    vacancies_visible_to,
)
from placements.selectors.job_applications import (
    applicant_profile,
    interviews_due_list,
    interviews_due_people,
    job_application_detail_queryset,
    job_application_list,
    job_application_status_counts,
    my_job_application_list,
    provider_vacancy_choices,
    referral_candidate_search,
)
from placements.selectors.matching import suggested_candidates
from placements.selectors.starts import starts_actions
from placements.services.job_applications import (
    TRANSITIONS,
    candidate_has_cv,
    job_application_move,
    job_application_withdraw,
    job_apply,
    job_refer,
    job_referral_agree,
    job_referral_decline,
    vacancy_application_problem,
)
from providers.permissions import providers_visible_to

Status = JobApplication.Status
# What the learner can expect next, per status (one home for the wording).
NEXT_STEP = {
    Status.AWAITING_CONSENT: "Tell us whether you want to be put forward.",
    Status.APPLIED: "The provider will look at your application. We will email you when it moves on.",
    Status.REFERRED: "The provider will look at your application. We will email you when it moves on.",
    Status.SHORTLISTED: "The provider will invite you to an interview.",
    Status.INTERVIEW: "Go to your interview. The invitation is in your email.",
    Status.OFFERED: "You have been offered the job. Reply to the offer.",
    Status.ACCEPTED: "Get ready to start: the academy will help with the checks.",
    Status.STARTED: "You have started. Well done.",
    Status.NOT_PROGRESSED: "Talk to the academy about other vacancies.",
    Status.WITHDRAWN: "Nothing more to do.",
}


def _decorate(applications: list[JobApplication]) -> list[JobApplication]:
    for application in applications:
        application.next_step = NEXT_STEP.get(Status(application.status), "")  # type: ignore[attr-defined]
        application.can_withdraw = Status.WITHDRAWN in TRANSITIONS.get(application.status, ())  # type: ignore[attr-defined]
    return applications


# --- learner: apply ---------------------------------------------------------------------------------


class JobApplyView(PermissionRequiredMixin, SingleObjectMixin[Vacancy], View):
    """The confirm page: exactly what the provider will see, the sharing choices, a statement; POST applies."""

    permission = staticmethod(can_apply_to_vacancy)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "vacancy"
    object: Vacancy

    def get_queryset(self) -> QuerySet[Vacancy]:
        # Closed and filled vacancies too, so the page says why instead of looking like a broken link;
        # drafts and vacancies waiting for approval stay unknown (404).
        shown = (Vacancy.Status.PUBLISHED, Vacancy.Status.CLOSED, Vacancy.Status.FILLED)
        return (Vacancy.objects.filter(status__in=shown) | vacancies_visible_to(self.actor)).select_related(
            "provider", "ring_fenced_cohort__course"
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        self.candidate = candidate_for_learner(self.actor)
        return self._unavailable() or self._render(self._form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        self.candidate = candidate_for_learner(self.actor)
        unavailable = self._unavailable()
        if unavailable:
            return unavailable
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            application = job_apply(
                vacancy=self.object,
                candidate=self.candidate,
                actor=self.actor,
                supporting_statement=form.cleaned_data["supporting_statement"],
                **form.consent(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(form)
        messages.success(
            request,
            f"Your application for {self.object.title} at {self.object.provider.name} has been sent. "
            "We have emailed you a copy.",
        )
        return redirect("placements:my-job-application-detail", public_id=application.public_id)

    def _form(self, data: Any = None) -> JobApplyForm:
        return JobApplyForm(data, has_cv=candidate_has_cv(self.candidate))

    def _render(self, form: JobApplyForm) -> HttpResponse:
        context = {"vacancy": self.object, "form": form, "profile": applicant_profile(self.candidate)}
        return render(self.request, "placements/job_application_apply.html", context)

    def _unavailable(self) -> HttpResponse | None:
        problem = vacancy_application_problem(vacancy=self.object, candidate=self.candidate)
        if not problem:
            return None
        existing = (
            job_applications_visible_to(self.actor)
            .filter(vacancy=self.object, status__in=(*JobApplication.ACTIVE, Status.STARTED))
            .first()
        )
        context = {"vacancy": self.object, "problem": problem, "existing": existing}
        return render(self.request, "placements/job_application_unavailable.html", context)


# --- learner: my applications -------------------------------------------------------------------


class MyJobApplicationListView(PermissionRequiredMixin, PaginatedListMixin, ListView[JobApplication]):
    permission = staticmethod(can_view_own_job_applications)
    template_name = "placements/job_application_my_list.html"
    context_object_name = "applications"
    paginate_by = 20

    def get_queryset(self) -> QuerySet[JobApplication]:
        return my_job_application_list(job_applications_visible_to(self.actor))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["applications"] = _decorate(list(context["applications"]))
        return context


class MyJobApplicationScopedMixin(PermissionRequiredMixin, SingleObjectMixin[JobApplication]):
    permission = staticmethod(can_view_own_job_applications)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "application"

    def get_queryset(self) -> QuerySet[JobApplication]:
        return job_application_detail_queryset(job_applications_visible_to(self.actor))


class MyJobApplicationDetailView(MyJobApplicationScopedMixin, DetailView[JobApplication]):
    """The learner's application: what they shared, the next step and the history."""

    template_name = "placements/job_application_my_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        _decorate([self.object])
        return context


class JobReferralRespondView(MyJobApplicationScopedMixin, View):
    """GET asks; POST agrees to a staff referral (with the sharing choices) or declines it."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if self.object.status != Status.AWAITING_CONSENT:
            return redirect("placements:my-job-application-detail", public_id=self.object.public_id)
        return self._render(self._form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.object = self.get_object()
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form)
        vacancy = application.vacancy
        try:
            if form.cleaned_data["response"] == "agree":
                job_referral_agree(application=application, actor=self.actor, **form.consent())
                done = f"{vacancy.provider.name} can now see your application for {vacancy.title}."
            else:
                job_referral_decline(application=application, actor=self.actor)
                done = f"You will not be put forward for {vacancy.title}. The provider has not seen anything about you."
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(form)
        messages.success(request, done)
        return redirect("placements:my-job-application-detail", public_id=application.public_id)

    def _form(self, data: Any = None) -> JobReferralRespondForm:
        return JobReferralRespondForm(data, has_cv=candidate_has_cv(self.object.candidate))

    def _render(self, form: JobReferralRespondForm) -> HttpResponse:
        context = {
            "application": self.object,
            "vacancy": self.object.vacancy,
            "form": form,
            "profile": applicant_profile(self.object.candidate),
        }
        return render(self.request, "placements/job_application_respond.html", context)


class JobApplicationWithdrawView(MyJobApplicationScopedMixin, View):
    """GET asks for confirmation; POST withdraws the learner's application."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if Status.WITHDRAWN not in TRANSITIONS.get(self.object.status, ()):
            messages.error(
                request,
                f"The status of this application is “{self.object.get_status_display()}”, so it cannot be withdrawn.",
            )
            return redirect("placements:my-job-application-detail", public_id=self.object.public_id)
        return render(request, "placements/job_application_withdraw.html", {"application": self.object})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.object = self.get_object()
        try:
            job_application_withdraw(application=application, actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Your application for {application.vacancy.title} has been withdrawn.")
        return redirect("placements:my-job-application-detail", public_id=application.public_id)


# --- staff: refer ---------------------------------------------------------------------------------


class JobReferView(PermissionRequiredMixin, SingleObjectMixin[Vacancy], View):
    """Refer a learner to a vacancy: suggested learners and a search, then a note for the chosen one.

    `?candidate=<public id>` picks the learner (from the suggestions, the search, or the learner's record).
    """

    permission = staticmethod(can_refer_to_vacancy)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "vacancy"
    object: Vacancy

    def get_queryset(self) -> QuerySet[Vacancy]:
        return vacancies_visible_to(self.actor).select_related("provider", "ring_fenced_cohort__course")

    def _candidate(self) -> Candidate | None:
        key = self.request.GET.get("candidate") or self.request.POST.get("candidate") or ""
        try:
            return candidates_visible_to(self.actor).current().get(public_id=key) if key else None
        except (Candidate.DoesNotExist, ValidationError):
            return None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        candidate = self._candidate()
        if candidate is not None:
            return self._render_note(candidate, JobReferForm())
        search_form = CandidateSearchForm(request.GET or None)
        query = search_form.cleaned_data["q"].strip() if search_form.is_valid() else ""
        context = {
            "vacancy": self.object,
            "problem": vacancy_application_problem(vacancy=self.object, candidate=None),
            "search_form": search_form,
            "query": query,
            "results": referral_candidate_search(query, candidates=candidates_visible_to(self.actor)) if query else [],
            "suggestions": []
            if query
            else suggested_candidates(vacancy=self.object, candidates=candidates_visible_to(self.actor)),
        }
        return render(request, "placements/job_application_refer_pick.html", context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        candidate = self._candidate()
        if candidate is None:
            messages.error(request, "Choose the learner to refer.")
            return redirect("placements:job-refer", public_id=self.object.public_id)
        form = JobReferForm(request.POST)
        if not form.is_valid():
            return self._render_note(candidate, form)
        try:
            application = job_refer(
                vacancy=self.object, candidate=candidate, actor=self.actor, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render_note(candidate, form)
        messages.success(
            request,
            f"{candidate.full_name} has been emailed to agree to the referral. {self.object.provider.name} "
            "will see it once they agree.",
        )
        return redirect("placements:job-application-detail", public_id=application.public_id)

    def _render_note(self, candidate: Candidate, form: JobReferForm) -> HttpResponse:
        context = {
            "vacancy": self.object,
            "candidate": candidate,
            "form": form,
            "problem": vacancy_application_problem(vacancy=self.object, candidate=candidate),
        }
        return render(self.request, "placements/job_application_refer.html", context)


# --- provider: applicants ---------------------------------------------------------------------------


class ProviderApplicationListView(PermissionRequiredMixin, PaginatedListMixin, ListView[JobApplication]):
    """The provider's applicants: filter by vacancy and status (with counts), search by name."""

    permission = staticmethod(can_view_provider_applicants)
    template_name = "placements/job_application_provider_list.html"
    context_object_name = "applications"

    def get_queryset(self) -> QuerySet[JobApplication]:
        self.scope = job_applications_visible_to(self.actor)
        self.filter_form = ProviderApplicationFilterForm(
            self.request.GET or None, vacancies=provider_vacancy_choices(vacancies_visible_to(self.actor))
        )
        self.filter_form.is_valid()
        filters = self.filter_form.filters()
        # Counts per status for the chosen vacancy and search, whatever the status filter.
        self.counted = job_application_list(
            applications=self.scope, vacancy=filters["vacancy"], search=filters["search"]
        )
        return job_application_list(applications=self.scope, **filters)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filter_form=self.filter_form,
            status_counts=job_application_status_counts(self.counted, JobApplication.VISIBLE_TO_PROVIDER),
            **kwargs,
        )


class ApplicationScopedMixin(PermissionRequiredMixin, SingleObjectMixin[JobApplication]):
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "application"

    def get_queryset(self) -> QuerySet[JobApplication]:
        return job_application_detail_queryset(job_applications_visible_to(self.actor))


def _actions(application: JobApplication) -> dict[str, bool]:
    allowed = TRANSITIONS.get(application.status, ())
    visible = application.status in JobApplication.VISIBLE_TO_PROVIDER
    return {
        "can_shortlist": visible and Status.SHORTLISTED in allowed,
        "can_not_progress": visible and Status.NOT_PROGRESSED in allowed,
    }


class ProviderApplicationDetailView(ApplicationScopedMixin, DetailView[JobApplication]):
    """One applicant as the provider may see them: what the consent allows; every view is audited."""

    permission = staticmethod(can_view_provider_applicants)
    template_name = "placements/job_application_provider_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        audit_log(actor=self.actor, action="job_application.provider_view", obj=self.object)
        context.update(
            profile=applicant_profile(self.object.candidate),
            cv_url=_cv_url(self.object),
            starts_actions=starts_actions(application=self.object, viewer=self.actor),
            **_actions(self.object),
        )
        return context


def _cv_url(application: JobApplication) -> str:
    """The attached CV's PDF (the CV area's `placements:application-cv-pdf`); "" when none is attached."""
    if not application.cv_attached:
        return ""
    return reverse("placements:application-cv-pdf", kwargs={"public_id": application.public_id})


def _back_to_detail(actor: Any, application: JobApplication) -> HttpResponse:
    name = "placements:provider-application-detail" if actor.is_provider_user else "placements:job-application-detail"
    return redirect(name, public_id=application.public_id)


class JobApplicationShortlistView(ApplicationScopedMixin, View):
    """POST: shortlist the applicant (provider users for their own vacancies, or staff)."""

    permission = staticmethod(can_progress_job_application)
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.get_object()
        try:
            job_application_move(application, Status.SHORTLISTED, actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{application.candidate.full_name} has been shortlisted. We have emailed them.")
        return _back_to_detail(self.actor, application)


class JobApplicationNotProgressedView(ApplicationScopedMixin, View):
    """GET asks for the reason; POST records that the application is not going further and emails the learner."""

    permission = staticmethod(can_progress_job_application)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self._render(NotProgressedForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.object = self.get_object()
        form = NotProgressedForm(request.POST)
        if form.is_valid():
            try:
                job_application_move(
                    application,
                    Status.NOT_PROGRESSED,
                    actor=self.actor,
                    reason=form.cleaned_data["reason"],
                    not_progressed_reason=form.cleaned_data["not_progressed_reason"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"{application.candidate.full_name}'s application is not going further. We have emailed them.",
                )
                return _back_to_detail(self.actor, application)
        return self._render(form)

    def _render(self, form: NotProgressedForm) -> HttpResponse:
        back = (
            "placements:provider-application-detail"
            if self.actor.is_provider_user
            else "placements:job-application-detail"
        )
        context = {"application": self.object, "form": form, "back_url_name": back}
        return render(self.request, "placements/job_application_not_progressed.html", context)


# --- staff: every application ------------------------------------------------------------------------


class JobApplicationListView(PermissionRequiredMixin, PaginatedListMixin, ListView[JobApplication]):
    """Every job application and referral: filter by status, provider or vacancy, search by name."""

    permission = staticmethod(can_view_all_job_applications)
    template_name = "placements/job_application_list.html"
    context_object_name = "applications"

    def get_queryset(self) -> QuerySet[JobApplication]:
        scope = job_applications_visible_to(self.actor)
        self.filter_form = StaffApplicationFilterForm(
            self.request.GET or None,
            providers=list(providers_visible_to(self.actor).order_by("name").only("public_id", "name")),
        )
        self.filter_form.is_valid()
        filters = self.filter_form.filters()
        self.counted = job_application_list(
            applications=scope,
            provider=filters["provider"],
            vacancy_public_id=filters["vacancy_id"],
            search=filters["search"],
        )
        return job_application_list(
            applications=scope,
            status=filters["status"],
            provider=filters["provider"],
            vacancy_public_id=filters["vacancy_id"],
            search=filters["search"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filter_form=self.filter_form,
            status_counts=job_application_status_counts(self.counted, tuple(Status.values)),
            **kwargs,
        )


class JobApplicationDetailView(ApplicationScopedMixin, DetailView[JobApplication]):
    """Staff's view of one application: the person, the referral, the consent given, the history."""

    permission = staticmethod(can_view_all_job_applications)
    template_name = "placements/job_application_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_actions(self.object), starts_actions=starts_actions(application=self.object, viewer=self.actor))
        return context


class InterviewsDueView(PermissionRequiredMixin, PaginatedListMixin, ListView[InterviewDue]):
    """Completers owed a guaranteed interview and still without one after GUARANTEED_INTERVIEW_DUE_DAYS."""

    permission = staticmethod(can_view_interviews_due)
    template_name = "placements/interviews_due.html"
    context_object_name = "interviews_due"

    def get_queryset(self) -> QuerySet[InterviewDue]:
        self.today = timezone.localdate()
        self.due = interviews_due_list(today=self.today)
        return self.due

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(
            days=settings.GUARANTEED_INTERVIEW_DUE_DAYS, people=interviews_due_people(self.due), **kwargs
        )
        for due in context["interviews_due"]:
            due.days_waiting = (self.today - due.due_since).days
        return context
