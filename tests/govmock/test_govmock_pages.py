"""Open endpoints: /healthz and the HTML page of what was received and answered (escaped, no assets)."""

from __future__ import annotations

import re

from tests.govmock import cebmsg as ceb
from tests.govmock.harness import node_guid

SCRIPT = "<script>alert('x')</script>"


def test_healthz(gm):
    response = gm.http.get(f"{gm.url}/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["dispatcher"] == "running"
    assert response.headers["Cache-Control"] == "no-store"


def test_index_lists_messages_and_receipts_with_links(gm, agent):
    spec = ceb.order(ceb.Parcel())
    message_id = gm.send_ceb(agent, "CEB303Message", [spec]).json()["message_id"]
    gm.wait_statuses(node_guid(spec), ["2"])
    page = gm.http.get(f"{gm.url}/")
    assert page.headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    html = page.text
    assert "海关 Customs" in html
    assert "CEB303Message" in html
    assert "CEB304Message" in html
    assert agent.sender_code in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # no external assets
    raw = gm.http.get(f"{gm.url}/view/message/customs/{message_id}").text
    assert spec["head"]["orderNo"] in raw
    assert "&lt;ceb:CEB303Message" in raw  # shown as text, not rendered
    receipt = gm.http.get(f"{gm.url}/view/receipt/customs/1").text
    assert "&lt;ceb:OrderReturn&gt;" in receipt
    assert gm.http.get(f"{gm.url}/view/receipt/customs/99").status_code == 404
    assert gm.http.get(f"{gm.url}/view/receipt/customs/abc").status_code == 404


def test_everything_on_the_pages_is_escaped(gm, ca):
    hostile = ca.issue(SCRIPT, utf8=True)  # the sender code comes from the certificate: attacker-chosen text
    response = gm.send_json(
        hostile,
        "commerce",
        "commerce.filing_status",
        [{"filing_no": SCRIPT, "uscc": "91330782MA28F3K135", "status": SCRIPT}],
    )
    assert response.status_code == 202
    gm.wait_statuses(response.json()["node_guids"][0], ["COMPLETED"], "commerce")
    index = gm.http.get(f"{gm.url}/").text
    assert SCRIPT not in index
    assert "&lt;script&gt;" in index
    raw = gm.http.get(f"{gm.url}/view/message/commerce/{response.json()['message_id']}").text
    assert SCRIPT not in raw
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in raw
    receipt = gm.http.get(f"{gm.url}/view/receipt/commerce/1").text
    assert SCRIPT not in receipt
