"""Pages of account holding: sign-up, disputed sign-ups, a legacy organisation's credit code."""
