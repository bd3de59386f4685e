"""factory_boy factories for the core models."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from academy.models import Academy, Invitation, Role, User
from academy.services import invitation_token_hash
from candidates.models import Candidate, PipelineStage
from candidates.services.records import candidate_create
from providers.models import Provider, ProviderInvitation, ProviderMembership

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.LEARNER
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class ProviderFactory(factory.django.DjangoModelFactory[Provider]):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Care Provider {n}")
    kind = Provider.Kind.HOME_CARE
    postcode = "LS1 1AA"


class ProviderMembershipFactory(factory.django.DjangoModelFactory[ProviderMembership]):
    class Meta:
        model = ProviderMembership

    user = factory.SubFactory(UserFactory, role=Role.PROVIDER)
    provider = factory.SubFactory(ProviderFactory)


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Role.STAFF
    token_hash = factory.Sequence(lambda n: invitation_token_hash(f"token-{n}"))
    invited_by = factory.SubFactory(UserFactory, role=Role.MANAGER)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))

    @factory.post_generation
    def provider(obj: Invitation, create: bool, extracted: Provider | None, **kwargs: object) -> None:
        """`provider=...` makes it a provider user's invitation for that provider (kept by providers)."""
        if create and extracted is not None:
            ProviderInvitation.objects.create(invitation=obj, provider=extracted)


class CandidateFactory(factory.django.DjangoModelFactory[Candidate]):
    """A record in the first pipeline stage, with its first StageChange, as the service makes it."""

    class Meta:
        model = Candidate

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.Sequence(lambda n: f"candidate{n}@example.org")
    phone = factory.Sequence(lambda n: f"07700 9{n:05d}")
    postcode = "LS1 1AA"
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=65)
    source = "jobcentre"
    stage = factory.LazyFunction(lambda: PipelineStage.objects.get(slug="enquiry"))

    @classmethod
    def _create(cls, model_class: type[Candidate], *args: Any, **kwargs: Any) -> Candidate:
        stage = kwargs.pop("stage")
        user = kwargs.pop("user", None)
        return candidate_create(actor=None, data=kwargs, user=user, stage=stage, audit=False)


def first_academy_id() -> int:
    """The installation's first academy, which records made without naming one belong to."""
    return Academy.objects.default().pk
