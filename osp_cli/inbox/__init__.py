"""The practitioner's caseload: received summaries in an encrypted store, pure views of it."""
