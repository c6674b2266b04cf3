"""Stage 3, solver: the CP-SAT register model, the consistency audit and the synthetic register."""
