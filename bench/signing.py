#!/usr/bin/env python
"""Signing cost per message: RSA-2048/SHA-256 (cryptography, OpenSSL) vs SM2/SM3 (gmssl, pure Python).

Prints operations per second for sign and verify over a typical envelope body and the ratio between the
two, side by side in the same run. ADR 0004 records the figures and the choice.

    python bench/signing.py [--iterations 200] [--body-kb 8]
"""

import argparse
import os
import time

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def timed(fn, iterations: int) -> float:
    started = time.perf_counter()
    for _ in range(iterations):
        fn()
    return iterations / (time.perf_counter() - started)


def rsa_rates(body: bytes, iterations: int) -> tuple[float, float]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key()
    signature = key.sign(body, padding.PKCS1v15(), hashes.SHA256())
    sign = timed(lambda: key.sign(body, padding.PKCS1v15(), hashes.SHA256()), iterations)
    verify = timed(lambda: public.verify(signature, body, padding.PKCS1v15(), hashes.SHA256()), iterations)
    return sign, verify


def sm2_rates(body: bytes, iterations: int) -> tuple[float, float] | None:
    try:
        from gmssl import func, sm2
    except ImportError:
        return None
    private_hex = func.random_hex(64)
    # Derive the public key from the private one with gmssl's own point multiplication.
    helper = sm2.CryptSM2(private_key=private_hex, public_key="")
    public_hex = helper._kg(int(private_hex, 16), sm2.default_ecc_table["g"])
    crypt = sm2.CryptSM2(private_key=private_hex, public_key=public_hex)
    signature = crypt.sign_with_sm3(body)
    assert crypt.verify_with_sm3(signature, body)
    sign = timed(lambda: crypt.sign_with_sm3(body), iterations)
    verify = timed(lambda: crypt.verify_with_sm3(signature, body), iterations)
    return sign, verify


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--body-kb", type=int, default=8)
    args = parser.parse_args()
    body = os.urandom(args.body_kb * 1024)
    rsa_sign, rsa_verify = rsa_rates(body, args.iterations)
    print(f"body {args.body_kb} KiB, {args.iterations} iterations")
    print(f"RSA-2048/SHA-256 (cryptography): sign {rsa_sign:9.1f}/s   verify {rsa_verify:9.1f}/s")
    sm2 = sm2_rates(body, max(10, args.iterations // 10))
    if sm2 is None:
        print("SM2/SM3 (gmssl): not installed (pip install -e '.[bench]')")
        return
    sm2_sign, sm2_verify = sm2
    print(f"SM2/SM3 (gmssl, pure Python):    sign {sm2_sign:9.1f}/s   verify {sm2_verify:9.1f}/s")
    print(f"ratio RSA/SM2: sign {rsa_sign / sm2_sign:6.1f}x   verify {rsa_verify / sm2_verify:6.1f}x")


if __name__ == "__main__":
    main()
