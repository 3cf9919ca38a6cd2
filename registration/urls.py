"""Pages of entity filing (namespace ``registration``)."""

from django.urls import path

from registration.views import files, public, settings
from registration.views.enterprise import filings, steps
from registration.views.reviewer import identities, queue, review

app_name = "registration"

urlpatterns = [
    # Public.
    path("verify/<str:token>/", public.verify, name="verify"),
    path("validate/<str:kind>/", public.validate, name="validate"),
    # Enterprise.
    path("filings/", filings.FilingListView.as_view(), name="filings"),
    path("filings/new/", filings.FilingCreateView.as_view(), name="filing-new"),
    path("filings/<int:pk>/", filings.FilingDetailView.as_view(), name="filing"),
    path("filings/<int:pk>/do/<str:action>/", filings.FilingActionView.as_view(), name="filing-action"),
    path("filings/<int:pk>/edit/attachments/", steps.AttachmentsStepView.as_view(), name="attachments"),
    path(
        "filings/<int:pk>/edit/attachments/<int:attachment_pk>/remove/",
        steps.AttachmentRemoveView.as_view(),
        name="attachment-remove",
    ),
    path("filings/<int:pk>/edit/submit/", steps.SubmitStepView.as_view(), name="submit"),
    path("filings/<int:pk>/edit/<str:slug>/", steps.FilingStepView.as_view(), name="step"),
    path(
        "filings/<int:pk>/attachments/<int:attachment_pk>/",
        files.AttachmentDownloadView.as_view(),
        name="attachment",
    ),
    path("filings/<int:pk>/certificate.pdf", files.CertificateView.as_view(), name="certificate"),
    # Commerce bureau.
    path("review/", queue.QueueView.as_view(), name="queue"),
    path("identities/", identities.IdentityLookupView.as_view(), name="identities"),
    path("review/<int:pk>/", review.ReviewView.as_view(), name="review"),
    path("review/<int:pk>/<str:action>/", review.ReviewActionView.as_view(), name="review-action"),
    path("calendar/", settings.CalendarView.as_view(), name="calendar"),
    path("calendar/<str:day>/remove/", settings.CalendarRemoveView.as_view(), name="calendar-remove"),
    path("reasons/", settings.ReasonsView.as_view(), name="reasons"),
    path("reasons/<int:pk>/toggle/", settings.ReasonToggleView.as_view(), name="reason-toggle"),
]
