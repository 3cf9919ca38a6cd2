"""Transport security: sender certificates and signatures (protocol §1), HMAC (§2, §5)."""
