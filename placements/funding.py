"""What placements offers a funding stream's page (found by the funding area through academy.discovery):
the stream's outcome figures: job starts, sustained jobs by its own rule, spend against budget and
cost per job start, each counting distinct people and stating its denominator."""

from __future__ import annotations

from academy.models import FundingStream
from placements.selectors.outcomes import StreamOutcomeFigures, stream_outcome_figures

# A template include that shows the figures; its context is {"figures": stream_figures(stream)}.
STREAM_FIGURES_TEMPLATE = "placements/_stream_outcome_figures.html"


def stream_figures(stream: FundingStream) -> StreamOutcomeFigures:
    """The stream's outcome figures (placements.selectors.outcomes.stream_outcome_figures)."""
    return stream_outcome_figures(stream)
