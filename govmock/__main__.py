"""Command line: ``python -m govmock serve [--host 127.0.0.1] [--port 8001]``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from dataclasses import replace

from govmock.config import ConfigError, Settings


def _configure_logging(level: str) -> None:
    """Times in UTC, ISO 8601 with ``Z``, as the portal's processes write them (one time zone in the log)."""
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    formatter.converter = time.gmtime
    formatter.default_time_format = "%Y-%m-%dT%H:%M:%S"
    formatter.default_msec_format = "%s.%03dZ"
    handler = logging.StreamHandler()
    handler.setFormatter(formatter)
    logging.basicConfig(level=level, handlers=[handler])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govmock", description="Mock government departments.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP server (configuration: GOVMOCK_* variables)")
    serve.add_argument("--host", help="listen address (default GOVMOCK_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="listen port (default GOVMOCK_PORT or 8001)")
    args = parser.parse_args(argv)
    _configure_logging(os.environ.get("GOVMOCK_LOG_LEVEL", "INFO").upper())
    try:
        settings = Settings.from_env(os.environ)
    except ConfigError as exc:
        print(f"govmock: configuration error: {exc}", file=sys.stderr)
        return 2
    if args.host:
        settings = replace(settings, host=args.host)
    if args.port is not None:
        settings = replace(settings, port=args.port)
    from govmock.server import GovmockServer  # after logging is configured

    GovmockServer(settings).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
