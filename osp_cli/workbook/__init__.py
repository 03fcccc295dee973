"""The participant's workbook: answers, progress, check-ins and the plan (pure domain)."""
