"""Hypothesis profiles for the generator's property tests.

`dev` (default) keeps the local loop quick; CI sets HYPOTHESIS_PROFILE=ci for 1000 examples per
property. Generation is pure and deterministic, so `derandomize` keeps CI reproducible.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=1000,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
