"""Authentication helpers shared by the login page and the token endpoint."""


def axes_username(request, credentials=None) -> str:
    """The username axes counts failures against: trimmed and case-folded, so 'Admin ' and 'admin' share."""
    raw = ""
    if credentials:
        raw = credentials.get("username", "")
    elif request is not None:
        data = getattr(request, "data", None) or request.POST
        raw = data.get("username", "")
    return str(raw).strip().lower()[:150]
