"""The JSON departments (protocol §4): commerce, customs registrations, CIQ, SAFE and tax."""
