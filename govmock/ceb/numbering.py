"""Customs document numbers, by the mock rule of DOMAIN §2.4.

* ``invtNo``  = customs code (4) + year (4) + ``E`` + sequence (9)
* ``preNo``   = ``B`` + ``YYYYMMDD`` + sequence (9)
* ``entryId`` = customs code (4) + year (4) + ``0`` + sequence (9)
* ``sumNo``   = customs code (4) + year (4) + ``S`` + sequence (9)   (govmock's choice; DOMAIN is silent)
* ``declSeqNo`` = customs code (4) + year (4) + ``H`` + sequence (9); ``decTmpNo`` = ``T`` + date + seq (9)
Sequences are durable counters per (kind, customs code, year or day), so numbers never repeat.
Dates are the business "now" of the message being processed, in Asia/Shanghai.
"""

from __future__ import annotations

from govmock import clock
from govmock.engine.context import Context


def invt_no(ctx: Context, customs_code: str) -> str:
    return _numbered(ctx, customs_code, "E")


def sum_no(ctx: Context, customs_code: str) -> str:
    return _numbered(ctx, customs_code, "S")


def decl_seq_no(ctx: Context, customs_code: str) -> str:
    return _numbered(ctx, customs_code, "H")


def entry_id(ctx: Context, customs_code: str) -> str:
    return _numbered(ctx, customs_code, "0")


def pre_no(ctx: Context) -> str:
    return _dated(ctx, "B")


def dec_tmp_no(ctx: Context) -> str:
    return _dated(ctx, "T")


def _numbered(ctx: Context, customs_code: str, flag: str) -> str:
    year = clock.shanghai(ctx.now).strftime("%Y")
    seq = ctx.next_value(f"no:{flag}:{customs_code}:{year}")
    return f"{customs_code}{year}{flag}{seq:09d}"


def _dated(ctx: Context, prefix: str) -> str:
    day = clock.shanghai(ctx.now).strftime("%Y%m%d")
    return f"{prefix}{day}{ctx.next_value(f'no:{prefix}:{day}'):09d}"
