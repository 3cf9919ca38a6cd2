"""POST /{department}/messages: every refusal of protocol §1, and the acknowledgement."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import serialization

from tests.govmock import cebmsg as ceb
from tests.govmock.harness import json_message
from tests.govmock.pki import TestCA, new_guid

XML = "application/xml; charset=utf-8"


def signed_xml(who, message_type="CEB303Message", nodes=None, **message_kwargs):
    guid, body = ceb.message(message_type, nodes or [ceb.order(ceb.Parcel())], **message_kwargs)
    headers = who.headers(body, message_id=guid, message_type=message_type, content_type=XML)
    return body, headers


def raw_xml(who, text: str, *, message_id=None, message_type="CEB303Message"):
    body = text.encode()
    return body, who.headers(
        body, message_id=message_id or new_guid(), message_type=message_type, content_type=XML
    )


def error_of(response):
    return response.status_code, response.json()["error"]


def test_accepted_message_is_acknowledged(gm, agent):
    spec = ceb.order(ceb.Parcel())
    guid, body = ceb.message("CEB303Message", [spec])
    headers = agent.headers(
        body,
        message_id=guid,
        message_type="CEB303Message",
        content_type=XML,
        mock_now="2025-02-20T10:00:00+08:00",
    )
    response = gm.post("customs", body, headers)
    assert response.status_code == 202
    assert response.json() == {
        "message_id": guid,
        "department": "customs",
        "message_type": "CEB303Message",
        "sender_code": agent.sender_code,
        "status": "RECEIVED",
        "received_at": "2025-02-20T02:00:00.000+00:00",
        "node_count": 1,
        "node_guids": [spec["head"]["guid"]],
        "duplicate": False,
    }


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "application/xml; charset=latin-1"],
)
def test_unsupported_content_type(gm, agent, content_type):
    body, headers = signed_xml(agent)
    headers.pop("Content-Type")
    if content_type:
        headers["Content-Type"] = content_type
    assert error_of(gm.post("customs", body, headers)) == (415, "unsupported_type")


def test_json_type_sent_as_xml_is_unsupported(gm, seller):
    message_id, body = json_message(seller.sender_code, "commerce.ft_operator", [{}])
    headers = seller.headers(
        body, message_id=message_id, message_type="commerce.ft_operator", content_type=XML
    )
    assert error_of(gm.post("commerce", body, headers)) == (415, "unsupported_type")


@pytest.mark.parametrize(
    "header",
    [
        "X-Message-Id",
        "X-Message-Type",
        "X-Sender-Code",
        "X-Signature-Algorithm",
        "X-Signature",
        "X-Certificate",
    ],
)
def test_missing_header(gm, agent, header):
    body, headers = signed_xml(agent)
    headers.pop(header)
    response = gm.post("customs", body, headers)
    assert error_of(response) == (400, "missing_header")
    assert header in response.json()["detail"]


def test_oversized_body_is_refused_before_it_is_read(make_govmock):
    gm = make_govmock(GOVMOCK_MAX_BODY="4096")
    with socket.create_connection(("127.0.0.1", gm.server.port), timeout=5) as sock:
        sock.sendall(
            b"POST /customs/messages HTTP/1.1\r\nHost: govmock\r\nContent-Type: application/xml\r\n"
            b"Content-Length: 4097\r\n\r\n"
        )  # and no body at all: a server waiting for it would time out instead of answering
        assert sock.recv(4096).startswith(b"HTTP/1.1 413")


def test_body_of_exactly_the_limit_is_read(make_govmock, agent):
    gm = make_govmock(GOVMOCK_MAX_BODY="4096")
    body, headers = raw_xml(agent, "<x/>".ljust(4096))
    assert gm.post("customs", body, headers).status_code != 413


def test_application_checks_content_length_before_touching_the_body(gm):
    class Untouchable:
        def read(self, *args):
            raise AssertionError("the body was read")

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/customs/messages",
        "CONTENT_TYPE": "application/xml",
        "CONTENT_LENGTH": str(gm.server.settings.max_body + 1),
        "wsgi.input": Untouchable(),
    }
    started = {}
    body = b"".join(gm.server.app(environ, lambda status, headers: started.update(status=status)))
    assert started["status"].startswith("413")
    assert json.loads(body)["error"] == "too_large"


FORBIDDEN_XML = {
    "doctype": '<?xml version="1.0"?><!DOCTYPE x><ceb:CEB303Message xmlns:ceb="http://www.chinaport.gov.cn/ceb"/>',
    "internal_entity": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>',
    "external_entity": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    "billion_laughs": (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
        )
        + "]><lolz>&lol9;</lolz>"
    ),
    "processing_instruction": '<?xml version="1.0"?><?xml-stylesheet href="evil.xsl"?><x/>',
}


@pytest.mark.parametrize("name", sorted(FORBIDDEN_XML))
def test_hostile_xml_is_refused(gm, agent, name):
    body, headers = raw_xml(agent, FORBIDDEN_XML[name])
    assert error_of(gm.post("customs", body, headers)) == (400, "xml_forbidden")


MALFORMED_XML = {
    "not_xml": "this is not XML",
    "truncated": '<ceb:CEB303Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="x" version="1.0">',
    "wrong_namespace": '<ceb:CEB303Message xmlns:ceb="urn:other" guid="x" version="1.0"/>',
}


@pytest.mark.parametrize("name", sorted(MALFORMED_XML))
def test_malformed_xml(gm, agent, name):
    body, headers = raw_xml(agent, MALFORMED_XML[name])
    assert error_of(gm.post("customs", body, headers)) == (400, "malformed")


@pytest.mark.parametrize(
    ("nodes", "detail"),
    [
        ([], "1..100"),
        ([ceb.order(ceb.Parcel()) for _ in range(101)], "1..100"),
        ([ceb.order(ceb.Parcel(), guid="not-a-guid")], "guid"),
        ([ceb.order(ceb.Parcel(), guid=None)], "guid"),
    ],
    ids=["no_nodes", "too_many_nodes", "bad_node_guid", "missing_node_guid"],
)
def test_malformed_ceb_envelope(gm, agent, nodes, detail):
    guid, body = ceb.message("CEB303Message", nodes)
    headers = agent.headers(body, message_id=guid, message_type="CEB303Message", content_type=XML)
    response = gm.post("customs", body, headers)
    assert error_of(response) == (400, "malformed")
    assert detail in response.json()["detail"]


def test_two_nodes_sharing_a_guid_are_malformed(gm, agent):
    first = ceb.order(ceb.Parcel())
    second = ceb.order(ceb.Parcel(), guid=first["head"]["guid"])
    body, headers = signed_xml(agent, nodes=[first, second])
    assert error_of(gm.post("customs", body, headers)) == (400, "malformed")


def test_unknown_message_type_for_the_department(gm, agent):
    body, headers = signed_xml(agent)
    headers["X-Message-Type"] = "CEB311Message"  # an import order: not accepted by this mock
    assert error_of(gm.post("customs", body, headers)) == (400, "malformed")


def test_id_mismatch(gm, agent):
    body, headers = signed_xml(agent)
    headers["X-Message-Id"] = new_guid()
    assert error_of(gm.post("customs", body, headers)) == (400, "id_mismatch")


def test_type_mismatch(gm, agent):
    body, headers = signed_xml(agent, message_type="CEB303Message")
    headers["X-Message-Type"] = "CEB603Message"
    assert error_of(gm.post("customs", body, headers)) == (400, "type_mismatch")


def test_json_id_type_and_sender_mismatch(gm, seller):
    message_id, body = json_message(seller.sender_code, "commerce.ft_operator", [{}])
    headers = seller.headers(
        body, message_id=new_guid(), message_type="commerce.ft_operator", content_type="application/json"
    )
    assert error_of(gm.post("commerce", body, headers)) == (400, "id_mismatch")
    headers = seller.headers(
        body, message_id=message_id, message_type="commerce.filing_status", content_type="application/json"
    )
    assert error_of(gm.post("commerce", body, headers)) == (400, "type_mismatch")
    message_id, body = json_message("91350100M000100Y43", "commerce.ft_operator", [{}])
    headers = seller.headers(
        body, message_id=message_id, message_type="commerce.ft_operator", content_type="application/json"
    )
    assert error_of(gm.post("commerce", body, headers)) == (400, "malformed")


@pytest.mark.parametrize(
    "body",
    [b"[]", b'{"message_id": 1}', b"\xff\xfe", b'{"nodes": NaN}'],
    ids=["array", "wrong_types", "not_utf8", "nan"],
)
def test_malformed_json(gm, seller, body):
    headers = seller.headers(
        body, message_id=new_guid(), message_type="commerce.ft_operator", content_type="application/json"
    )
    assert error_of(gm.post("commerce", body, headers)) == (400, "malformed")


def test_bad_mock_now(gm, agent):
    body, headers = signed_xml(agent)
    headers["X-Mock-Now"] = "yesterday"
    assert error_of(gm.post("customs", body, headers)) == (400, "malformed")


def test_tampered_body_fails_the_signature(gm, agent):
    body, headers = signed_xml(agent)
    assert error_of(gm.post("customs", body.replace(b"0</ceb:freight>", b"1</ceb:freight>"), headers)) == (
        401,
        "bad_signature",
    )


@pytest.mark.parametrize(
    ("header", "value", "code"),
    [
        ("X-Signature-Algorithm", "RSA-SHA1", "bad_signature"),
        ("X-Signature", "not base64!", "bad_signature"),
        ("X-Certificate", "bm90IGEgY2VydGlmaWNhdGU=", "bad_certificate"),
        ("X-Sender-Code", "91350100M000100Y43", "sender_mismatch"),
    ],
)
def test_signature_and_certificate_refusals(gm, agent, header, value, code):
    body, headers = signed_xml(agent)
    headers[header] = value
    assert error_of(gm.post("customs", body, headers)) == (401, code)


def test_certificate_from_another_ca_is_untrusted(gm):
    stranger = TestCA("Some Other CA").issue("3301980001")
    body, headers = signed_xml(stranger)
    assert error_of(gm.post("customs", body, headers)) == (401, "untrusted_certificate")


def test_expired_certificate(gm, ca):
    now = dt.datetime.now(dt.UTC)
    expired = ca.issue(
        "3301980001", not_before=now - dt.timedelta(days=10), not_after=now - dt.timedelta(days=1)
    )
    body, headers = signed_xml(expired)
    assert error_of(gm.post("customs", body, headers)) == (401, "bad_certificate")


def test_first_certificate_is_pinned_until_a_newer_one_is_issued(gm, ca):
    now = dt.datetime.now(dt.UTC)
    code = "3301980777"
    first = ca.issue(code, not_before=now - dt.timedelta(hours=2))
    older = ca.issue(code, not_before=now - dt.timedelta(hours=3))
    rotated = ca.issue(code, not_before=now - dt.timedelta(minutes=5))
    assert gm.post("customs", *signed_xml(first)).status_code == 202
    assert error_of(gm.post("customs", *signed_xml(older))) == (401, "bad_certificate")
    assert gm.post("customs", *signed_xml(rotated)).status_code == 202
    assert error_of(gm.post("customs", *signed_xml(first))) == (401, "bad_certificate")


def test_unknown_department_and_wrong_method(gm, agent):
    body, headers = signed_xml(agent)
    assert error_of(gm.post("police", body, headers)) == (404, "not_found")
    assert error_of(gm.http.get(f"{gm.url}/customs/messages")) == (405, "method_not_allowed")


class _CaServer:
    def __init__(self, pem: bytes) -> None:
        class Handler(BaseHTTPRequestHandler):
            hits = 0

            def do_GET(self):
                Handler.hits += 1
                ok = self.path == "/exchange/ca.pem"
                self.send_response(200 if ok else 404)
                self.end_headers()
                self.wfile.write(pem if ok else b"")

            def log_message(self, *args):
                pass

        self.handler = Handler
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_ca_is_fetched_from_the_portal_when_the_file_is_missing(make_govmock, ca, agent, tmp_path):
    portal = _CaServer(ca.cert.public_bytes(serialization.Encoding.PEM))
    try:
        gm = make_govmock(
            GOVMOCK_TRUSTED_CA_FILE=str(tmp_path / "missing.pem"), GOVMOCK_PORTAL_URL=portal.url
        )
        assert gm.post("customs", *signed_xml(agent)).status_code == 202
        assert gm.post("customs", *signed_xml(agent)).status_code == 202
        assert portal.handler.hits == 1  # fetched once, then cached
    finally:
        portal.close()


def test_without_a_ca_submissions_are_transiently_refused(make_govmock, agent, tmp_path):
    gm = make_govmock(
        GOVMOCK_TRUSTED_CA_FILE=str(tmp_path / "missing.pem"), GOVMOCK_PORTAL_URL="http://127.0.0.1:9"
    )
    assert error_of(gm.post("customs", *signed_xml(agent))) == (503, "ca_unavailable")
