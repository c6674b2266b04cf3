"""Stage 1, inputs: the sources, the case register, quotes, and their validation."""
