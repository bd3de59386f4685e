"""Factories for courses: a published course with an open cohort and sessions by default."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from courses.models import Application, Cohort, Course, Enrolment, Session
from tests.factories import CandidateFactory


class CourseFactory(factory.django.DjangoModelFactory[Course]):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Introduction to care {n}")
    summary = "Two weeks of training with a four-day work placement."
    kind = Course.Kind.BITE_SIZE
    length_days = 10
    placement_days = 4
    status = Course.Status.PUBLISHED


class CohortFactory(factory.django.DjangoModelFactory[Cohort]):
    class Meta:
        model = Cohort

    course = factory.SubFactory(CourseFactory)
    name = factory.Sequence(lambda n: f"Leeds cohort {n}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=13))
    capacity = 12
    venue = "Leeds City College, Park Lane"
    town = "Leeds"
    status = Cohort.Status.OPEN


class SessionFactory(factory.django.DjangoModelFactory[Session]):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    date = factory.LazyAttribute(lambda o: o.cohort.start_date)
    start_time = dt.time(9, 30)
    end_time = dt.time(15, 0)
    tutor = "Jo Tutor"


class ApplicationFactory(factory.django.DjangoModelFactory[Application]):
    class Meta:
        model = Application

    cohort = factory.SubFactory(CohortFactory)
    candidate = factory.SubFactory(CandidateFactory)


class EnrolmentFactory(factory.django.DjangoModelFactory[Enrolment]):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    candidate = factory.SubFactory(CandidateFactory)
