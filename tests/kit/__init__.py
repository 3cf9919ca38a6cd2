"""The API test kit (issue 9): declare an endpoint once, inherit its standard tests (``tests.kit.api``), and a
meta-test (``test_coverage.py``) that holds every endpoint under ``/api/v1/`` and every scoped model to it."""
