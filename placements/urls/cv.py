"""URLs for the learner's CV, staff's coaching on it, and a provider's download (views/cv.py)."""

from django.urls import URLPattern, path

from placements.views import cv

urlpatterns: list[URLPattern] = [
    path("me/cv/", cv.CvDetailView.as_view(), name="cv-detail"),
    path("me/cv/edit/", cv.CvEditView.as_view(), name="cv-edit"),
    path("me/cv/cv.pdf", cv.CvPdfView.as_view(), name="cv-pdf"),
    path("me/cv/comments/<uuid:public_id>/resolve/", cv.CvCommentResolveView.as_view(), name="cv-comment-resolve"),
    path("manage/candidates/<uuid:public_id>/cv/", cv.CandidateCvView.as_view(), name="candidate-cv"),
    path("manage/candidates/<uuid:public_id>/cv/cv.pdf", cv.CandidateCvPdfView.as_view(), name="candidate-cv-pdf"),
    path(
        "manage/candidates/<uuid:public_id>/cv/comments/",
        cv.CvCommentCreateView.as_view(),
        name="cv-comment-create",
    ),
    path("job-applications/<uuid:public_id>/cv.pdf", cv.ApplicationCvPdfView.as_view(), name="application-cv-pdf"),
]
