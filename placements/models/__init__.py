"""The placements app's tables: vacancies, job applications and interviews, the personnel folder and
job starts, work placements and readiness feedback, and the learner's CV."""

from placements.models.alerts import JobAlert, JobAlertVacancy
from placements.models.applications import Interview, InterviewDue, JobApplication, JobApplicationStatusChange
from placements.models.choices import MAX_WEEKLY_HOURS, ContractType, JobRole, PayPeriod, VacancyKind
from placements.models.cv import Cv, CvComment
from placements.models.outcomes import FollowUp, FollowUpReminder, LeavingReason, Outcome
from placements.models.starts import FolderRelease, JobStart, PersonnelFolder, Reference
from placements.models.vacancies import Vacancy, VacancyStatusChange
from placements.models.work import ReadinessFeedback, WorkPlacement, WorkPlacementStatusChange

__all__ = [
    "MAX_WEEKLY_HOURS",
    "ContractType",
    "Cv",
    "CvComment",
    "FolderRelease",
    "FollowUp",
    "FollowUpReminder",
    "Interview",
    "InterviewDue",
    "JobAlert",
    "JobAlertVacancy",
    "JobApplication",
    "JobApplicationStatusChange",
    "JobRole",
    "JobStart",
    "LeavingReason",
    "Outcome",
    "PayPeriod",
    "PersonnelFolder",
    "ReadinessFeedback",
    "Reference",
    "Vacancy",
    "VacancyKind",
    "VacancyStatusChange",
    "WorkPlacement",
    "WorkPlacementStatusChange",
]
