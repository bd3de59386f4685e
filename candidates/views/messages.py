"""Messages: the learner's choice of channels, and staff's list of what was sent to a person."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import DetailView, FormView

from academy.validators import is_uk_mobile
from candidates.forms.learner.contact import ContactChannelsForm
from candidates.models import Candidate, ConsentKind
from candidates.selectors.consent import consent_history
from candidates.selectors.contact import contact_choice
from candidates.selectors.messages import candidate_messages
from candidates.services.contact import contact_channels_set
from candidates.views.learner import LearnerRecordMixin
from candidates.views.records import CandidateScopedMixin

CONTACT_KINDS = (ConsentKind.CONTACT_EMAIL, ConsentKind.CONTACT_SMS)


class ContactChannelsView(LearnerRecordMixin, FormView[ContactChannelsForm]):
    """Email, text or both, on one page with the history of those choices."""

    template_name = "candidates/learner/contact_channels_form.html"
    form_class = ContactChannelsForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "has_mobile": is_uk_mobile(self.candidate.phone)}

    def get_initial(self) -> dict[str, Any]:
        return {"channel": contact_choice(self.candidate)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        history = consent_history(self.candidate).filter(kind__in=CONTACT_KINDS)
        return super().get_context_data(candidate=self.candidate, history=history, **kwargs)

    def form_valid(self, form: ContactChannelsForm) -> HttpResponse:
        if contact_channels_set(candidate=self.candidate, actor=self.actor, choice=form.cleaned_data["channel"]):
            messages.success(self.request, "Your choice is saved. We will contact you this way from now on.")
        else:
            messages.info(self.request, "Nothing changed: your choice is the same as before.")
        return redirect("candidates:contact-channels")


class CandidateMessageListView(CandidateScopedMixin, DetailView[Candidate]):
    """Every message sent to the person (kept NOTIFICATIONS_KEEP_DAYS) and whether it arrived."""

    template_name = "candidates/message_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            messages_sent=candidate_messages(self.object), contact_choice=contact_choice(self.object), **kwargs
        )
