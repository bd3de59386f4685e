# Production image: gunicorn serving the portal; the same image runs the worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build-static.mjs scripts/
COPY static static
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=academy.settings.base
# WeasyPrint needs Pango; fonts for readable PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 academy
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY academy academy
COPY candidates candidates
COPY providers providers
COPY courses courses
COPY placements placements
COPY reporting reporting
RUN pip install --no-cache-dir -c constraints.txt .
COPY manage.py ./
COPY templates templates
COPY static static
COPY --from=assets /app/static/build static/build
# collectstatic needs settings but no real secrets or database.
RUN DJANGO_SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
    DJANGO_ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --no-input
USER academy
EXPOSE 8000
# Request line and header limits (gunicorn has none for bodies: the proxy caps those, README); slow
# requests end after 60 s.
CMD ["gunicorn", "academy.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", \
     "--limit-request-line", "4094", "--limit-request-fields", "100", "--limit-request-field_size", "8190", \
     "--timeout", "60"]
