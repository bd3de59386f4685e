"""Reporting views, one module per area (figures: the dashboard, the CSV and the people behind a figure)."""
