"""Forms of the staff candidate list: the GET filters (saved in the URL) and the bulk actions (POST)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import dateformat

from academy.models import User
from candidates.models import Candidate, DbsCheck
from candidates.models.choices import Barrier, ClosedReason, Source, UnderrepresentedGroup
from candidates.selectors.candidate_list import (
    DBS_NONE,
    DEFAULT_SORT,
    OWNER_ME,
    OWNER_UNASSIGNED,
    SORT_CHOICES,
    STAGE_OPEN,
    CandidateListFilters,
    CandidateListOptions,
)

DATE_ERRORS = {"invalid": "{label} must be a real date, for example 2026-03-27"}
# Only the merge sets "duplicate", with a link to the record it was merged into.
BULK_CLOSED_REASONS = [(value, label) for value, label in ClosedReason.choices if value != ClosedReason.DUPLICATE]


INVALID_CHOICE_MESSAGES = {
    "stage": "Choose a stage from the list",
    "source": "Choose how they heard about us from the list",
    "barrier": "Choose a barrier from the list",
    "dbs_status": "Choose a DBS status from the list",
    "course": "Choose a course from the list",
    "cohort": "Choose a cohort from the list",
}


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={key: message.format(label=label) for key, message in DATE_ERRORS.items()},
    )


@dataclass(frozen=True)
class ActiveFilter:
    """One filter in force, with the query string that removes it (for the "Selected filters" links)."""

    label: str
    value: str
    remove_query: str


class CandidateFilterForm(forms.Form):
    """Parses the list's GET parameters; invalid fields are reported and ignored, valid ones still apply."""

    q = forms.CharField(
        label="Search", required=False, max_length=100, help_text="Name, email address, phone number or postcode"
    )
    stage = forms.ChoiceField(label="Stage", required=False)
    source = forms.ChoiceField(
        label="How they heard about us", required=False, choices=[("", "Any source"), *Source.choices]
    )
    barrier = forms.ChoiceField(label="Barrier", required=False, choices=[("", "Any barrier"), *Barrier.choices])
    owner = forms.ChoiceField(
        label="Staff owner", required=False, error_messages={"invalid_choice": "Choose a staff owner from the list"}
    )
    registered_from = _date_field("Registered from")
    registered_to = _date_field("Registered to")
    dbs_status = forms.ChoiceField(
        label="DBS check",
        required=False,
        choices=[("", "Any or none"), (DBS_NONE, "No DBS check yet"), *DbsCheck.Status.choices],
        help_text="The status of their current check. Using this filter is recorded in the audit log.",
    )
    course = forms.ChoiceField(label="Course", required=False)
    cohort = forms.ChoiceField(label="Cohort", required=False)
    group = forms.MultipleChoiceField(
        label="Underrepresented groups",
        required=False,
        choices=UnderrepresentedGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Shows people in any of the groups you tick. Using this filter is recorded in the audit log.",
    )
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in SORT_CHOICES], widget=forms.HiddenInput)

    # Fields shown as "Selected filters", in this order; `group` is listed one tag per group.
    SUMMARY_FIELDS = (
        "q",
        "stage",
        "source",
        "barrier",
        "owner",
        "registered_from",
        "registered_to",
        "dbs_status",
        "course",
        "cohort",
    )

    def __init__(
        self,
        data: QueryDict,
        *,
        options: CandidateListOptions,
        actor: User,
        can_filter_equality: bool,
        can_filter_dbs: bool = False,
    ) -> None:
        super().__init__(data)
        self.actor = actor
        self.options = options
        self.stages_by_slug = {stage.slug: stage for stage in options.stages}
        self.owners_by_id = {str(user.public_id): user for user in options.owners}
        _choice_field(self, "stage").choices = [
            ("", "Any stage"),
            (STAGE_OPEN, "Any open stage (not closed)"),
            *(
                (stage.slug, stage.name if stage.is_active else f"{stage.name} (no longer used)")
                for stage in options.stages
            ),
        ]
        _choice_field(self, "owner").choices = [
            ("", "Anyone or nobody"),
            (OWNER_ME, "Me"),
            (OWNER_UNASSIGNED, "Nobody (unassigned)"),
            *((key, _owner_label(user)) for key, user in self.owners_by_id.items()),
        ]
        if not can_filter_equality:
            del self.fields["group"]
        if not can_filter_dbs:
            del self.fields["dbs_status"]
        if options.has_courses:
            _choice_field(self, "course").choices = [("", "Any or none"), *options.courses]
            _choice_field(self, "cohort").choices = [("", "Any or none"), *options.cohorts]
            self.fields["course"].help_text = "People with a place on one of its cohorts, now or before"
            self.fields["cohort"].help_text = "People with a place on it, including those who left or finished"
        else:
            del self.fields["course"]
            del self.fields["cohort"]
        for name, message in INVALID_CHOICE_MESSAGES.items():
            if name in self.fields:
                self.fields[name].error_messages["invalid_choice"] = message

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("registered_from"), cleaned.get("registered_to")
        if start and end and end < start:
            self.add_error("registered_to", "Registered to must be the same as or after registered from")
        return cleaned

    def filters(self) -> CandidateListFilters:
        """The valid part of the input as filters (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        owner_key = data.get("owner") or ""
        owner_id: int | None = None
        if owner_key == OWNER_ME:
            owner_id = self.actor.pk
        elif owner_key in self.owners_by_id:
            owner_id = self.owners_by_id[owner_key].pk
        return CandidateListFilters(
            search=" ".join((data.get("q") or "").split()),
            stage_ids=self._stage_ids(data.get("stage") or ""),
            source=data.get("source") or "",
            groups=tuple(data.get("group") or ()),
            barrier=data.get("barrier") or "",
            registered_from=data.get("registered_from"),
            registered_to=data.get("registered_to"),
            owner_id=owner_id,
            unassigned=owner_key == OWNER_UNASSIGNED,
            dbs_status=data.get("dbs_status") or "",
            course=data.get("course") or "",
            cohort=data.get("cohort") or "",
            sort=data.get("sort") or DEFAULT_SORT,
        )

    def _stage_ids(self, key: str) -> tuple[int, ...]:
        if key == STAGE_OPEN:
            return tuple(stage.pk for stage in self.options.stages if not stage.is_closed)
        stage = self.stages_by_slug.get(key)
        return (stage.pk,) if stage else ()

    def active_filters(self) -> list[ActiveFilter]:
        """The filters in force, each with a query string that removes just that one."""
        data = getattr(self, "cleaned_data", {})
        active = []
        for name in self.SUMMARY_FIELDS:
            value = data.get(name)
            if not value or name not in self.fields:
                continue
            remaining = self._params_without_page()
            remaining.pop(name, None)
            active.append(ActiveFilter(str(self.fields[name].label), self._display(name, value), remaining.urlencode()))
        if "group" in self.fields:
            labels = dict(UnderrepresentedGroup.choices)
            for group in data.get("group") or ():
                remaining = self._params_without_page()
                remaining.setlist("group", [g for g in remaining.getlist("group") if g != group])
                active.append(ActiveFilter("Group", labels[group], remaining.urlencode()))
        return active

    def _params_without_page(self) -> QueryDict:
        params = cast(QueryDict, self.data).copy()
        for key in ("page", "select"):
            params.pop(key, None)
        return params

    def _display(self, name: str, value: object) -> str:
        if isinstance(value, date):
            return dateformat.format(value, "j F Y")
        choices = getattr(self.fields[name], "choices", None)
        if choices:
            return str(dict(choices).get(value, value))
        return str(value)


def _owner_label(user: User) -> str:
    return user.get_full_name() if user.is_active else f"{user.get_full_name()} (deactivated)"


class CandidateBulkForm(forms.Form):
    """One of three actions on the candidates ticked on the list page; only the chosen action's fields count."""

    STAGE = "stage"
    OWNER = "owner"
    EMAIL = "email"
    COHORT = "cohort"
    ACTIONS = [
        (STAGE, "Move to a stage"),
        (OWNER, "Assign a staff owner"),
        (EMAIL, "Send an email"),
        (COHORT, "Add to a cohort"),
    ]

    candidates = forms.ModelMultipleChoiceField(
        queryset=Candidate.objects.none(),
        to_field_name="public_id",
        error_messages={
            "required": "Select at least one candidate",
            "invalid_choice": "Some of the selected candidates are no longer in the list: select them again",
            "invalid_pk_value": "Some of the selected candidates are no longer in the list: select them again",
        },
    )
    action = forms.ChoiceField(
        label="What do you want to do with the selected candidates?",
        choices=ACTIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to do with the selected candidates"},
    )
    stage = forms.ChoiceField(label="Stage", required=False)
    reason = forms.ChoiceField(
        label="Reason for closing",
        required=False,
        choices=[("", "Choose a reason"), *BULK_CLOSED_REASONS],
        help_text="Only needed when the stage closes their records.",
    )
    owner = forms.ChoiceField(label="Staff owner", required=False)
    subject = forms.CharField(label="Subject", required=False, max_length=150)
    message = forms.CharField(
        label="Message",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text='The email starts with "Dear" and their first name, and ends with how to stop emails.',
    )
    cohort = forms.ChoiceField(
        label="Cohort",
        required=False,
        help_text="Cohorts taking learners now. Anyone who cannot be added is listed with the reason.",
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    return_to = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(
        self, data: QueryDict | None = None, *, candidates: QuerySet[Candidate], options: CandidateListOptions
    ) -> None:
        super().__init__(data, auto_id="bulk_%s")
        self.fields["candidates"].queryset = candidates  # type: ignore[attr-defined]
        self.stages_by_slug = {stage.slug: stage for stage in options.active_stages}
        self.owners_by_id = {str(user.public_id): user for user in options.active_owners}
        _choice_field(self, "stage").choices = [
            ("", "Choose a stage"),
            *((s.slug, s.name) for s in options.active_stages),
        ]
        _choice_field(self, "owner").choices = [
            ("", "Choose a staff owner"),
            *((key, user.get_full_name()) for key, user in self.owners_by_id.items()),
            (OWNER_UNASSIGNED, "Nobody (remove the owner)"),
        ]
        if options.has_courses:
            _choice_field(self, "cohort").choices = [("", "Choose a cohort"), *options.addable_cohorts]
            self.fields["cohort"].error_messages["invalid_choice"] = "Choose a cohort from the list"
        else:  # without the courses app there is no cohort to add people to
            _choice_field(self, "action").choices = [a for a in self.ACTIONS if a[0] != self.COHORT]
            del self.fields["cohort"]
        self.fields["stage"].error_messages["invalid_choice"] = "Choose a stage from the list"
        self.fields["owner"].error_messages["invalid_choice"] = "Choose a staff owner from the list"
        self.fields["reason"].error_messages["invalid_choice"] = "Choose a reason from the list"

    @property
    def closed_stage_names(self) -> list[str]:
        return [stage.name for stage in self.stages_by_slug.values() if stage.is_closed]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        action = cleaned.get("action")
        if action == self.STAGE:
            stage = self.stages_by_slug.get(cleaned.get("stage") or "")
            if stage is None:
                if "stage" not in self.errors:
                    self.add_error("stage", "Choose the stage to move them to")
            elif stage.is_closed and not cleaned.get("reason"):
                self.add_error("reason", f"Choose why you are moving them to {stage.name}")
            cleaned["stage_obj"] = stage
        elif action == self.OWNER:
            key = cleaned.get("owner") or ""
            if not key and "owner" not in self.errors:
                self.add_error("owner", "Choose who will own the records")
            cleaned["owner_obj"] = self.owners_by_id.get(key)
        elif action == self.EMAIL:
            if not cleaned.get("subject") and "subject" not in self.errors:
                self.add_error("subject", "Enter a subject for the email")
            if not cleaned.get("message") and "message" not in self.errors:
                self.add_error("message", "Enter the message")
        elif action == self.COHORT and not cleaned.get("cohort") and "cohort" not in self.errors:
            self.add_error("cohort", "Choose the cohort to add them to")
        return cleaned

    @property
    def has_selection_errors(self) -> bool:
        """The only problem is what was ticked: send them back to the list to tick again."""
        return "candidates" in self.errors

    def return_query(self) -> str:
        """The list's query string to go back to, re-encoded so only our own parameters come back."""
        raw = self.data.get("return_to", "") if self.data else ""
        params = QueryDict(raw[:2000], mutable=True)
        params.pop("select", None)
        return params.urlencode()
