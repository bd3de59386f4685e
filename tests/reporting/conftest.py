from tests.reporting.impact_helpers import figures_known

__all__ = ["figures_known"]
