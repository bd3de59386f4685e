"""Reporting views, one module per area: figures (the dashboard, the CSV, the people behind a figure) and
reports (the quarterly impact reports and what managers write for them)."""
