"""Permission-matrix rows for job applications and referrals.

The learner's own application and referral are to a third provider's vacancies, so provider A's pages
never show the learner persona; provider A's applicant is the walk-in (whom provider A may see), on a
closed vacancy of provider A, so the public job board never shows provider A to provider B.
"""

from __future__ import annotations

from placements.models import JobApplication
from tests.factories import ProviderFactory
from tests.matrix import STAFF_ONLY, Fixture, Objects, Row, expect, no_kwargs, public_id_of
from tests.placements.factories_applications import JobApplicationFactory, PublishedVacancyFactory

LEARNERS_ONLY = expect(403, learner=200, other_learner=200)


def objects(fixture: Fixture) -> Objects:
    provider_a = fixture("provider_a")
    fixture("provider_user")
    fixture("other_provider_user")
    candidate = fixture("candidate")
    fixture("other_candidate")
    third = ProviderFactory.create(name="Matrix Third Care")
    vacancy_a = PublishedVacancyFactory.create(provider=provider_a, title="Matrix vacancy A", status="closed")
    open_vacancy = PublishedVacancyFactory.create(provider=third, title="Matrix open vacancy")
    own = JobApplicationFactory.create(
        candidate=candidate, vacancy=PublishedVacancyFactory.create(provider=third, title="Matrix own vacancy")
    )
    referral = JobApplicationFactory.create(
        candidate=candidate,
        vacancy=PublishedVacancyFactory.create(provider=third, title="Matrix referral vacancy"),
        route=JobApplication.Route.REFERRED,
        status=JobApplication.Status.AWAITING_CONSENT,
        consented_at=None,
        referral_note="Matrix referral note",
    )
    applicant = JobApplicationFactory.create(
        candidate=fixture("walk_in"), vacancy=vacancy_a, supporting_statement="Matrix statement"
    )
    return {
        "jobapps_vacancy_open": open_vacancy,
        "jobapps_own": own,
        "jobapps_referral": referral,
        "jobapps_applicant": applicant,
    }


OWN = expect(404, learner=200, staff=403, manager=403)
PROVIDER_A_ONLY = expect(404, provider_user=200, staff=403, manager=403)

ROWS = {
    # Providers and staff see the published vacancy but do not apply (403); learners get the confirm page.
    "placements:job-apply": Row(public_id_of("jobapps_vacancy_open"), "get", LEARNERS_ONLY),
    "placements:my-job-applications": Row(no_kwargs, "get", LEARNERS_ONLY),
    "placements:my-job-application-detail": Row(public_id_of("jobapps_own"), "get", OWN),
    "placements:job-referral-respond": Row(public_id_of("jobapps_referral"), "get", OWN),
    "placements:job-application-withdraw": Row(public_id_of("jobapps_own"), "get", OWN),
    # Providers see only their own vacancies (404); learners see the published one but cannot refer (403).
    "placements:job-refer": Row(
        public_id_of("jobapps_vacancy_open"),
        "get",
        expect(403, provider_user=404, other_provider_user=404, staff=200, manager=200),
    ),
    "placements:provider-application-list": Row(
        no_kwargs, "get", expect(403, provider_user=200, other_provider_user=200)
    ),
    "placements:provider-application-detail": Row(public_id_of("jobapps_applicant"), "get", PROVIDER_A_ONLY),
    # A successful shortlist redirects back to the application.
    "placements:job-application-shortlist": Row(
        public_id_of("jobapps_applicant"), "post", expect(404, provider_user=302, staff=302, manager=302)
    ),
    "placements:job-application-not-progressed": Row(
        public_id_of("jobapps_applicant"), "get", expect(404, provider_user=200, staff=200, manager=200)
    ),
    "placements:job-application-list": Row(no_kwargs, "get", STAFF_ONLY),
    "placements:job-application-detail": Row(
        public_id_of("jobapps_applicant"), "get", expect(404, staff=200, manager=200, provider_user=403)
    ),
    "placements:interviews-due": Row(no_kwargs, "get", STAFF_ONLY),
}
