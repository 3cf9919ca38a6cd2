"""govmock: the mock government departments the portal talks to.

A standalone WSGI application (served by waitress, run with ``python -m govmock serve``) that plays
customs (CEB XML and JSON), inspection & quarantine, SAFE, the tax bureau and the commerce department
according to ``docs/exchange-protocol.md``. It imports nothing from the portal: it parses and validates
what it receives itself, so a bug in the portal's message builder is caught at the boundary instead of
being mirrored on both sides.
"""

__version__ = "1.0.0"
