from django.urls import path

from exchange import views

app_name = "exchange"

urlpatterns = [
    path("receipts/", views.receipts_callback, name="receipts-callback"),
    path("ca.pem", views.ca_certificate, name="ca-certificate"),
    path("health/", views.HealthView.as_view(), name="health"),
    path("dead/", views.DeadLetterView.as_view(), name="dead-letters"),
    path("messages/<int:pk>/", views.MessageDetailView.as_view(), name="message"),
    path("messages/<int:pk>/replay/", views.ReplayView.as_view(), name="replay"),
    path("receipts/<int:pk>/raw/", views.ReceiptRawView.as_view(), name="receipt-raw"),
    path("desk/commerce/", views.DepartmentDeskView.as_view(department="commerce"), name="commerce-desk"),
    path("desk/<str:department>/", views.DepartmentDeskView.as_view(), name="desk"),
    path(
        "desk/<str:department>/enterprises/<int:pk>/",
        views.DeskEnterpriseView.as_view(),
        name="desk-enterprise",
    ),
]
