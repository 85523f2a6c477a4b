"""Measure how far an encoded image is from its reference: SSIM (Wang et al. 2004), Gaussian window sigma 1.5."""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Return the mean SSIM of two (h, w, c) or (h, w) 8-bit images of one shape, channels averaged."""
    x, y = a.astype(np.float32), b.astype(np.float32)
    sigma = (1.5, 1.5, 0.0) if x.ndim == 3 else (1.5, 1.5)

    def blur(v: np.ndarray) -> np.ndarray:
        """Return the Gaussian-weighted local mean."""
        return gaussian_filter(v, sigma=sigma, truncate=3.5)

    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mx, my = blur(x), blur(y)
    vx, vy, cov = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    score = ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
    return float(score.mean())
