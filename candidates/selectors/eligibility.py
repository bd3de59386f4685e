"""Which funding streams a person is eligible for, and why not for the others: the one evaluator of the rules.

A stream's rules must all be met. A rule the record cannot answer (no date of birth, no postcode)
makes the stream "unknown" rather than "not eligible", with what is missing, unless another rule
already rules the person out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Prefetch
from django.utils import timezone

from academy.models import FundingStream
from candidates.models import Candidate, EligibilityRule
from candidates.models import choices as candidate_choices
from candidates.models.funding import QUALIFICATION_ORDER, RULE_CHOICES

Field, Operator = EligibilityRule.Field, EligibilityRule.Operator

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
ELIGIBLE, NOT_ELIGIBLE = "eligible", "not_eligible"

# Not working: no salary recorded means no salary.
NOT_EARNING = {
    candidate_choices.EmploymentStatus.UNEMPLOYED,
    candidate_choices.EmploymentStatus.INACTIVE,
    candidate_choices.EmploymentStatus.STUDENT,
    candidate_choices.EmploymentStatus.RETIRED,
}


@dataclass(frozen=True)
class RuleResult:
    rule: EligibilityRule
    outcome: str  # MET, NOT_MET or UNKNOWN
    reason: str


@dataclass(frozen=True)
class StreamEligibility:
    stream: FundingStream
    status: str  # ELIGIBLE, NOT_ELIGIBLE or UNKNOWN
    results: list[RuleResult]
    is_open: bool = True  # the stream is open on the day of the verdict

    @property
    def reasons(self) -> list[str]:
        """Why not eligible (failed rules first), or what is missing to decide."""
        return [r.reason for r in self.results if r.outcome == NOT_MET] + [
            r.reason for r in self.results if r.outcome == UNKNOWN
        ]

    @property
    def summary(self) -> str:
        if self.status == ELIGIBLE:
            return "eligible" if self.results else "eligible: the stream has no eligibility rules"
        prefix = "not eligible" if self.status == NOT_ELIGIBLE else "unknown"
        return f"{prefix}: {'; '.join(self.reasons)}"


def outward_code(postcode: str) -> str:
    """The district part of a UK postcode ('NE25 8AB' -> 'NE25'); the whole text when it has no inward part."""
    compact = postcode.upper().replace(" ", "")
    return compact[:-3] if len(compact) >= 5 else compact


def _in_area(outward: str, code: str) -> bool:
    """A district matches itself; an area (letters only, like 'NE') matches every district in it."""
    if code.isalpha():
        letters = re.match(r"[A-Z]*", outward)
        return letters is not None and letters.group() == code
    return outward == code


def _label(field: str, code: str) -> str:
    return RULE_CHOICES[field].get(code, code)


def _number(rule: EligibilityRule, actual: int, what: str, unit: str = "") -> RuleResult:
    limit = int(rule.value)
    if rule.operator == Operator.AT_LEAST:
        ok, need = actual >= limit, f"must be {limit}{unit} or more"
    else:
        ok, need = actual <= limit, f"must be {limit}{unit} or less"
    return RuleResult(rule, MET if ok else NOT_MET, f"{what}, {need}")


def _choice(rule: EligibilityRule, actual: str, what: str) -> RuleResult:
    listed = actual in rule.values
    ok = listed if rule.operator == Operator.ONE_OF else not listed
    allowed = " or ".join(_label(rule.field, code) for code in rule.values)
    need = f"must be {allowed}" if rule.operator == Operator.ONE_OF else f"must not be {allowed}"
    return RuleResult(rule, MET if ok else NOT_MET, f"{what} is {_label(rule.field, actual)}, {need}")


def rule_evaluate(rule: EligibilityRule, candidate: Candidate, *, on: dt.date) -> RuleResult:
    """Whether `candidate` meets one rule on the day `on`, with the reason in words.

    A rule whose stored value cannot be read (written outside the rule form) answers "unknown"
    and says so, rather than failing the page.
    """
    try:
        return _evaluate(rule, candidate, on=on)
    except (ValueError, InvalidOperation, IndexError):
        return RuleResult(
            rule,
            UNKNOWN,
            f"the stream's {rule.get_field_display().lower()} rule cannot be read: a manager should correct it",
        )


def _evaluate(rule: EligibilityRule, candidate: Candidate, *, on: dt.date) -> RuleResult:
    field = rule.field
    if field == Field.AGE:
        age = candidate.age_on(on) if candidate.date_of_birth else None
        if age is None:
            return RuleResult(rule, UNKNOWN, "no date of birth recorded")
        if rule.operator == Operator.AT_LEAST:
            ok, need = age >= int(rule.value), f"must be {rule.value} or over"
        else:
            ok, need = age <= int(rule.value), f"must be {rule.value} or under"
        return RuleResult(rule, MET if ok else NOT_MET, f"aged {age}, {need}")
    if field == Field.MONTHS_OUT_OF_WORK:
        if candidate.months_out_of_work is None:
            return RuleResult(rule, UNKNOWN, "months out of work not recorded")
        months = candidate.months_out_of_work
        return _number(rule, months, f"out of work {months} month{'' if months == 1 else 's'}", " months")
    if field == Field.EMPLOYMENT_STATUS:
        if not candidate.employment_status:
            return RuleResult(rule, UNKNOWN, "no employment status recorded")
        return _choice(rule, candidate.employment_status, "employment status")
    if field == Field.BENEFIT_STATUS:
        if not candidate.benefit_status:
            return RuleResult(rule, UNKNOWN, "benefits not recorded")
        if candidate.benefit_status == candidate_choices.BenefitStatus.PREFER_NOT:
            return RuleResult(rule, UNKNOWN, "they preferred not to say which benefits they receive")
        return _choice(rule, candidate.benefit_status, "benefits")
    if field == Field.QUALIFICATION:
        return _qualification(rule, candidate.highest_qualification)
    if field == Field.SALARY:
        return _salary(rule, candidate)
    return _postcode(rule, candidate.postcode)


def _qualification(rule: EligibilityRule, level: str) -> RuleResult:
    if not level:
        return RuleResult(rule, UNKNOWN, "highest qualification not recorded")
    if rule.operator != Operator.AT_MOST:
        return _choice(rule, level, "highest qualification")
    if level not in QUALIFICATION_ORDER:
        return RuleResult(rule, UNKNOWN, f"highest qualification is {_label(rule.field, level)}: check its UK level")
    ok = QUALIFICATION_ORDER.index(level) <= QUALIFICATION_ORDER.index(rule.value)  # type: ignore[arg-type]
    return RuleResult(
        rule,
        MET if ok else NOT_MET,
        f"highest qualification is {_label(rule.field, level)}, must be {_label(rule.field, rule.value)} or below",
    )


def _salary(rule: EligibilityRule, candidate: Candidate) -> RuleResult:
    salary = candidate.current_salary
    if salary is None and candidate.employment_status in NOT_EARNING:
        salary = Decimal("0.00")
    if salary is None:
        return RuleResult(rule, UNKNOWN, "no current salary recorded")
    limit = Decimal(rule.value)
    if rule.operator == Operator.BELOW:
        ok, need = salary < limit, f"must be below £{limit:,.2f}"
    else:
        ok, need = salary <= limit, f"must be £{limit:,.2f} or less"
    return RuleResult(rule, MET if ok else NOT_MET, f"earns £{salary:,.2f} a year, {need}")


def _postcode(rule: EligibilityRule, postcode: str) -> RuleResult:
    if not postcode.strip():
        return RuleResult(rule, UNKNOWN, "no postcode recorded")
    outward = outward_code(postcode)
    inside = any(_in_area(outward, code) for code in rule.values)
    ok = inside if rule.operator == Operator.ONE_OF else not inside
    places = ", ".join(rule.values)
    need = f"must live in {places}" if rule.operator == Operator.ONE_OF else f"must not live in {places}"
    return RuleResult(rule, MET if ok else NOT_MET, f"lives in {outward}, {need}")


def stream_eligibility(candidate: Candidate, stream: FundingStream, *, on: dt.date | None = None) -> StreamEligibility:
    """One stream's verdict for one person (the stream's rules should be prefetched as `eligibility_rules`)."""
    day = on or timezone.localdate()
    results = [rule_evaluate(rule, candidate, on=day) for rule in stream.eligibility_rules.all()]
    if any(r.outcome == NOT_MET for r in results):
        status = NOT_ELIGIBLE
    elif any(r.outcome == UNKNOWN for r in results):
        status = UNKNOWN
    else:
        status = ELIGIBLE
    return StreamEligibility(stream=stream, status=status, results=results, is_open=stream.is_open_on(day))


def streams_with_rules(streams: Iterable[FundingStream] | None = None) -> list[FundingStream]:
    """Streams (all, newest first, by default) with their rules prefetched: two queries."""
    qs = (
        FundingStream.objects.all() if streams is None else FundingStream.objects.filter(pk__in=[s.pk for s in streams])
    )
    rules = EligibilityRule.objects.order_by("field", "id")
    return list(qs.prefetch_related(Prefetch("eligibility_rules", queryset=rules)))


def candidate_eligibility(
    candidate: Candidate, *, on: dt.date | None = None, streams: Iterable[FundingStream] | None = None
) -> list[StreamEligibility]:
    """Every stream's verdict for the person, eligible streams first; streams open on the day before closed ones."""
    day = on or timezone.localdate()
    verdicts = [stream_eligibility(candidate, stream, on=day) for stream in streams_with_rules(streams)]
    order = {ELIGIBLE: 0, UNKNOWN: 1, NOT_ELIGIBLE: 2}
    return sorted(verdicts, key=lambda v: (not v.is_open, order[v.status], v.stream.name))
