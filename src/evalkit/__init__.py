"""evalkit: the figures of the pilot gezinsverzorger, recomputed, traced and reconciled."""

__version__ = "0.6.0"
