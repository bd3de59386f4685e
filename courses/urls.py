"""URLs of the courses app. Each area keeps its own section; views live in courses/views/<area>.py."""

from django.urls import path  # noqa: F401

app_name = "courses"

urlpatterns: list = []

# --- catalogue: courses, questions, cohorts, sessions, course finder, calendar feed ---
# (views/catalogue.py, views/finder.py)

# --- applications: apply, review, offers, waiting list (views/applications.py) ---

# --- delivery: cohort page, attendance register, messages (views/delivery.py, views/attendance.py) ---

# --- outcomes: completion, certificates, feedback, questionnaires, support payments ---
# (views/outcomes.py, views/payments.py)
