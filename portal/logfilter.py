"""Adds the request id to every log record; writes every time in UTC."""

import logging
import time

from portal.context import current_request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class UtcFormatter(logging.Formatter):
    """Times in UTC, ISO 8601 with ``Z`` (``2026-12-03T06:10:58.123Z``): the web process, its request lines,
    the worker, beat and govmock all write one time zone, whatever the machine's."""

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"
