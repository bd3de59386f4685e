"""Offers: the provider or staff make one; the learner accepts or declines it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from candidates.forms.records import add_service_errors
from placements.forms.starts import OfferForm, OfferRespondForm
from placements.models import JobApplication
from placements.permissions import can_make_offer, can_respond_to_offer
from placements.services.offers import OFFERABLE, offer_accept, offer_decline, offer_make, vacancy_places_held
from placements.views.starts.common import ApplicationObjectMixin

Status = JobApplication.Status


@method_decorator(never_cache, name="dispatch")
class OfferCreateView(ApplicationObjectMixin, View):
    """Offer the vacancy's place with a proposed start date; says why when no offer can be made."""

    permission = staticmethod(can_make_offer)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self._render(OfferForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = OfferForm(request.POST)
        if form.is_valid():
            try:
                offer_make(application=self.object, actor=self.actor, start_date=form.cleaned_data["start_date"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                released = " Their personnel folder is now with you." if self.object.folder_release_consented else ""
                messages.success(
                    request, f"{self.object.candidate.full_name} has been offered the place and emailed.{released}"
                )
                return redirect("placements:checklist", public_id=self.object.public_id)
        return self._render(form)

    def _render(self, form: OfferForm) -> HttpResponse:
        vacancy = self.object.vacancy
        context = self.base_context(
            form=form,
            can_offer=self.object.status in OFFERABLE,
            places_left=max(vacancy.places - vacancy_places_held(vacancy), 0),
        )
        return render(self.request, "placements/offer_form.html", context)


@method_decorator(never_cache, name="dispatch")
class OfferRespondView(ApplicationObjectMixin, View):
    """The learner's answer to an offer: GET shows the offer, POST accepts or declines it."""

    permission = staticmethod(can_respond_to_offer)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self._render(OfferRespondForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.object = self.get_object()
        form = OfferRespondForm(request.POST)
        if not form.is_valid() or application.status != Status.OFFERED:
            return self._render(form)
        vacancy = application.vacancy
        try:
            if form.cleaned_data["response"] == "accept":
                offer_accept(application=application, actor=self.actor)
                done = f"You have accepted the offer of {vacancy.title} at {vacancy.provider.name}. Congratulations!"
            else:
                offer_decline(application=application, actor=self.actor)
                done = f"You have declined the offer of {vacancy.title} at {vacancy.provider.name}."
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(form)
        messages.success(request, done)
        return redirect("placements:offer-respond", public_id=application.public_id)

    def _render(self, form: OfferRespondForm) -> HttpResponse:
        return render(self.request, "placements/offer_respond.html", self.base_context(form=form))
