#!/usr/bin/env bash
# Serve the portal with a Celery worker and embedded beat beside it; Ctrl-C stops all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/celery-broker var/celery-control
trap 'kill 0' EXIT INT TERM
.venv/bin/celery -A academy worker -B --loglevel=INFO --concurrency=2 &
.venv/bin/python manage.py runserver 127.0.0.1:8000
