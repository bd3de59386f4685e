"""URLs of the courses app. Each area keeps its own section; views live in courses/views/<area>.py."""

from django.urls import path

app_name = "courses"

urlpatterns: list = []

# --- catalogue: courses, questions, cohorts, sessions, course finder, calendar feed ---
# (views/catalogue.py, views/finder.py)
from courses.views import catalogue as catalogue_views  # noqa: E402
from courses.views import finder as finder_views  # noqa: E402
from courses.views import scheduling as scheduling_views  # noqa: E402

urlpatterns += [
    path("courses/", finder_views.CourseFinderView.as_view(), name="finder"),
    path("courses/<uuid:public_id>/", finder_views.CoursePublicView.as_view(), name="course-public"),
    path("cohorts/<uuid:public_id>/calendar.ics", finder_views.CohortCalendarView.as_view(), name="cohort-calendar"),
    path("manage/courses/", catalogue_views.CourseListView.as_view(), name="course-list"),
    path("manage/courses/new/", catalogue_views.CourseCreateView.as_view(), name="course-create"),
    path("manage/courses/<uuid:public_id>/", catalogue_views.CourseDetailView.as_view(), name="course-detail"),
    path("manage/courses/<uuid:public_id>/edit/", catalogue_views.CourseUpdateView.as_view(), name="course-update"),
    path("manage/courses/<uuid:public_id>/delete/", catalogue_views.CourseDeleteView.as_view(), name="course-delete"),
    path(
        "manage/courses/<uuid:public_id>/questions/new/",
        catalogue_views.QuestionCreateView.as_view(),
        name="question-create",
    ),
    path(
        "manage/questions/<uuid:public_id>/edit/", catalogue_views.QuestionUpdateView.as_view(), name="question-update"
    ),
    path(
        "manage/questions/<uuid:public_id>/delete/",
        catalogue_views.QuestionDeleteView.as_view(),
        name="question-delete",
    ),
    path("manage/questions/<uuid:public_id>/move/", catalogue_views.QuestionMoveView.as_view(), name="question-move"),
    path("manage/cohorts/", scheduling_views.CohortListView.as_view(), name="cohort-list"),
    path("manage/cohorts/new/", scheduling_views.CohortCreateView.as_view(), name="cohort-create"),
    path("manage/cohorts/<uuid:public_id>/edit/", scheduling_views.CohortUpdateView.as_view(), name="cohort-update"),
    path("manage/cohorts/<uuid:public_id>/delete/", scheduling_views.CohortDeleteView.as_view(), name="cohort-delete"),
    path("manage/cohorts/<uuid:public_id>/sessions/", scheduling_views.SessionListView.as_view(), name="session-list"),
    path(
        "manage/cohorts/<uuid:public_id>/sessions/new/",
        scheduling_views.SessionCreateView.as_view(),
        name="session-create",
    ),
    path("manage/sessions/<uuid:public_id>/edit/", scheduling_views.SessionUpdateView.as_view(), name="session-update"),
    path(
        "manage/sessions/<uuid:public_id>/delete/", scheduling_views.SessionDeleteView.as_view(), name="session-delete"
    ),
]

# --- applications: apply, review, offers, waiting list (views/applications.py) ---
from courses.views import applications as application_views  # noqa: E402

urlpatterns += [
    path(
        "cohorts/<uuid:public_id>/apply/", application_views.ApplicationCreateView.as_view(), name="application-create"
    ),
    path(
        "cohorts/<uuid:public_id>/apply/before-you-apply/",
        application_views.ApplicationProfileView.as_view(),
        name="application-profile",
    ),
    path(
        "cohorts/<uuid:public_id>/apply/check/",
        application_views.ApplicationCheckView.as_view(),
        name="application-check",
    ),
    path("me/applications/", application_views.MyApplicationListView.as_view(), name="my-applications"),
    path(
        "me/applications/<uuid:public_id>/respond/",
        application_views.ApplicationRespondView.as_view(),
        name="application-respond",
    ),
    path(
        "manage/cohorts/<uuid:public_id>/applications/",
        application_views.ApplicationListView.as_view(),
        name="application-list",
    ),
    path("manage/applications/", application_views.ApplicationQueueView.as_view(), name="application-queue"),
    path(
        "manage/applications/<uuid:public_id>/",
        application_views.ApplicationDetailView.as_view(),
        name="application-detail",
    ),
    path(
        "manage/applications/<uuid:public_id>/decide/",
        application_views.ApplicationDecideView.as_view(),
        name="application-decide",
    ),
]

# --- delivery: cohort page, attendance register, messages (views/delivery.py, views/attendance.py) ---
from courses.views import attendance as attendance_views  # noqa: E402
from courses.views import delivery as delivery_views  # noqa: E402

urlpatterns += [
    path("manage/cohorts/<uuid:public_id>/", delivery_views.CohortDetailView.as_view(), name="cohort-detail"),
    path("manage/cohorts/<uuid:public_id>/message/", delivery_views.CohortMessageView.as_view(), name="cohort-message"),
    path(
        "manage/sessions/<uuid:public_id>/register/",
        attendance_views.AttendanceRegisterView.as_view(),
        name="attendance-register",
    ),
    path(
        "manage/enrolments/<uuid:public_id>/pause/", delivery_views.EnrolmentPauseView.as_view(), name="enrolment-pause"
    ),
    path(
        "manage/enrolments/<uuid:public_id>/rejoin/",
        delivery_views.EnrolmentRejoinView.as_view(),
        name="enrolment-rejoin",
    ),
]

# --- outcomes: completion, certificates, feedback, questionnaires, support payments ---
# (views/outcomes.py, views/feedback.py, views/payments.py)
from courses.views import feedback as feedback_views  # noqa: E402
from courses.views import outcomes as outcome_views  # noqa: E402
from courses.views import payments as payment_views  # noqa: E402

urlpatterns += [
    path("me/courses/", feedback_views.MyEnrolmentListView.as_view(), name="my-enrolments"),
    path(
        "me/enrolments/<uuid:public_id>/feedback/", feedback_views.FeedbackCreateView.as_view(), name="feedback-create"
    ),
    path(
        "me/enrolments/<uuid:public_id>/questionnaire/<slug:when>/",
        feedback_views.QuestionnaireView.as_view(),
        name="questionnaire",
    ),
    path(
        "manage/cohorts/<uuid:public_id>/outcomes/", outcome_views.CohortOutcomesView.as_view(), name="cohort-outcomes"
    ),
    path(
        "manage/courses/<uuid:public_id>/feedback/", outcome_views.CourseFeedbackView.as_view(), name="course-feedback"
    ),
    path(
        "manage/enrolments/<uuid:public_id>/complete/",
        outcome_views.EnrolmentCompleteView.as_view(),
        name="enrolment-complete",
    ),
    path(
        "manage/enrolments/<uuid:public_id>/certificates/new/",
        outcome_views.CertificateCreateView.as_view(),
        name="certificate-create",
    ),
    path(
        "certificates/<uuid:public_id>/download/",
        outcome_views.CertificateDownloadView.as_view(),
        name="certificate-download",
    ),
    path(
        "manage/certificates/<uuid:public_id>/delete/",
        outcome_views.CertificateDeleteView.as_view(),
        name="certificate-delete",
    ),
    path("manage/cohorts/<uuid:public_id>/payments/", payment_views.PaymentListView.as_view(), name="payment-list"),
    path(
        "manage/cohorts/<uuid:public_id>/payments/new/",
        payment_views.PaymentCreateView.as_view(),
        name="payment-create",
    ),
    path("manage/payments/", payment_views.PaymentApprovalListView.as_view(), name="payment-approvals"),
    path(
        "manage/candidates/<uuid:public_id>/payments/new/",
        payment_views.LearnerPaymentCreateView.as_view(),
        name="payment-create-for-learner",
    ),
    path("manage/payments/<uuid:public_id>/decide/", payment_views.PaymentDecideView.as_view(), name="payment-decide"),
    path("manage/payments/<uuid:public_id>/paid/", payment_views.PaymentPaidView.as_view(), name="payment-paid"),
    path("manage/cohorts/<uuid:public_id>/bursaries/", payment_views.BursaryListView.as_view(), name="bursary-list"),
    path(
        "manage/cohorts/<uuid:public_id>/bursaries/record/",
        payment_views.BursaryRecordView.as_view(),
        name="bursary-record",
    ),
    path(
        "manage/cohorts/<uuid:public_id>/bursaries/confirm/",
        payment_views.BursaryConfirmView.as_view(),
        name="bursary-confirm",
    ),
]
