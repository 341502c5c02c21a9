"""The built-in population simulator: legitimate customers and distillation campaigns as signup requests.

Pure Python, no Django: `simulate_signups` returns request bodies for POST /api/v1/signups with the hidden truth.
"""

from riskscore.simulator.generate import PERSONA_KEYS, simulate_signups
from riskscore.simulator.signup import SimulatedSignup

__all__ = ["PERSONA_KEYS", "SimulatedSignup", "simulate_signups"]
