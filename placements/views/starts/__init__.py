"""Views of interviews, offers, the personnel folder, the ready-to-start checklist and job starts."""
