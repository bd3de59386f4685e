"""Quarterly impact reports: the PDF, its versions and schedule, and what managers write for it."""
