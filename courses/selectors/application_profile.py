"""The profile details an application needs and shares, for the learner's "Before you apply" and
"Check your answers" pages."""

from __future__ import annotations

from dataclasses import dataclass

from candidates.models import Candidate

# Every detail below is asked on the "About you" profile step.
PROFILE_STEP = "about-you"


@dataclass(frozen=True)
class ProfileDetail:
    """One detail of the learner's profile that staff see with an application."""

    field: str
    label: str
    missing_label: str
    value: str
    required: bool

    @property
    def anchor(self) -> str:
        """The id of the detail's input on the profile step page (date parts count from 0)."""
        if self.field == "date_of_birth":
            return "id_date_of_birth_0"
        if self.field == "right_to_work":
            return "id_right_to_work_1"
        return f"id_{self.field}"

    @property
    def is_missing(self) -> bool:
        return self.required and not self.value


def application_profile_details(candidate: Candidate) -> list[ProfileDetail]:
    """The details shared with an application, in the order the profile asks for them."""
    name = " ".join(part for part in (candidate.first_name, candidate.last_name) if part)
    date_of_birth = candidate.date_of_birth.strftime("%-d %B %Y") if candidate.date_of_birth else ""
    return [
        ProfileDetail("first_name", "Name", "Your name", name, required=True),
        ProfileDetail("phone", "Phone number", "Your phone number", candidate.phone, required=True),
        ProfileDetail("postcode", "Postcode", "Your postcode", candidate.postcode, required=True),
        ProfileDetail("date_of_birth", "Date of birth", "Your date of birth", date_of_birth, required=True),
        ProfileDetail(
            "right_to_work",
            "Right to work in the UK",
            "Whether you have the right to work in the UK",
            candidate.get_right_to_work_display() if candidate.right_to_work else "",
            required=True,
        ),
    ]


def application_profile_gaps(candidate: Candidate) -> list[ProfileDetail]:
    """The details an application needs that the learner's profile does not have yet."""
    return [detail for detail in application_profile_details(candidate) if detail.is_missing]
