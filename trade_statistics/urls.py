from django.urls import path  # noqa: F401

app_name = "trade_statistics"

urlpatterns: list = []
