"""Stage 4, publish: tables, charts, numbers and provenance as the book shows them."""
