"""The open HTML pages: ``GET /`` (what each department received and answered) and raw views.

Everything interpolated into HTML goes through :func:`html.escape` (element text and attribute
values alike) and every path segment in a link through :func:`urllib.parse.quote`; raw documents
are shown as escaped text in ``<pre>``, never rendered. No scripts or external assets are used
(the response's CSP forbids them anyway).
"""

from __future__ import annotations

import sqlite3
from html import escape
from urllib.parse import quote

from govmock import clock
from govmock.faults import DEPARTMENTS, FaultRegistry
from govmock.storage import Store
from govmock.web.httpio import HttpError, Response, html_response

RECENT = 20
TITLES = {
    "customs": "海关 Customs",
    "ciq": "检验检疫 Inspection & quarantine",
    "safe": "外汇管理局 SAFE (foreign exchange)",
    "tax": "国税 State tax bureau",
    "commerce": "商务主管部门 Commerce department",
}
STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
th{background:#f0f0f0} code{font-size:.85rem} .outage{color:#b00;font-weight:bold}
ul{margin:0;padding-left:1rem} pre{white-space:pre-wrap;word-break:break-all;background:#f8f8f8;padding:1rem}
"""


def _page(title: str, content: str) -> str:
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body>{content}</body></html>"
    )


def index(store: Store, faults: FaultRegistry) -> Response:
    now = clock.utc_now()
    parts = ["<h1>政府部门模拟 govmock — 收到的报文与回执 messages received and receipts sent</h1>"]
    with store.read() as conn:
        for department in DEPARTMENTS:
            outage = faults.get(department).in_outage(now)
            parts.append(_section(conn, department, outage))
    return html_response(200, _page("govmock", "".join(parts)))


def _section(conn: sqlite3.Connection, department: str, outage: bool) -> str:
    heading = f"<h2>{escape(TITLES[department])}"
    heading += ' <span class="outage">停机 outage</span></h2>' if outage else "</h2>"
    messages = conn.execute(
        "SELECT message_id, message_type, sender_code, received_at, node_count FROM messages "
        "WHERE department = ? ORDER BY received_epoch DESC LIMIT ?",
        (department, RECENT),
    ).fetchall()
    if not messages:
        return heading + "<p>尚无报文 nothing received yet</p>"
    rows = "".join(_message_row(conn, department, m) for m in messages)
    head = (
        "<tr><th>收到时间 received</th><th>报文类型 type</th><th>发送方 sender</th>"
        "<th>节点 nodes</th><th>回执 receipts</th></tr>"
    )
    return f"{heading}<table>{head}{rows}</table>"


def _message_row(conn: sqlite3.Connection, department: str, message: sqlite3.Row) -> str:
    receipts = conn.execute(
        "SELECT seq, receipt_type, status, created_at FROM receipts WHERE department = ? AND message_id = ? "
        "ORDER BY seq",
        (department, message["message_id"]),
    ).fetchall()
    link = f"/view/message/{quote(department, safe='')}/{quote(message['message_id'], safe='')}"
    receipt_base = f"/view/receipt/{quote(department, safe='')}/"
    items = "".join(
        f'<li><a href="{escape(receipt_base + str(r["seq"]))}">#{r["seq"]}</a> '
        f"{escape(r['receipt_type'])} <b>{escape(r['status'])}</b> {escape(r['created_at'])}</li>"
        for r in receipts
    )
    return (
        f"<tr><td>{escape(message['received_at'])}</td>"
        f'<td><a href="{escape(link)}">{escape(message["message_type"])}</a></td>'
        f"<td><code>{escape(message['sender_code'])}</code></td><td>{message['node_count']}</td>"
        f"<td><ul>{items or '<li>—</li>'}</ul></td></tr>"
    )


def view_message(store: Store, department: str, message_id: str) -> Response:
    with store.read() as conn:
        row = conn.execute(
            "SELECT message_type, sender_code, received_at, body FROM messages "
            "WHERE department = ? AND message_id = ?",
            (department, message_id),
        ).fetchone()
    if row is None:
        raise HttpError(404, "unknown_message")
    text = bytes(row["body"]).decode("utf-8", errors="replace")
    title = f"{row['message_type']} {message_id}"
    meta = (
        f"<p>发送方 sender <code>{escape(row['sender_code'])}</code>, "
        f"收到 received {escape(row['received_at'])}</p>"
    )
    return html_response(200, _page(title, f"<h1>{escape(title)}</h1>{meta}<pre>{escape(text)}</pre>"))


def view_receipt(store: Store, department: str, seq: str) -> Response:
    if not seq.isdigit():
        raise HttpError(404, "unknown_receipt")
    with store.read() as conn:
        row = conn.execute(
            "SELECT receipt_id, receipt_type, status, created_at, raw FROM receipts "
            "WHERE department = ? AND seq = ?",
            (department, int(seq)),
        ).fetchone()
    if row is None:
        raise HttpError(404, "unknown_receipt")
    title = f"{row['receipt_type']} #{seq} ({row['status']})"
    meta = f"<p>receipt_id <code>{escape(row['receipt_id'])}</code>, {escape(row['created_at'])}</p>"
    return html_response(200, _page(title, f"<h1>{escape(title)}</h1>{meta}<pre>{escape(row['raw'])}</pre>"))
