import json
import uuid

import pytest

from exchange import registry
from tests.support.department import ScriptedDepartment


@pytest.fixture
def department(settings):
    dept = ScriptedDepartment().start()
    settings.GOVMOCK_URL = dept.url
    settings.EXCHANGE_READ_TIMEOUT = 1.0
    settings.EXCHANGE_CONNECT_TIMEOUT = 1.0
    yield dept
    dept.stop()


@pytest.fixture
def json_receipt():
    """Build a JSON receipt item as govmock sends it (protocol §2)."""

    def make(message, status, *, data=None, info="", receipt_id=None, seq=None):
        raw = {
            "guid": message.message_id,
            "message_id": message.envelope.envelope_id if message.envelope else None,
            "message_type": message.message_type,
            "business_key": message.business_key,
            "status": status,
            "info": info,
            "data": data or {},
            "time": "2026-11-27T10:00:00+08:00",
        }
        return {
            "seq": seq,
            "receipt_id": receipt_id or str(uuid.uuid4()).upper(),
            "department": message.department,
            "message_id": raw["message_id"],
            "node_guid": message.message_id,
            "receipt_type": f"{message.message_type}.receipt",
            "content_type": "application/json",
            "raw": json.dumps(raw, ensure_ascii=False),
            "created_at": "2026-11-27T02:00:00+00:00",
        }

    return make


@pytest.fixture(autouse=True)
def _restore_handlers():
    """Tests register their own receipt handlers; put the apps' real ones back afterwards."""
    saved = {key: list(value) for key, value in registry._bindings.items()}
    yield
    registry._bindings.clear()
    registry._bindings.update(saved)
