#!/usr/bin/python3
"""Reference values for vcex's metric tests, from independent implementations.

Run with Debian's interpreter (apt-get install python3-skimage python3-scipy), from the repository
root:  /usr/bin/python3 tools/reference/metrics_reference.py
It writes small PNG fixtures and reference.json into vcex-metrics/src/test/resources/reference/,
which the tests compare against. Not part of CI: the outputs are committed.

- SSIM: skimage.metrics.structural_similarity(gaussian_weights=True, sigma=1.5,
  use_sample_covariance=False, data_range=1.0, channel_axis=-1), the settings of Wang et al. 2004.
- Frechet distance: the formula of the reference FID code with scipy.linalg.sqrtm.
- Sparseness (Gini) and complexity (entropy): Quantus's formulas in NumPy.
"""
import json
import os

import numpy as np
import scipy.linalg
import scipy.stats
from skimage import data, filters, io, transform
from skimage.metrics import structural_similarity

OUT = "vcex-metrics/src/test/resources/reference"
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(0)


def save(name, img):
    path = os.path.join(OUT, name)
    io.imsave(path, img, check_contrast=False)
    return io.imread(path).astype(np.float64) / 255.0


# --- images: a 48x48 crop of the astronaut's face (public domain), and three changed copies
face = data.astronaut()[30:230, 150:350]
a8 = (transform.resize(face, (48, 48), anti_aliasing=True) * 255).round().astype(np.uint8)
a = save("a.png", a8)
blurred = (filters.gaussian(a, sigma=1.0, channel_axis=-1) * 255).round().astype(np.uint8)
noisy = np.clip(a * 255 + rng.normal(0, 20, a.shape), 0, 255).round().astype(np.uint8)
shifted = np.roll(a8, 2, axis=1)
pairs = {}
for name, img in [("blurred.png", blurred), ("noisy.png", noisy), ("shifted.png", shifted)]:
    b = save(name, img)
    pairs[name] = structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                        data_range=1.0, channel_axis=-1)
grey_a = save("a_grey.png", (a8.mean(axis=2)).round().astype(np.uint8))
grey_b = save("noisy_grey.png", (noisy.mean(axis=2)).round().astype(np.uint8))
pairs["grey"] = structural_similarity(grey_a, grey_b, gaussian_weights=True, sigma=1.5,
                                      use_sample_covariance=False, data_range=1.0)

# --- Frechet distance of two Gaussian samples
x = rng.normal(0, 1, (200, 8))
y = rng.normal(0.5, 1, (150, 8)) @ rng.normal(0, 0.6, (8, 8))
mu1, mu2 = x.mean(0), y.mean(0)
s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
covmean = scipy.linalg.sqrtm(s1 @ s2).real
fid = float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))

# --- attribution metrics (Quantus formulas)
attr = rng.normal(0, 1, 64) * (rng.random(64) < 0.3)
g = np.sort(np.abs(attr) + 1e-7)
n = g.shape[0]
gini = float(np.sum((2 * np.arange(1, n + 1) - n - 1) * g) / (n * np.sum(g)))
absa = np.abs(attr)
entropy = float(scipy.stats.entropy(absa / absa.sum()))

ref = {
    "ssim": pairs,
    "frechet": {"x": x.tolist(), "y": y.tolist(), "value": fid},
    "attribution": {"values": attr.tolist(), "sparseness": gini, "complexity": entropy,
                    "effective_complexity": int((absa > 1e-5).sum())},
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__,
                 "skimage": __import__("skimage").__version__},
}
with open(os.path.join(OUT, "reference.json"), "w") as f:
    json.dump(ref, f, indent=1)
print(json.dumps({k: v for k, v in ref.items() if k != "frechet"} | {"fid": fid}, indent=1)[:1500])
