"""Stage 2, compute: metrics, rounding, disclosure control, claims and their reconciliation."""
