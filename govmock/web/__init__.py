"""govmock's HTTP side: a plain WSGI application (no framework) and its endpoints."""
