"""URLs of the candidates app. Each area keeps its own section; views live in candidates/views/<area>.py."""

from django.urls import path  # noqa: F401

app_name = "candidates"

urlpatterns: list = []

# --- learner self-service (views/learner.py, views/documents.py, views/privacy.py) ---

# --- staff list, export and bulk actions (views/staff_list.py) ---

# --- import, duplicates and merge (views/imports.py, views/merge.py) ---

# --- casework: record, stages, contacts, caseload, action plan, selection ---
# (views/records.py, views/casework.py, views/selection.py)
