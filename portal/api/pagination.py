from urllib.parse import urlsplit

from django.conf import settings
from rest_framework.pagination import PageNumberPagination


def _on_site_url(url: str | None) -> str | None:
    """DRF builds page links from the request's Host header; the portal's links stand on SITE_URL."""
    if url is None:
        return None
    parts = urlsplit(url)
    return settings.SITE_URL + parts.path + (f"?{parts.query}" if parts.query else "")


class PortalPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_next_link(self):
        return _on_site_url(super().get_next_link())

    def get_previous_link(self):
        return _on_site_url(super().get_previous_link())
