"""Pages of the applicant enterprise."""
