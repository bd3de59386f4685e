"""CVs' part of `seed_demo`: a few demo learners' CVs, with staff's coaching comments (one dealt with).

Idempotent: a learner's CV is made once; the comments only with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from academy import demo
from academy.models import User
from candidates.models import Candidate
from placements.models import Cv, CvComment

CVS: dict[str, dict[str, Any]] = {
    "learner@demo.academy": {
        "personal_statement": (
            "I looked after my grandad for two years after his stroke, and found I was good at it: patient, calm "
            "and organised. I want to make caring my job, and I am ready to learn."
        ),
        "work_history": [
            {
                "employer": "Family carer",
                "role": "Carer for my grandfather",
                "from": "2023-02",
                "to": "",
                "summary": "Personal care, medication reminders, appointments.",
            },
            {
                "employer": "Morrisons, Leeds",
                "role": "Customer assistant",
                "from": "2019-06",
                "to": "2023-01",
                "summary": "Tills, stock and helping older customers.",
            },
        ],
        "skills": "Listening and patience\nCooking healthy meals\nFull driving licence",
        "interests": "Walking group volunteer. Learning British Sign Language (level 1).",
        "comments": [
            ("Great statement. Add one line on what you learned on your placement.", False),
            ("Put your caring role first: it is your most relevant experience.", True),
        ],
    },
    "learner2@demo.academy": {
        "personal_statement": (
            "I trained as a nurse in Pakistan and want to start in care while I convert my registration."
        ),
        "work_history": [
            {
                "employer": "Lahore General Hospital",
                "role": "Staff nurse",
                "from": "2016-09",
                "to": "2022-03",
                "summary": "Medical ward, 30 beds.",
            },
        ],
        "skills": "Clinical observations\nUrdu, Punjabi and English",
        "interests": "",
        "comments": [("Say when you can start and which hours suit you.", False)],
    },
    "learner3@demo.academy": {
        "personal_statement": "",
        "work_history": [
            {"employer": "Yorkshire Warehousing", "role": "Picker", "from": "2021-04", "to": "2024-08", "summary": ""},
        ],
        "skills": "Team work",
        "interests": "Football coach for under-10s.",
        "comments": [],
    },
}


@transaction.atomic
def seed(*, now: dt.datetime) -> str:
    coach = User.objects.filter(email=demo.DEMO_STAFF[1][0]).first()
    made = 0
    for email, spec in CVS.items():
        candidate = Candidate.objects.filter(user__email=email).first()
        if candidate is None or Cv.objects.filter(candidate=candidate).exists():
            continue
        cv = Cv.objects.create(
            candidate=candidate,
            personal_statement=spec["personal_statement"],
            work_history=spec["work_history"],
            skills=spec["skills"],
            interests=spec["interests"],
        )
        for days_ago, (body, resolved) in enumerate(spec["comments"], start=2):
            comment = CvComment.objects.create(cv=cv, author=coach, body=body)
            written = now - dt.timedelta(days=days_ago * 3)
            CvComment.objects.filter(pk=comment.pk).update(
                created_at=written, resolved_at=written + dt.timedelta(days=1) if resolved else None
            )
        made += 1
    return f"{made} CVs" if made else f"{Cv.objects.count()} CVs"
