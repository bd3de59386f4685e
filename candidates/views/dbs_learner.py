"""The learner's own DBS progress: status and dates, who can see the outcome, never certificate details."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from candidates.models import ConsentKind
from candidates.selectors.dbs import dbs_checks_for_learner
from candidates.selectors.learner import current_consents
from candidates.views.learner import LearnerRecordMixin


class MyDbsView(LearnerRecordMixin, TemplateView):
    template_name = "candidates/dbs/my_dbs.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        checks = dbs_checks_for_learner(self.candidate)
        return super().get_context_data(
            current=checks[0] if checks else None,
            earlier=checks[1:],
            share_consent=current_consents(self.candidate)[ConsentKind.SHARE_WITH_PROVIDERS],
            **kwargs,
        )
