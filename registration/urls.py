"""Pages of entity filing (namespace ``registration``)."""

from django.urls import path

from registration.views import claims, files, public, settings
from registration.views.enterprise import filings, organisation, steps
from registration.views.reviewer import identities, queue, review

app_name = "registration"

urlpatterns = [
    # Public.
    path("signup/", public.SignupView.as_view(), name="signup"),
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
    path("organisation/credit-code/", organisation.CreditCodeView.as_view(), name="credit-code"),
    # Commerce bureau.
    path("review/", queue.QueueView.as_view(), name="queue"),
    path("identities/", identities.IdentityLookupView.as_view(), name="identities"),
    path("review/<int:pk>/", review.ReviewView.as_view(), name="review"),
    path("review/<int:pk>/<str:action>/", review.ReviewActionView.as_view(), name="review-action"),
    path("claims/", claims.ClaimsView.as_view(), name="claims"),
    path("claims/<int:pk>/", claims.ClaimDetailView.as_view(), name="claim"),
    path("claims/sign-ups/<int:pk>/<str:action>/", claims.ClaimActionView.as_view(), name="claim-action"),
    path("calendar/", settings.CalendarView.as_view(), name="calendar"),
    path("calendar/<str:day>/remove/", settings.CalendarRemoveView.as_view(), name="calendar-remove"),
    path("reasons/", settings.ReasonsView.as_view(), name="reasons"),
    path("reasons/<int:pk>/toggle/", settings.ReasonToggleView.as_view(), name="reason-toggle"),
]
