"""Reporting views, one module per area (reports: the quarterly impact reports and what managers write for them)."""
