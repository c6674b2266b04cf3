"""Former home of the solver, kept so that older imports work; see model, audit, synthesis."""

from evalkit.solver.model import ASSUMPTIONS, INTERPRETATIONS, Spec
from evalkit.solver.synthesis import reconstruct, reconstruct_to

__all__ = ["ASSUMPTIONS", "INTERPRETATIONS", "Spec", "reconstruct", "reconstruct_to"]
