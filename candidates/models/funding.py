"""What a funding stream asks of a person: eligibility rules, as data, over the candidate facts funders ask.

academy.FundingStream is the funder's pot; the rules read candidate facts, so they live here, with
the facts. Who counts for which stream is candidates.models.attribution.StreamAttribution.
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models

from academy.models import FundingStream, TimeStampedModel
from candidates.models import choices

# Qualification levels in order; a qualification from outside the UK has no level until someone checks it.
QUALIFICATION_ORDER = [
    choices.Qualification.NONE,
    choices.Qualification.ENTRY,
    choices.Qualification.LEVEL_1,
    choices.Qualification.LEVEL_2,
    choices.Qualification.LEVEL_3,
    choices.Qualification.LEVEL_4,
]
OUTWARD_CODE = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]?|[A-Z]{1,2}")


class EligibilityRule(TimeStampedModel):
    """One condition a person must meet to count for a stream; a stream's rules must all be met."""

    class Field(models.TextChoices):
        AGE = "age", "Age"
        EMPLOYMENT_STATUS = "employment_status", "Employment status"
        BENEFIT_STATUS = "benefit_status", "Benefits"
        MONTHS_OUT_OF_WORK = "months_out_of_work", "Months out of work"
        QUALIFICATION = "highest_qualification", "Highest qualification"
        SALARY = "current_salary", "Current yearly salary"
        POSTCODE_AREA = "postcode_area", "Area of residence (postcode district or area)"

    class Operator(models.TextChoices):
        AT_LEAST = "at_least", "at least"
        AT_MOST = "at_most", "at most"
        BELOW = "below", "below"
        ONE_OF = "one_of", "one of"
        NOT_ONE_OF = "not_one_of", "not one of"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    stream = models.ForeignKey(FundingStream, on_delete=models.CASCADE, related_name="eligibility_rules")
    field = models.CharField(max_length=30, choices=Field.choices)
    operator = models.CharField(max_length=12, choices=Operator.choices)
    # A whole number, an amount in pounds, a qualification code, or codes separated by commas.
    value = models.CharField(max_length=500)

    class Meta:
        ordering = ["stream", "field", "id"]

    def __str__(self) -> str:
        return f"{self.get_field_display()} {self.get_operator_display()} {self.value_display}"

    @property
    def values(self) -> list[str]:
        return [part.strip() for part in self.value.split(",") if part.strip()]

    @property
    def value_display(self) -> str:
        """The value as people read it: labels for codes, pounds for salary."""
        labels = RULE_CHOICES.get(self.field)
        if labels is not None:
            return ", ".join(labels.get(code, code) for code in self.values)
        if self.field == self.Field.SALARY:
            try:
                return f"£{Decimal(self.value):,.2f}"
            except InvalidOperation:
                return self.value
        return self.value


RULE_CHOICES: dict[str, dict[str, str]] = {
    EligibilityRule.Field.EMPLOYMENT_STATUS: dict(choices.EmploymentStatus.choices),
    EligibilityRule.Field.BENEFIT_STATUS: dict(choices.BenefitStatus.choices),
    EligibilityRule.Field.QUALIFICATION: dict(choices.Qualification.choices),
}

# Which comparisons make sense for each fact.
RULE_OPERATORS: dict[str, tuple[str, ...]] = {
    EligibilityRule.Field.AGE: (EligibilityRule.Operator.AT_LEAST, EligibilityRule.Operator.AT_MOST),
    EligibilityRule.Field.MONTHS_OUT_OF_WORK: (EligibilityRule.Operator.AT_LEAST, EligibilityRule.Operator.AT_MOST),
    EligibilityRule.Field.SALARY: (EligibilityRule.Operator.BELOW, EligibilityRule.Operator.AT_MOST),
    EligibilityRule.Field.EMPLOYMENT_STATUS: (EligibilityRule.Operator.ONE_OF, EligibilityRule.Operator.NOT_ONE_OF),
    EligibilityRule.Field.BENEFIT_STATUS: (EligibilityRule.Operator.ONE_OF, EligibilityRule.Operator.NOT_ONE_OF),
    EligibilityRule.Field.QUALIFICATION: (
        EligibilityRule.Operator.AT_MOST,
        EligibilityRule.Operator.ONE_OF,
        EligibilityRule.Operator.NOT_ONE_OF,
    ),
    EligibilityRule.Field.POSTCODE_AREA: (EligibilityRule.Operator.ONE_OF, EligibilityRule.Operator.NOT_ONE_OF),
}


def rule_normalised_value(*, field: str, operator: str, value: str) -> str:
    """The rule's value in its stored form, or a ValidationError saying what to enter (one home for the rule)."""
    Field, Operator = EligibilityRule.Field, EligibilityRule.Operator
    if field not in Field.values:
        raise ValidationError({"field": "Select what the rule checks."})
    if operator not in RULE_OPERATORS[field]:
        allowed = " or ".join(f"'{Operator(op).label}'" for op in RULE_OPERATORS[field])
        raise ValidationError({"operator": f"{Field(field).label} can only be compared with {allowed}."})
    value = value.strip()
    if not value:
        raise ValidationError({"value": "Enter the value the rule compares with."})
    if field in (Field.AGE, Field.MONTHS_OUT_OF_WORK):
        if not value.isdigit() or int(value) > 150 * (12 if field == Field.MONTHS_OUT_OF_WORK else 1):
            raise ValidationError({"value": f"{Field(field).label} must be a whole number, like 19."})
        return str(int(value))
    if field == Field.SALARY:
        try:
            amount = Decimal(value.replace("£", "").replace(",", ""))
        except InvalidOperation:
            amount = Decimal("-1")
        if not amount.is_finite() or amount <= 0 or amount >= Decimal("10000000"):
            raise ValidationError({"value": "Enter the salary threshold in pounds, like 21000."})
        return str(amount.quantize(Decimal("0.01")))
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if field == Field.POSTCODE_AREA:
        codes = [part.upper().replace(" ", "") for part in parts]
        bad = [code for code in codes if not OUTWARD_CODE.fullmatch(code)]
        if bad or not codes:
            raise ValidationError(
                {"value": "Enter postcode districts or areas separated by commas, like NE25, NE26 or NE."}
            )
        return ", ".join(dict.fromkeys(codes))
    known = RULE_CHOICES[field]
    # Codes or their labels, in any case: "unemployed" or "Unemployed and looking for work".
    by_text = {text.casefold(): code for code, label in known.items() for text in (code, label)}
    parts = [by_text.get(part.casefold(), part) for part in parts]
    if operator == Operator.AT_MOST and len(parts) != 1:
        raise ValidationError({"value": "Enter one qualification level to compare with."})
    if operator == Operator.AT_MOST and parts[0] not in QUALIFICATION_ORDER:
        raise ValidationError({"value": "Choose a UK qualification level to compare with."})
    unknown = [part for part in parts if part not in known]
    if unknown:
        raise ValidationError(
            {
                "value": f"Unknown {Field(field).label.lower()}: {', '.join(unknown)}. "
                "Use the codes listed under the box."
            }
        )
    return ", ".join(dict.fromkeys(parts))
