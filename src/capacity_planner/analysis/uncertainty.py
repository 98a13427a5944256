"""Demand uncertainty per stream: the distributions a Monte Carlo run draws from.

Each stream's demand in each period is multiplied by a factor drawn from the stream's
distribution. Every distribution is centred on the forecast (the workbook's hours):

- ``normal``: mean 1, standard deviation ``cv_pct``/100, cut at zero;
- ``lognormal``: mean 1, coefficient of variation ``cv_pct``/100 (never negative, skewed
  upwards, as demand surges are);
- ``triangular``: from ``low_pct`` to ``high_pct`` % change, most likely ``mode_pct``
  (default 0, the forecast itself).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

DISTRIBUTIONS = ("normal", "lognormal", "triangular")


@dataclass(frozen=True)
class StreamUncertainty:
    stream_id: str
    distribution: str = "normal"
    cv_pct: float = 15.0
    low_pct: float = 0.0
    mode_pct: float = 0.0
    high_pct: float = 0.0

    def describe(self) -> str:
        if self.distribution == "triangular":
            return (f"triangular {self.low_pct:+g} % / {self.mode_pct:+g} % / "
                    f"{self.high_pct:+g} %")
        return f"{self.distribution}, CV {self.cv_pct:g} %"

    def factors(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` demand multipliers (one per period)."""
        if self.distribution == "triangular":
            if self.low_pct == self.high_pct:
                return np.full(n, 1.0 + self.mode_pct / 100)
            return 1.0 + rng.triangular(self.low_pct, self.mode_pct, self.high_pct, n) / 100
        z = rng.standard_normal(n)
        cv = self.cv_pct / 100
        if self.distribution == "lognormal":
            sigma = math.sqrt(math.log1p(cv * cv))
            return np.exp(sigma * z - sigma * sigma / 2)
        return np.maximum(0.0, 1.0 + cv * z)
