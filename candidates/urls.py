"""URLs of the candidates app. Each area keeps its own section; views live in candidates/views/<area>.py."""

from django.urls import path

app_name = "candidates"

urlpatterns: list = []

# --- learner self-service (views/learner.py, views/documents.py, views/privacy.py) ---
from candidates.views import documents as document_views  # noqa: E402
from candidates.views import learner as learner_views  # noqa: E402
from candidates.views import messages as message_views  # noqa: E402
from candidates.views import privacy as privacy_views  # noqa: E402

urlpatterns += [
    path("me/profile/", learner_views.ProfileOverviewView.as_view(), name="profile"),
    path("me/profile/<slug:step>/", learner_views.ProfileStepView.as_view(), name="profile-step"),
    path("me/equality/", learner_views.EqualityView.as_view(), name="equality"),
    path("me/consent/", learner_views.ConsentView.as_view(), name="consent"),
    path("me/contact/", message_views.ContactChannelsView.as_view(), name="contact-channels"),
    path(
        "candidates/<uuid:public_id>/messages/", message_views.CandidateMessageListView.as_view(), name="message-list"
    ),
    path("me/documents/", document_views.DocumentListView.as_view(), name="document-list"),
    path(
        "candidates/<uuid:public_id>/documents/upload/",
        document_views.CandidateDocumentUploadView.as_view(),
        name="candidate-document-upload",
    ),
    path("documents/<uuid:public_id>/", document_views.DocumentDownloadView.as_view(), name="document-download"),
    path("documents/<uuid:public_id>/delete/", document_views.DocumentDeleteView.as_view(), name="document-delete"),
    path("me/data/", privacy_views.MyDataView.as_view(), name="my-data"),
    path("me/data/download.json", privacy_views.MyDataJsonView.as_view(), name="my-data-json"),
    path("me/data/download.html", privacy_views.MyDataHtmlView.as_view(), name="my-data-html"),
    path("me/data/delete/", privacy_views.ErasureRequestView.as_view(), name="erasure-request"),
    path("candidates/data-requests/", privacy_views.DataRequestListView.as_view(), name="datarequest-list"),
    path(
        "candidates/data-requests/<uuid:public_id>/complete/",
        privacy_views.DataRequestCompleteView.as_view(),
        name="datarequest-complete",
    ),
]

# --- staff list, export and bulk actions (views/staff_list.py) ---
from candidates.views import staff_list as list_views  # noqa: E402

urlpatterns += [
    path("candidates/", list_views.CandidateListView.as_view(), name="candidate-list"),
    path("candidates/export.csv", list_views.CandidateExportView.as_view(), name="candidate-export"),
    path("candidates/bulk/", list_views.CandidateBulkView.as_view(), name="candidate-bulk"),
]

# --- import, duplicates and merge (views/imports.py, views/merge.py) ---
from candidates.views import imports as import_views  # noqa: E402
from candidates.views import merge as merge_views  # noqa: E402

urlpatterns += [
    path("candidates/import/", import_views.CandidateImportCreateView.as_view(), name="import-create"),
    path("candidates/import/template.csv", import_views.CandidateImportTemplateView.as_view(), name="import-template"),
    path("candidates/import/<uuid:public_id>/", import_views.CandidateImportDetailView.as_view(), name="import-detail"),
    path(
        "candidates/import/<uuid:public_id>/commit/",
        import_views.CandidateImportCommitView.as_view(),
        name="import-commit",
    ),
    path(
        "candidates/<uuid:public_id>/merge/<uuid:other_id>/",
        merge_views.CandidateMergeView.as_view(),
        name="candidate-merge",
    ),
]

# --- casework: record, stages, contacts, caseload, action plan, selection ---
# (views/records.py, views/casework.py, views/selection.py)
from candidates.views import casework as casework_views  # noqa: E402
from candidates.views import records as record_views  # noqa: E402
from candidates.views import selection as selection_views  # noqa: E402
from candidates.views import stages as stage_views  # noqa: E402

urlpatterns += [
    path("candidates/new/", record_views.CandidateCreateView.as_view(), name="candidate-create"),
    path("candidates/caseload/", casework_views.CaseloadView.as_view(), name="caseload"),
    path("candidates/stages/", stage_views.StageListView.as_view(), name="stage-list"),
    path("candidates/stages/new/", stage_views.StageCreateView.as_view(), name="stage-create"),
    path("candidates/stages/<slug:slug>/edit/", stage_views.StageUpdateView.as_view(), name="stage-update"),
    path("candidates/<uuid:public_id>/", record_views.CandidateDetailView.as_view(), name="candidate-detail"),
    path("candidates/<uuid:public_id>/edit/", record_views.CandidateUpdateView.as_view(), name="candidate-update"),
    path("candidates/<uuid:public_id>/stage/", record_views.CandidateStageView.as_view(), name="candidate-stage"),
    path(
        "candidates/<uuid:public_id>/transfer/",
        record_views.CandidateTransferView.as_view(),
        name="candidate-transfer",
    ),
    path(
        "candidates/<uuid:public_id>/equality/",
        record_views.CandidateEqualityView.as_view(),
        name="candidate-equality",
    ),
    path(
        "candidates/<uuid:public_id>/contacts/new/", casework_views.ContactCreateView.as_view(), name="contact-create"
    ),
    path("contacts/<uuid:public_id>/done/", casework_views.ContactCompleteView.as_view(), name="contact-complete"),
    path("candidates/<uuid:public_id>/action-plan/", casework_views.ActionPlanView.as_view(), name="action-plan"),
    path(
        "candidates/<uuid:public_id>/action-plan/reviews/new/",
        casework_views.ActionReviewCreateView.as_view(),
        name="action-review-create",
    ),
    path(
        "action-items/<uuid:public_id>/done/",
        casework_views.ActionItemCompleteView.as_view(),
        name="action-item-complete",
    ),
    path("selection-events/", selection_views.SelectionListView.as_view(), name="selection-list"),
    path("selection-events/new/", selection_views.SelectionCreateView.as_view(), name="selection-create"),
    path("selection-events/<uuid:public_id>/", selection_views.SelectionDetailView.as_view(), name="selection-detail"),
    path("selection-events/<uuid:public_id>/add/", selection_views.SelectionAddView.as_view(), name="selection-add"),
    path(
        "selection-events/<uuid:public_id>/results/<uuid:candidate_id>/",
        selection_views.SelectionResultView.as_view(),
        name="selection-result",
    ),
]

# --- DBS records (views/dbs.py, dbs_update_service.py, dbs_sharing.py, dbs_learner.py, dbs_dashboard.py) ---
from candidates.views import dbs as dbs_views  # noqa: E402
from candidates.views import dbs_dashboard as dbs_dashboard_views  # noqa: E402
from candidates.views import dbs_learner as dbs_learner_views  # noqa: E402
from candidates.views import dbs_sharing as dbs_sharing_views  # noqa: E402
from candidates.views import dbs_update_service as dbs_update_service_views  # noqa: E402

urlpatterns += [
    path("candidates/<uuid:public_id>/dbs/new/", dbs_views.DbsCheckCreateView.as_view(), name="dbs-create"),
    path("dbs/", dbs_dashboard_views.DbsDashboardView.as_view(), name="dbs-dashboard"),
    path("dbs/policy/", dbs_dashboard_views.DbsPolicyView.as_view(), name="dbs-policy"),
    path("dbs/<uuid:public_id>/", dbs_views.DbsCheckDetailView.as_view(), name="dbs-detail"),
    path("dbs/<uuid:public_id>/step/", dbs_views.DbsStepView.as_view(), name="dbs-update-step"),
    path(
        "dbs/<uuid:public_id>/update-service/",
        dbs_update_service_views.DbsUpdateServiceView.as_view(),
        name="dbs-update-service",
    ),
    path(
        "dbs/<uuid:public_id>/status-checks/new/",
        dbs_update_service_views.DbsStatusCheckCreateView.as_view(),
        name="dbs-status-check-create",
    ),
    path("dbs/<uuid:public_id>/share/", dbs_sharing_views.DbsShareView.as_view(), name="dbs-share"),
    path(
        "dbs/shares/<uuid:public_id>/revoke/", dbs_sharing_views.DbsShareRevokeView.as_view(), name="dbs-share-revoke"
    ),
    path("provider/dbs/", dbs_sharing_views.DbsSharedListView.as_view(), name="dbs-shared-list"),
    path("me/dbs/", dbs_learner_views.MyDbsView.as_view(), name="dbs-my"),
]

# --- funding streams on the record: eligibility and attribution (views/funding.py) ---
from candidates.views import funding as funding_views  # noqa: E402

urlpatterns += [
    path(
        "candidates/<uuid:public_id>/funding-streams/add/",
        funding_views.StreamAttributeView.as_view(),
        name="stream-attribute",
    ),
    path(
        "candidates/<uuid:public_id>/funding-streams/<uuid:stream_id>/remove/",
        funding_views.StreamAttributionRemoveView.as_view(),
        name="stream-attribution-remove",
    ),
]

# --- outreach events: staff pages, the phone form at the event, public pages (views/outreach.py) ---
from candidates.views import outreach as outreach_views  # noqa: E402

urlpatterns += [
    path("outreach/events/", outreach_views.OutreachListView.as_view(), name="outreach-list"),
    path("outreach/events/new/", outreach_views.OutreachCreateView.as_view(), name="outreach-create"),
    path("outreach/events/<uuid:public_id>/", outreach_views.OutreachDetailView.as_view(), name="outreach-detail"),
    path("outreach/events/<uuid:public_id>/edit/", outreach_views.OutreachUpdateView.as_view(), name="outreach-update"),
    path(
        "outreach/events/<uuid:public_id>/add-people/",
        outreach_views.OutreachStallView.as_view(),
        name="outreach-stall",
    ),
    path("events/", outreach_views.OutreachPublicListView.as_view(), name="outreach-public-list"),
    path(
        "events/<uuid:public_id>/register/",
        outreach_views.OutreachInterestView.as_view(),
        name="outreach-interest",
    ),
]
