"""URLs of the shell every user sees (namespace ``portal``)."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from portal.intake import views as intake
from portal.views import audit, auth, home, inbox, profile, team

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password/change/", login_required(auth.PasswordChangeView.as_view()), name="password-change"),
    path("password/reset/", auth.PasswordResetView.as_view(), name="password-reset"),
    path("password/reset/sent/", auth.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/complete/", auth.PasswordResetCompleteView.as_view(), name="password-reset-complete"
    ),
    path("language/", profile.set_language, name="set-language"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/open/", inbox.inbox_open, name="inbox-open"),
    path("inbox/read-all/", inbox.inbox_mark_all, name="inbox-mark-all"),
    path("profile/", profile.profile, name="profile"),
    path("profile/tokens/", profile.token_create, name="token-create"),
    path("profile/tokens/<int:pk>/revoke/", profile.token_revoke, name="token-revoke"),
    path("team/", team.TeamView.as_view(), name="team"),
    path("team/<int:pk>/<str:action>/", team.TeamMemberView.as_view(), name="team-member"),
    path("team/invitations/<int:pk>/revoke/", team.InvitationRevokeView.as_view(), name="invitation-revoke"),
    path("invitation/<str:token>/", team.invitation_accept, name="invitation-accept"),
    path("audit/", audit.AuditSearchView.as_view(), name="audit-search"),
    path("imports/<uuid:public_id>/progress/", intake.import_progress, name="import-progress"),
    path("imports/<uuid:public_id>/errors.xlsx", intake.import_error_workbook, name="import-error-workbook"),
    path("imports/templates/<str:kind>.xlsx", intake.import_template, name="import-template"),
]
