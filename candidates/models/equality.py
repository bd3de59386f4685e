"""Equality monitoring: special category data, optional, seen only by academy staff and logged."""

from __future__ import annotations

from django.db import models

from academy.models import TimeStampedModel
from candidates.models import choices
from candidates.models.candidate import Candidate


class EqualityMonitoring(TimeStampedModel):
    """Every answer is optional and every question offers "Prefer not to say"; blank means not answered."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="equality")
    sex = models.CharField(max_length=12, choices=choices.Sex.choices, blank=True)
    gender_same_as_birth = models.CharField(
        "gender identity the same as sex registered at birth", max_length=12, choices=choices.YesNo.choices, blank=True
    )
    ethnicity = models.CharField(max_length=40, choices=choices.Ethnicity.choices, blank=True)
    disability = models.CharField(
        "disabled or long-term health condition", max_length=12, choices=choices.YesNo.choices, blank=True
    )
    religion = models.CharField(max_length=12, choices=choices.Religion.choices, blank=True)
    sexual_orientation = models.CharField(max_length=12, choices=choices.SexualOrientation.choices, blank=True)
    care_leaver = models.CharField(max_length=12, choices=choices.YesNo.choices, blank=True)
    armed_forces = models.CharField("armed forces community", max_length=12, choices=choices.YesNo.choices, blank=True)
    refugee = models.CharField("refugee or asylum seeker", max_length=12, choices=choices.YesNo.choices, blank=True)
    career_returner = models.CharField(max_length=12, choices=choices.YesNo.choices, blank=True)
    carer = models.CharField("unpaid carer", max_length=12, choices=choices.YesNo.choices, blank=True)

    # The questions, in the order they are asked; exports and staff views list them in this order.
    QUESTIONS = (
        "sex",
        "gender_same_as_birth",
        "ethnicity",
        "disability",
        "religion",
        "sexual_orientation",
        "care_leaver",
        "armed_forces",
        "refugee",
        "career_returner",
        "carer",
    )

    class Meta:
        verbose_name = "equality monitoring answers"
        verbose_name_plural = "equality monitoring answers"
        # The staff list's "men" filter (an EXISTS) and its capped count read this in candidate order,
        # without the table, and merge it with the list's (academy, id) index.
        indexes = [models.Index(fields=["sex", "candidate"], name="candidates_equality_sex_idx")]

    def __str__(self) -> str:
        return f"Equality monitoring for candidate {self.candidate_id}"
