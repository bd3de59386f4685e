"""Funding streams: setting them up, their rules, the stream page's figures and the hook for outcomes."""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, FundingStream, User
from candidates.models import EligibilityRule, StreamAttribution
from courses.models import SupportPayment
from courses.services.scheduling import cohort_update
from placements.selectors import funding as funding_selectors
from placements.selectors.funding import StreamSection, last_quarters, stream_list, stream_page
from placements.services.funding import follow_up_weeks_parse, stream_create, stream_update
from tests.courses.factories import CohortFactory, CourseFactory
from tests.courses.factories_outcomes import SupportPaymentFactory
from tests.factories import CandidateFactory
from tests.factories_funding import EligibilityRuleFactory, FundingStreamFactory, StreamAttributionFactory

pytestmark = pytest.mark.django_db

Status = SupportPayment.Status
TODAY = timezone.localdate()


def stream_values(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "name": "Care Academy Core",
        "funder": "Leeds City Council",
        "code": "cac-core",
        "start_date": TODAY - dt.timedelta(days=30),
        "end_date": TODAY + dt.timedelta(days=300),
        "budget": Decimal("12000.00"),
        "target_learners_engaged": 200,
        "target_course_completions": None,
        "target_job_starts": 60,
        "target_sustained_jobs": 40,
        "target_priority_group_learners": None,
        "follow_up_weeks": [4, 13, 26],
        "sustained_after_weeks": 26,
        "notes": "",
    }
    return {**values, **overrides}


def form_data(**overrides: str) -> dict[str, str]:
    start, end = TODAY - dt.timedelta(days=30), TODAY + dt.timedelta(days=300)
    data = {
        "name": "Care Academy Core",
        "funder": "Leeds City Council",
        "code": "CAC-CORE",
        "start_date_0": str(start.day),
        "start_date_1": str(start.month),
        "start_date_2": str(start.year),
        "end_date_0": str(end.day),
        "end_date_1": str(end.month),
        "end_date_2": str(end.year),
        "budget": "£12,000",
        "target_job_starts": "60",
        "sustained_after_weeks": "26",
        "follow_up_weeks": "4, 13, 26, 52",
        "notes": "",
    }
    return {**data, **overrides}


# --- follow-up points ---


@pytest.mark.parametrize(
    ("text", "weeks"),
    [("4, 13, 26, 52", [4, 13, 26, 52]), ("13,26", [13, 26]), (" 26 ", [26]), ("4 13 26", [4, 13, 26])],
)
def test_follow_up_weeks_are_read_as_increasing_whole_weeks(text: str, weeks: list[int]) -> None:
    assert follow_up_weeks_parse(text, sustained_after_weeks=26) == weeks


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the weeks after a job start to follow up at, like 4, 13, 26"),
        ("4, thirteen, 26", "Follow-up weeks must be whole numbers separated by commas, like 4, 13, 26"),
        ("4, -13, 26", "Follow-up weeks must be whole numbers separated by commas, like 4, 13, 26"),
        ("0, 26", "Each follow-up must be between 1 and 156 weeks"),
        ("13, 4, 26", "Put the follow-up weeks in increasing order, each once, like 4, 13, 26"),
        ("4, 13, 13, 26", "Put the follow-up weeks in increasing order, each once, like 4, 13, 26"),
        ("4, 13, 52", "Include the sustained point (26 weeks) in the follow-ups, so people are asked then"),
    ],
)
def test_bad_follow_up_weeks_say_what_to_fix(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        follow_up_weeks_parse(text, sustained_after_weeks=26)
    assert exc.value.message_dict == {"follow_up_weeks": [message]}


# --- setting up and changing a stream ---


def test_a_manager_sets_up_a_stream(manager: User) -> None:
    stream = stream_create(actor=manager, values=stream_values())

    assert stream.code == "CAC-CORE"
    assert stream.follow_up_weeks == [4, 13, 26]
    assert AuditEntry.objects.filter(action="stream.create", object_id=str(stream.pk)).exists()


def test_staff_cannot_set_up_a_stream(staff: User) -> None:
    with pytest.raises(ValidationError, match="Only a manager"):
        stream_create(actor=staff, values=stream_values())
    assert not FundingStream.objects.exists()


def test_names_and_codes_are_unique_ignoring_case(manager: User) -> None:
    FundingStreamFactory.create(name="Care Academy Core", code="CAC-CORE")

    with pytest.raises(ValidationError) as exc:
        stream_create(actor=manager, values=stream_values(name="care academy core"))

    assert exc.value.message_dict == {
        "name": ["There is already a stream called care academy core: choose another name"],
        "code": ["Another stream already has the code CAC-CORE"],
    }


def test_a_stream_ends_after_it_starts(manager: User) -> None:
    with pytest.raises(ValidationError) as exc:
        stream_create(actor=manager, values=stream_values(end_date=TODAY - dt.timedelta(days=31)))
    assert exc.value.message_dict == {"end_date": ["The end date must be the same as or after the start date"]}


def test_changing_a_stream_audits_what_changed(manager: User) -> None:
    stream = FundingStreamFactory.create(budget=Decimal("100.00"))
    values = {name: getattr(stream, name) for name in ("name", "funder", "code", "start_date", "end_date")}

    stream_update(stream=stream, actor=manager, values={**values, "budget": Decimal("250.00")})

    stream.refresh_from_db()
    assert stream.budget == Decimal("250.00")
    entry = AuditEntry.objects.get(action="stream.update")
    assert entry.data == {"changed": ["budget"], "budget": {"from": "100.00", "to": "250.00"}}


def test_a_stream_dates_must_still_cover_its_payments(manager: User) -> None:
    stream = FundingStreamFactory.create()
    SupportPaymentFactory.create(funding_stream=stream, status=Status.PAID)

    with pytest.raises(ValidationError) as exc:
        stream_update(stream=stream, actor=manager, values={"start_date": TODAY + dt.timedelta(days=1)})

    assert "the stream's dates must cover them" in exc.value.message_dict["start_date"][0]


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(client_for: Callable[[str], Client]) -> None:
    response = client_for("manager").post(
        reverse("placements:stream-create"), form_data(follow_up_weeks="4, 13, 52", budget="-5")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Include the sustained point (26 weeks) in the follow-ups" in page
    assert "The budget must be £0.00 or more" in page
    assert 'value="Care Academy Core"' in page and 'value="4, 13, 52"' in page
    assert not FundingStream.objects.exists()


def test_the_form_sets_up_a_stream(client_for: Callable[[str], Client]) -> None:
    response = client_for("manager").post(reverse("placements:stream-create"), form_data())

    stream = FundingStream.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("placements:stream-detail", kwargs={"public_id": stream.public_id})
    assert (stream.budget, stream.follow_up_weeks, stream.target_job_starts) == (
        Decimal("12000.00"),
        [4, 13, 26, 52],
        60,
    )


def test_the_edit_form_shows_the_follow_ups_as_typed(client_for: Callable[[str], Client]) -> None:
    stream = FundingStreamFactory.create(follow_up_weeks=[13, 26])

    page = client_for("manager").get(reverse("placements:stream-update", kwargs={"public_id": stream.public_id}))

    assert 'value="13, 26"' in page.content.decode()


# --- rules on the stream page ---


def test_a_manager_adds_a_rule_and_it_is_stored_in_its_normal_form(client_for: Callable[[str], Client]) -> None:
    stream = FundingStreamFactory.create()
    url = reverse("placements:stream-rule-create", kwargs={"public_id": stream.public_id})

    response = client_for("manager").post(url, {"field": "postcode_area", "operator": "one_of", "value": "ls, bd1"})

    assert response.status_code == 302
    rule = EligibilityRule.objects.get()
    assert (rule.stream, rule.value, str(rule)) == (
        stream,
        "LS, BD1",
        "Area of residence (postcode district or area) one of LS, BD1",
    )
    assert AuditEntry.objects.filter(action="stream.rule_add").exists()


def test_a_rule_with_a_bad_value_is_shown_again_with_the_error(client_for: Callable[[str], Client]) -> None:
    stream = FundingStreamFactory.create()
    url = reverse("placements:stream-rule-create", kwargs={"public_id": stream.public_id})

    response = client_for("manager").post(url, {"field": "age", "operator": "one_of", "value": "19"})

    assert response.status_code == 200
    assert "Age can only be compared with &#x27;at least&#x27; or &#x27;at most&#x27;" in response.content.decode()
    assert not EligibilityRule.objects.exists()


def test_a_manager_changes_and_removes_a_rule(client_for: Callable[[str], Client]) -> None:
    rule = EligibilityRuleFactory.create(value="19")
    client = client_for("manager")

    client.post(
        reverse("placements:stream-rule-update", kwargs={"public_id": rule.public_id}),
        {"field": "age", "operator": "at_least", "value": "21"},
    )
    rule.refresh_from_db()
    assert rule.value == "21"

    delete_url = reverse("placements:stream-rule-delete", kwargs={"public_id": rule.public_id})
    assert "Remove the rule" in client.get(delete_url).content.decode()
    assert EligibilityRule.objects.exists()  # asking is not doing
    client.post(delete_url)
    assert not EligibilityRule.objects.exists()
    assert AuditEntry.objects.filter(action="stream.rule_delete").exists()


def test_staff_cannot_change_rules(client_for: Callable[[str], Client]) -> None:
    rule = EligibilityRuleFactory.create(value="19")

    response = client_for("staff").post(
        reverse("placements:stream-rule-update", kwargs={"public_id": rule.public_id}),
        {"field": "age", "operator": "at_least", "value": "21"},
    )

    assert response.status_code == 403
    rule.refresh_from_db()
    assert rule.value == "19"


# --- the stream page's figures ---


def test_the_stream_page_counts_money_and_distinct_people() -> None:
    stream = FundingStreamFactory.create(budget=Decimal("500.00"))
    other = FundingStreamFactory.create()
    ann, bob = CandidateFactory.create(), CandidateFactory.create()
    StreamAttributionFactory.create(stream=stream, candidate=ann)
    StreamAttributionFactory.create(stream=stream, candidate=bob)
    StreamAttributionFactory.create(stream=other, candidate=ann)  # counts for another stream too
    now = timezone.now()
    SupportPaymentFactory.create(
        funding_stream=stream, candidate=ann, amount=Decimal("40.00"), status=Status.PAID, paid_at=now
    )
    SupportPaymentFactory.create(
        funding_stream=stream, candidate=ann, amount=Decimal("10.00"), status=Status.APPROVED, decided_at=now
    )
    SupportPaymentFactory.create(funding_stream=stream, candidate=bob, amount=Decimal("99.00"))  # requested
    SupportPaymentFactory.create(funding_stream=other, candidate=bob, amount=Decimal("70.00"), status=Status.PAID)
    cohort = CohortFactory.create(course=CourseFactory.create(funding_stream=stream))
    CohortFactory.create(course=cohort.course, funding_stream=other)  # charged elsewhere

    page = stream_page(stream)

    assert page.learners == 2
    assert page.learners_with_support == 1
    assert (page.budget.used, page.budget.left, page.budget.requested) == (
        Decimal("50.00"),
        Decimal("450.00"),
        Decimal("99.00"),
    )
    assert page.used_percent == 10
    assert page.quarters[-1].paid == Decimal("40.00") and page.quarters[-1].approved == Decimal("10.00")
    assert [(k.label, k.paid, k.approved, k.people) for k in page.by_kind] == [
        ("Transport", Decimal("40.00"), Decimal("10.00"), 1)
    ]
    assert page.cohorts == [cohort]


def test_the_list_shows_spend_and_people_without_multiplying_them() -> None:
    stream = FundingStreamFactory.create()
    for _ in range(3):
        StreamAttributionFactory.create(stream=stream, candidate=CandidateFactory.create())
    for _ in range(2):
        SupportPaymentFactory.create(funding_stream=stream, amount=Decimal("10.00"), status=Status.PAID)

    [row] = stream_list()

    assert (row.used, row.learners) == (Decimal("20.00"), 3)  # type: ignore[attr-defined]


def test_the_list_filters_open_and_closed_streams() -> None:
    open_stream = FundingStreamFactory.create(name="Open one")
    closed = FundingStreamFactory.create(name="Closed one", end_date=TODAY - dt.timedelta(days=1))

    assert list(stream_list(show="open")) == [open_stream]
    assert {s.name: s.is_open_today for s in stream_list()} == {"Open one": True, "Closed one": False}  # type: ignore[attr-defined]
    assert list(stream_list(show="closed")) == [closed]
    assert list(stream_list(search="closed")) == [closed]


def test_last_four_quarters_end_with_the_current_one() -> None:
    assert last_quarters(dt.date(2026, 12, 5)) == [
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        (dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        (dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    ]


def test_the_page_shows_figures_with_their_denominators(client_for: Callable[[str], Client]) -> None:
    stream = FundingStreamFactory.create(name="Core", budget=Decimal("100.00"))
    StreamAttributionFactory.create(stream=stream, candidate=CandidateFactory.create())
    SupportPaymentFactory.create(funding_stream=stream, amount=Decimal("150.00"), status=Status.PAID)
    EligibilityRuleFactory.create(stream=stream, value="19")

    page = client_for("staff").get(reverse("placements:stream-detail", kwargs={"public_id": stream.public_id}))

    text = page.content.decode()
    assert "<strong>1</strong> person is attributed to this stream (each person counted once" in text
    assert "The stream is over its budget by £50.00" in text
    assert "at least 19" in text
    assert "Add a rule" not in text  # staff see rules, managers change them


def test_other_areas_add_sections_through_the_stream_figures_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = FundingStreamFactory.create()
    seen = []

    def stream_figures(given: FundingStream) -> StreamSection:
        seen.append(given)
        return StreamSection(anchor="extra", title="Extra", template="placements/stream_rule_delete.html")

    offers_section = types.SimpleNamespace(__name__="reporting.funding", stream_figures=stream_figures)
    offers_figures = types.SimpleNamespace(
        __name__="placements.funding",
        stream_figures=lambda given: {"job_starts": 7},
        STREAM_FIGURES_TEMPLATE="placements/_figures.html",
    )
    offers_nothing = types.SimpleNamespace(__name__="courses.funding", stream_figures=lambda given: None)
    monkeypatch.setattr(funding_selectors, "app_modules", lambda name: [offers_nothing, offers_figures, offers_section])

    page = stream_page(stream)

    assert seen == [stream]
    assert [(s.anchor, s.template, s.context) for s in page.sections] == [
        ("placements-figures", "placements/_figures.html", {"figures": {"job_starts": 7}}),
        ("extra", "placements/stream_rule_delete.html", {}),
    ]


STREAM_LIST_QUERIES = 5  # session, user, MFA, count, page of streams with their subqueries
STREAM_DETAIL_QUERIES = 15  # session, user, MFA, stream, budget, spend, by kind, people, rules, cohorts, DBS,
# audit, and the outcomes section placements/funding.py offers (3)
STREAM_LEARNERS_QUERIES = 6  # session, user, MFA, stream, count, page of people


def test_stream_list_query_count_does_not_grow(client_for: Callable[[str], Client], django_assert_num_queries) -> None:
    client = client_for("staff")
    url = reverse("placements:stream-list")
    client.get(url)

    def add(n: int) -> None:
        for _ in range(n):
            stream = FundingStreamFactory.create()
            StreamAttributionFactory.create(stream=stream, candidate=CandidateFactory.create())
            SupportPaymentFactory.create(funding_stream=stream, status=Status.PAID)

    add(2)
    with django_assert_num_queries(STREAM_LIST_QUERIES):
        assert client.get(url).status_code == 200
    add(20)
    with django_assert_num_queries(STREAM_LIST_QUERIES):
        response = client.get(url)
    assert "22 streams" in response.content.decode()


def test_stream_detail_and_learners_query_counts_do_not_grow(
    client_for: Callable[[str], Client], django_assert_num_queries
) -> None:
    stream = FundingStreamFactory.create()
    client = client_for("manager")
    detail = reverse("placements:stream-detail", kwargs={"public_id": stream.public_id})
    learners = reverse("placements:stream-learners", kwargs={"public_id": stream.public_id})
    client.get(detail)

    def add(n: int) -> None:
        for _ in range(n):
            candidate = CandidateFactory.create()
            StreamAttributionFactory.create(stream=stream, candidate=candidate)
            SupportPaymentFactory.create(funding_stream=stream, candidate=candidate, status=Status.PAID)
            EligibilityRuleFactory.create(stream=stream)
            CohortFactory.create(funding_stream=stream)

    add(2)
    with django_assert_num_queries(STREAM_DETAIL_QUERIES):
        assert client.get(detail).status_code == 200
    with django_assert_num_queries(STREAM_LEARNERS_QUERIES):
        assert client.get(learners).status_code == 200
    add(20)
    with django_assert_num_queries(STREAM_DETAIL_QUERIES):
        assert client.get(detail).status_code == 200
    with django_assert_num_queries(STREAM_LEARNERS_QUERIES):
        response = client.get(learners)
    assert "22 people" in response.content.decode()


def test_the_learners_page_searches_by_name(client_for: Callable[[str], Client]) -> None:
    stream = FundingStreamFactory.create()
    StreamAttributionFactory.create(
        stream=stream, candidate=CandidateFactory.create(first_name="Zara", last_name="Quill")
    )
    StreamAttributionFactory.create(
        stream=stream, candidate=CandidateFactory.create(first_name="Ann", last_name="Other")
    )

    url = reverse("placements:stream-learners", kwargs={"public_id": stream.public_id})
    page = client_for("staff").get(url, {"q": "quill"}).content.decode()

    assert "Zara Quill" in page and "Ann Other" not in page
    assert StreamAttribution.objects.count() == 2


def test_a_cohort_is_charged_to_its_own_stream(staff: User) -> None:
    stream = FundingStreamFactory.create()
    cohort = CohortFactory.create()

    cohort_update(cohort=cohort, actor=staff, values={"funding_stream": stream})

    cohort.refresh_from_db()
    assert cohort.funding_stream == stream
    assert AuditEntry.objects.get(action="cohort.update").data["changed"] == ["funding_stream"]
    assert stream_page(stream).cohorts == [cohort]


def test_lowering_the_budget_below_the_spend_is_saved_with_a_warning(client_for: Callable[[str], Client]) -> None:
    stream = FundingStreamFactory.create(name="Core", budget=Decimal("500.00"), follow_up_weeks=[13, 26])
    SupportPaymentFactory.create(funding_stream=stream, amount=Decimal("150.00"), status=Status.PAID)
    data = form_data(name="Core", code=stream.code, budget="100", follow_up_weeks="13, 26")
    url = reverse("placements:stream-update", kwargs={"public_id": stream.public_id})

    response = client_for("manager").post(url, data, follow=True)

    stream.refresh_from_db()
    assert stream.budget == Decimal("100.00")
    page = response.content.decode()
    assert "£150.00 is already approved or paid on Core, more than its budget of £100.00" in page
    assert AuditEntry.objects.get(action="stream.update").data["budget"] == {"from": "500.00", "to": "100.00"}
