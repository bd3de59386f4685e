"""What managers write for a report: the quarter's narrative, self-assessments and case studies (services)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import Academy, User
from academy.periods import Quarter
from candidates.models import Candidate, ConsentKind
from candidates.services.consent import consent_record
from reporting.impact.selectors import case_studies_in_force
from reporting.models import CaseStudy, MaturityLevel, ReportNarrative, SelfAssessment


@transaction.atomic
def narrative_save(
    *,
    academy: Academy,
    quarter: Quarter,
    actor: User,
    highlights: str,
    sector_challenges: str,
    next_quarter_plans: str,
    case_studies: Iterable[CaseStudy],
) -> ReportNarrative:
    """Write (or rewrite) the academy's narrative for `quarter`; only case studies with consent in force are allowed."""
    chosen = list(case_studies)
    allowed = set(
        case_studies_in_force(CaseStudy.objects.filter(academy=academy, pk__in=[s.pk for s in chosen])).values_list(
            "pk", flat=True
        )
    )
    refused = [s.title for s in chosen if s.pk not in allowed]
    if refused:
        raise ValidationError(
            {"case_studies": f"The learner has not agreed (or no longer agrees) to this story: {', '.join(refused)}."}
        )
    narrative, created = ReportNarrative.objects.select_for_update().get_or_create(
        academy=academy, period_start=quarter.start
    )
    narrative.highlights = highlights.strip()
    narrative.sector_challenges = sector_challenges.strip()
    narrative.next_quarter_plans = next_quarter_plans.strip()
    narrative.updated_by = actor
    narrative.save(update_fields=["highlights", "sector_challenges", "next_quarter_plans", "updated_by", "updated_at"])
    narrative.case_studies.set(chosen)
    audit_log(
        actor=actor,
        action="report_narrative.create" if created else "report_narrative.update",
        obj=narrative,
        data={"quarter": quarter.label, "case_studies": sorted(str(s.public_id) for s in chosen)},
    )
    return narrative


@transaction.atomic
def self_assessment_create(
    *,
    academy: Academy,
    actor: User,
    area: str,
    assessed_on: date,
    level: MaturityLevel,
    target_level: MaturityLevel | None,
    evidence: str,
    actions: str,
) -> SelfAssessment:
    """Record a dated self-assessment of one area; earlier ones stay, so the report shows the change."""
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": "The date of the assessment must be today or in the past"})
    if target_level is not None and target_level.rank < level.rank:
        raise ValidationError({"target_level": "The target level must be the same as the level now, or higher"})
    assessment = SelfAssessment.objects.create(
        academy=academy,
        area=area,
        assessed_on=assessed_on,
        level=level,
        target_level=target_level,
        evidence=evidence.strip(),
        actions=actions.strip(),
        assessed_by=actor,
    )
    audit_log(
        actor=actor,
        action="self_assessment.create",
        obj=assessment,
        data={"area": area, "level": level.name, "on": assessed_on.isoformat()},
    )
    return assessment


@transaction.atomic
def self_assessment_delete(*, assessment: SelfAssessment, actor: User) -> None:
    """Remove a self-assessment recorded by mistake."""
    audit_log(
        actor=actor,
        action="self_assessment.delete",
        obj=assessment,
        data={"area": assessment.area, "level": assessment.level.name, "on": assessment.assessed_on.isoformat()},
    )
    assessment.delete()


def case_study_learner(*, academy: Academy, email: str) -> Candidate:
    """The academy's learner with this email address, for a new case study (a readable error if none or several)."""
    found = list(Candidate.objects.current().filter(academy=academy, email__iexact=email.strip())[:2])
    if not found:
        raise ValidationError({"learner_email": "No learner of this academy has that email address"})
    if len(found) > 1:
        raise ValidationError({"learner_email": "Two records have that email address: merge them first"})
    return found[0]


@transaction.atomic
def case_study_save(
    *,
    academy: Academy,
    actor: User,
    title: str,
    display_name: str,
    story: str,
    candidate: Candidate | None = None,
    study: CaseStudy | None = None,
    consent_given: bool = False,
) -> CaseStudy:
    """Write a new case study about `candidate` (recording their consent, which it needs) or change `study`."""
    if study is None:
        if candidate is None:
            raise ValidationError("Choose the learner the story is about.")
        if not consent_given:
            raise ValidationError(
                {"consent_given": "Confirm the learner agreed to their story being told in the academy's reports"}
            )
        consent_record(candidate=candidate, actor=actor, kind=ConsentKind.CASE_STUDY, granted=True)
        study = CaseStudy(academy=academy, candidate=candidate, written_by=actor)
        action = "case_study.create"
    else:
        action = "case_study.update"
    study.title = title.strip()
    study.display_name = display_name.strip()
    study.story = story.strip()
    study.save()
    audit_log(actor=actor, action=action, obj=study, data={"title": study.title})
    return study


@transaction.atomic
def case_study_consent_withdraw(*, study: CaseStudy, actor: User) -> CaseStudy:
    """Record that the learner withdrew their consent: later reports leave every story about them out."""
    consent_record(candidate=study.candidate, actor=actor, kind=ConsentKind.CASE_STUDY, granted=False)
    return study


@transaction.atomic
def case_study_delete(*, study: CaseStudy, actor: User) -> None:
    """Delete a case study; narratives that chose it no longer show it."""
    audit_log(actor=actor, action="case_study.delete", obj=study, data={"title": study.title})
    study.delete()
