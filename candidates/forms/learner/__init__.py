"""Forms of learner self-service: profile steps, equality and consent, documents and privacy."""

from candidates.forms.learner.fields import DateOfBirthField
from candidates.forms.learner.preferences import ConsentForm, EqualityForm
from candidates.forms.learner.privacy import (
    DataRequestCompleteForm,
    DataRequestFilterForm,
    DocumentUploadForm,
    ErasureRequestForm,
)
from candidates.forms.learner.profile import (
    STEP_FORMS,
    AboutYouForm,
    InterestsForm,
    ProfileStepForm,
    SupportForm,
    WorkForm,
)

__all__ = [
    "STEP_FORMS",
    "AboutYouForm",
    "ConsentForm",
    "DataRequestCompleteForm",
    "DataRequestFilterForm",
    "DateOfBirthField",
    "DocumentUploadForm",
    "EqualityForm",
    "ErasureRequestForm",
    "InterestsForm",
    "ProfileStepForm",
    "SupportForm",
    "WorkForm",
]
