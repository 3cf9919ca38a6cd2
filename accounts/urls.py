"""Pages of account holding (namespace ``accounts``). Mounted under ``/registration/``, where they were before
they moved out of registration (ADR 0026), so their addresses did not change."""

from django.urls import path

from accounts.views import claims, credit_code, signup

app_name = "accounts"

urlpatterns = [
    path("signup/", signup.SignupView.as_view(), name="signup"),
    path("organisation/credit-code/", credit_code.CreditCodeView.as_view(), name="credit-code"),
    path("claims/", claims.ClaimsView.as_view(), name="claims"),
    path("claims/<int:pk>/", claims.ClaimDetailView.as_view(), name="claim"),
    path("claims/sign-ups/<int:pk>/<str:action>/", claims.ClaimActionView.as_view(), name="claim-action"),
]
