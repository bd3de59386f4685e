"""Two web nodes and a worker on other processes, sharing PostgreSQL, Redis and an S3-compatible store.

What one machine cannot prove: a learner uploads a document through node A and staff download it through
node B; an export built by the worker downloads through either node; a sign-in on node A is valid on node
B. Run by .ci/run with DATABASE_URL (PostgreSQL) and REDIS_URL set; deselected in `make test`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.test import Client
from django.urls import reverse

from academy.celery import app as celery_app
from academy.models import FileJob, User
from candidates.models import Candidate, Document
from tests.candidates.factories_learner import PDF_BYTES
from tests.conftest import sign_in
from tests.factories import PASSWORD
from tests.s3 import S3Server, free_port, s3_server

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@dataclass(frozen=True)
class Node:
    url: str
    process: subprocess.Popen[str]


def _environment(s3: S3Server) -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        **s3.environment(),
        "DJANGO_SETTINGS_MODULE": "academy.settings.base",
        "DJANGO_DEBUG": "1",
        # Every process reads the test database pytest-django made, and the same Redis.
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def _start_node(env: dict[str, str], stack: ExitStack) -> Node:
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "academy.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    stack.callback(_stop, process)
    node = Node(url=f"http://127.0.0.1:{port}", process=process)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read() if process.stdout else "node exited"
        try:
            if requests.get(node.url + "/health/", timeout=15).status_code == 200:
                return node
        except requests.RequestException:  # not listening yet, or busy starting
            pass
        time.sleep(0.3)
    raise AssertionError(f"node {node.url} did not answer /health/ within 90 s")


@pytest.fixture
def cluster() -> Iterator[tuple[Node, Node, S3Server]]:
    assert connection.vendor == "postgresql" and settings.REDIS_URL, "needs the local PostgreSQL and Redis"
    celery_app.control.purge()
    with ExitStack() as stack, s3_server() as s3:
        env = _environment(s3)
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "academy", "worker", "--pool=solo", "--loglevel=INFO"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stack.callback(_stop, worker)  # type: ignore[arg-type]
        node_a = _start_node(env, stack)
        node_b = _start_node(env, stack)
        yield node_a, node_b, s3


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10)
    assert page.status_code == 200, (url, page.status_code)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def _staff_session(staff: User) -> requests.Session:
    """Staff sign in with a second factor; the session is made as the sign-in would, in the shared database."""
    session = requests.Session()
    cookie = sign_in(Client(), staff).cookies[settings.SESSION_COOKIE_NAME].value
    session.cookies.set(settings.SESSION_COOKIE_NAME, cookie)
    return session


def test_files_and_sign_ins_work_across_nodes(
    cluster: tuple[Node, Node, S3Server], learner: User, candidate: Candidate, staff: User
) -> None:
    node_a, node_b, s3 = cluster
    # The nodes run the real settings, whose password hashers do not include the tests' fast MD5 one.
    hasher = PBKDF2PasswordHasher()
    User.objects.filter(pk=learner.pk).update(password=hasher.encode(PASSWORD, hasher.salt()))

    # A learner signs in on node A; the same session works on node B.
    browser = requests.Session()
    login = node_a.url + reverse("account_login")
    token = _csrf(browser, login)
    signed_in = browser.post(
        login, data={"csrfmiddlewaretoken": token, "login": learner.email, "password": PASSWORD}, timeout=10
    )
    assert signed_in.status_code == 200 and "Sign out" in signed_in.text, re.findall(
        r"<title>(.*?)</title>|govuk-error-message\">(.*?)<", signed_in.text, re.S
    )
    documents = reverse("candidates:document-list")
    assert browser.get(node_b.url + documents, allow_redirects=False, timeout=10).status_code == 200

    # They upload a document through node A ...
    token = _csrf(browser, node_a.url + documents)
    uploaded = browser.post(
        node_a.url + documents,
        data={"csrfmiddlewaretoken": token, "kind": "cv"},
        files={"file": ("My CV.pdf", PDF_BYTES, "application/pdf")},
        timeout=10,
    )
    assert uploaded.status_code == 200 and "has been uploaded" in uploaded.text
    document = Document.objects.get(candidate=candidate)
    assert document.file.name in s3.object_keys()

    # ... and staff download it through node B.
    office = _staff_session(staff)
    download = reverse("candidates:document-download", kwargs={"public_id": document.public_id})
    response = office.get(node_b.url + download, timeout=10)
    assert response.status_code == 200 and response.content == PDF_BYTES

    # Staff ask for an export on node A; the worker builds it into the store; both nodes serve it.
    export = node_a.url + reverse("candidates:candidate-export")
    asked = office.post(export, data={"csrfmiddlewaretoken": _csrf(office, export)}, timeout=10)
    assert asked.status_code == 200 and "Candidate list (CSV)" in asked.text
    job = FileJob.objects.get(requested_by=staff)
    deadline = time.monotonic() + 90
    while job.status != FileJob.Status.DONE and time.monotonic() < deadline:
        assert job.status != FileJob.Status.FAILED, job.error
        time.sleep(0.5)
        job.refresh_from_db()
    assert job.status == FileJob.Status.DONE, "the worker did not build the export within 90 s"
    assert job.file.name in s3.object_keys()
    file_url = reverse("academy:file-job-download", kwargs={"public_id": job.public_id})
    for node in (node_a, node_b):
        got = office.get(node.url + file_url, timeout=10)
        assert got.status_code == 200
        assert candidate.email in got.content.decode("utf-8-sig")
    # The learner's session, valid everywhere, still cannot fetch someone else's export.
    assert browser.get(node_b.url + file_url, timeout=10).status_code == 404
