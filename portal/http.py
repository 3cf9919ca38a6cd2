"""What kind of request this is (a leaf module: error pages, middleware and authentication all ask it)."""


def is_api_request(request) -> bool:
    return request.path.startswith("/api/")
