#!/usr/bin/python3
"""DVCE in Python: the speed comparison of `./vcex bench dvce --speed` (issue 6, "Speed").

The same algorithm as vcex-methods' Dvce (io.vcex.methods.dvce.Dvce) in PyTorch, on the same
networks exported by vcex (`./vcex zoo export diffusion|smile --out DIR`, a TensorArchive:
parameters.json + little-endian float32 parameters.bin; no package beyond torch is needed):
the zoo's UNet noise predictor and its conv classifier are rebuilt here from their parameters,
and before any timing the script checks them against the reference inputs and outputs the Java
exporter wrote (eps, logits and an input gradient of each; tolerance 1e-4), exiting if they differ.

The loop is Dvce's, step for step, in the configuration `bench dvce --speed` measures:
  * the linear training schedule (betas from the export) respaced to 200 steps as
    improved-diffusion's space_timesteps; the original area-reduced to the model's side, scaled to
    [-1, 1] and noised to step 99 (the late start, T/2); fixed-small variance, x0 clipped in the mean;
  * every step i > 0: x_t stacked twice (classifier part, distance part) through one denoiser pass,
    the denoised estimate f_dn = (x - sqrt(1 - abar) eps) / sqrt(abar) of the first half goes,
    residually up-sampled to the classifier's 64x64 (bilinear), to log p(target), the second half
    to the l1 distance to the reduced original; one backward pass of log p - d gives g_c and -g_d;
  * adaptive parameterisation (eq. 12-13): shift = ||mu|| (C_c g_c/||g_c|| - C_d g_d/||g_d||) per
    image, C_c = 0.1, C_d = 0.15, mu the posterior mean (the paper's norm); x_{t-1} =
    mu + Sigma shift + sqrt(Sigma) z; no cone, one augmentation copy;
  * every step the target probability of the (clipped, up-sampled) x0 estimate, a frame every 10
    steps; step 0 unguided; target "flip" of the binary classifier.

Not part of CI. Run by the Java bench as a subprocess (with the bench's thread count), or by hand:

    ./vcex zoo export diffusion --out /tmp/x/diffusion && ./vcex zoo export smile --out /tmp/x/smile
    /usr/bin/python3 tools/python/dvce_speed.py --diffusion /tmp/x/diffusion --classifier /tmp/x/smile \
        --check-only

Use Debian's interpreter (/usr/bin/python3 with python3-torch); a pyenv python3 on PATH cannot
see Debian's packages. Writes one JSON object (to --json, or stdout).
"""
import argparse
import json
import math
import os
import re
import sys
import time

import torch
import torch.nn.functional as F

TOLERANCE = 1e-4


# ---------------------------------------------------------------- the exported tensors

def read_archive(folder, stem):
    """A vcex TensorArchive: (metadata, {name: tensor}) in file order."""
    with open(os.path.join(folder, stem + ".json"), encoding="utf-8") as f:
        index = json.load(f)
    if index.get("format") != "vcex-tensors/1" or index.get("dtype") != "float32":
        raise SystemExit(f"{folder}/{stem}.json is not a vcex-tensors/1 float32 archive")
    with open(os.path.join(folder, index.get("data", stem + ".bin")), "rb") as f:
        data = bytearray(f.read())
    if sys.byteorder != "little":
        raise SystemExit("this script reads little-endian float32 natively; run it on a little-endian machine")
    tensors = {}
    for e in index["tensors"]:
        n, off = e["count"], e["offset"]
        t = torch.frombuffer(data, dtype=torch.float32, count=n, offset=off) if n else torch.zeros(0)
        tensors[e["name"]] = t.clone().reshape(e["shape"])
    return index.get("meta", {}), tensors


def plain_names(params):
    """Engine names without DJL's ordinal prefixes: 04down0_02conv1_weight -> down0_conv1_weight."""
    return {re.sub(r"(^|_)\d+(?=[A-Za-z])", r"\1", k): v for k, v in params.items()}


# ---------------------------------------------------------------- the networks

def gn_groups(channels):
    """vcex GroupNorm.of: min(32, C/4) groups or fewer, dividing C."""
    g = max(1, min(32, channels // 4))
    while channels % g:
        g -= 1
    return g


class UNet:
    """vcex-zoo nn/UNet (unconditional): one residual block per level, GroupNorm, SiLU, AdaGN
    time embedding, avg-pool down, nearest up, concatenated skips, two middle blocks."""

    def __init__(self, params, meta):
        self.p = plain_names(params)
        recipe = meta["recipe"]
        self.base = recipe["base"]
        self.mult = recipe["mult"]
        if meta.get("condDim", 0):
            raise SystemExit("the speed script supports the unconditional pixel diffusion model only")
        self.calls = 0

    def gn(self, h, name):
        return F.group_norm(h, gn_groups(h.shape[1]), self.p[name + "_gamma"], self.p[name + "_beta"], 1e-5)

    def conv(self, h, name, padding=1):
        return F.conv2d(h, self.p[name + "_weight"], self.p[name + "_bias"], padding=padding)

    def linear(self, h, name):
        return F.linear(h, self.p[name + "_weight"], self.p[name + "_bias"])

    def block(self, name, x, emb):
        out = self.p[name + "_conv1_weight"].shape[0]
        h = self.conv(F.silu(self.gn(x, name + "_norm1")), name + "_conv1")
        ts = self.linear(F.silu(emb), name + "_timeProj").reshape(x.shape[0], 2 * out, 1, 1)
        h = self.gn(h, name + "_norm2") * (ts[:, :out] + 1) + ts[:, out:]
        h = self.conv(F.silu(h), name + "_conv2")
        s = self.conv(x, name + "_skip", padding=0) if name + "_skip_weight" in self.p else x
        return s + h

    def embedding(self, t):
        half = self.base // 2
        f = torch.tensor([math.exp(-math.log(10000.0) * i / half) for i in range(half)], dtype=torch.float32)
        args = t.reshape(-1, 1) * f.reshape(1, half)
        return torch.cat([args.sin(), args.cos()], 1)

    def __call__(self, x, t):
        emb = self.linear(F.silu(self.linear(self.embedding(t), "time1")), "time2")
        h = self.conv(x, "convIn")
        skips = []
        levels = len(self.mult)
        for l in range(levels):
            h = self.block(f"down{l}", h, emb)
            skips.append(h)
            if l < levels - 1:
                h = F.avg_pool2d(h, 2)
        h = self.block("mid0", h, emb)
        h = self.block("mid1", h, emb)
        for l in range(levels - 1, -1, -1):
            h = self.block(f"up{l}", torch.cat([h, skips[l]], 1), emb)
            if l > 0:
                h = h.repeat_interleave(2, 2).repeat_interleave(2, 3)
        return self.conv(F.silu(self.gn(h, "normOut")), "convOut")


class ConvClassifier:
    """vcex-zoo nn/Blocks.convClassifier: five conv(3x3, no bias)-BN-ReLU layers, strides
    2,2,1,2,2, global average pool, linear; batch norm with running statistics (eps 1e-5)."""

    STRIDES = (2, 2, 1, 2, 2)

    def __init__(self, params, meta):
        layers = {}
        for name, t in params.items():
            top, _, rest = name.partition("_")
            layers.setdefault(int(re.match(r"\d+", top).group()), {})[re.sub(r"^\d+", "", rest)] = t
        self.convs = []
        self.head = None
        for k in sorted(layers):
            d = layers[k]
            if "Conv2d_weight" in d:
                self.convs.append((d["Conv2d_weight"], d["BatchNorm_gamma"], d["BatchNorm_beta"], d["BatchNorm_runningMean"],
                                   d["BatchNorm_runningVar"]))
            elif "weight" in d:
                self.head = (d["weight"], d["bias"])
        if len(self.convs) != len(self.STRIDES) or self.head is None:
            raise SystemExit(f"unexpected classifier layout: {len(self.convs)} conv layers; the script knows Blocks.convClassifier")
        if meta.get("outputKind") != "BINARY_LOGIT":
            raise SystemExit("the speed script's DVCE loop handles a binary-logit classifier (target flip)")

    def __call__(self, x):
        for (w, g, b, m, v), s in zip(self.convs, self.STRIDES):
            x = F.relu(F.batch_norm(F.conv2d(x, w, None, stride=s, padding=1), m, v, g, b, False, 0.0, 1e-5))
        return F.linear(x.mean((2, 3)), *self.head)


def max_diff(a, b):
    return float((a - b).abs().max())


def input_gradient(f, x, w):
    leaf = x.clone().requires_grad_(True)
    (f(leaf) * w).sum().backward()
    return leaf.grad


def check(unet, clf, diffusion_dir, classifier_dir):
    """Python against the Java exporter's reference outputs; exits when a difference exceeds 1e-4."""
    _, rd = read_archive(diffusion_dir, "reference")
    _, rc = read_archive(classifier_dir, "reference")
    with torch.no_grad():
        eps = unet(rd["denoiser.x"], rd["denoiser.t"])
        logits = clf(rc["classifier.x"])
    gd = input_gradient(lambda x: unet(x, rd["denoiser.t"]), rd["denoiser.x"], rd["denoiser.w"])
    gc = input_gradient(clf, rc["classifier.x"], rc["classifier.w"])
    out = {
        "eps_max_abs_diff": max_diff(eps, rd["denoiser.eps"]),
        "eps_max_abs": float(rd["denoiser.eps"].abs().max()),
        "logits_max_abs_diff": max_diff(logits, rc["classifier.logits"]),
        "logits_max_abs": float(rc["classifier.logits"].abs().max()),
        # gradients: relative to their largest entry (their scale depends on the network)
        "denoiser_grad_max_rel_diff": max_diff(gd, rd["denoiser.grad_x"]) / max(1e-12, float(rd["denoiser.grad_x"].abs().max())),
        "classifier_grad_max_rel_diff": max_diff(gc, rc["classifier.grad_x"]) / max(1e-12, float(rc["classifier.grad_x"].abs().max())),
        "tolerance": TOLERANCE,
    }
    bad = [k for k in ("eps_max_abs_diff", "logits_max_abs_diff", "denoiser_grad_max_rel_diff", "classifier_grad_max_rel_diff")
           if not out[k] <= TOLERANCE]
    out["passed"] = not bad
    if bad:
        print(json.dumps(out, indent=2), file=sys.stderr)
        raise SystemExit(f"dvce_speed.py: the Python networks differ from Java's beyond {TOLERANCE}: {bad}")
    return out


# ---------------------------------------------------------------- the schedule (vcex-core NoiseSchedule)

def cumprod(betas):
    out, p = [], 1.0
    for b in betas:
        p *= 1 - b
        out.append(p)
    return out


def respace(betas, count):
    """NoiseSchedule.respace: keep round(k (T-1)/(count-1)), betas recomputed from alpha-bar."""
    total = len(betas)
    if count == total:
        return list(betas), list(range(total))
    abar = cumprod(betas)
    stride = (total - 1) / (count - 1)
    kept = [int(math.floor(k * stride + 0.5)) for k in range(count)]  # Java's Math.round
    out, last = [], 1.0
    for t in kept:
        out.append(1 - abar[t] / last)
        last = abar[t]
    return out, kept


class Sampler:
    """DdpmSampler.of(schedule): fixed-small variance, x0 clipped to [-1, 1] in the mean."""

    def __init__(self, betas, timesteps):
        self.betas = betas
        self.timesteps = timesteps
        self.abar = cumprod(betas)

    def abar_prev(self, i):
        return 1.0 if i == 0 else self.abar[i - 1]

    def predict_x0(self, x, eps, i):
        a = self.abar[i]
        return (x - eps * math.sqrt(1 - a)) / math.sqrt(a)

    def mean(self, x, eps, i):
        x0 = self.predict_x0(x, eps, i).clamp(-1, 1)
        a, ap, b = self.abar[i], self.abar_prev(i), self.betas[i]
        return x0 * (math.sqrt(ap) * b / (1 - a)) + x * (math.sqrt(1 - b) * (1 - ap) / (1 - a))

    def variance(self, i):
        return (1 - self.abar_prev(i)) / (1 - self.abar[i]) * self.betas[i]

    def noised(self, x0, noise, i):
        a = self.abar[i]
        return x0 * math.sqrt(a) + noise * math.sqrt(1 - a)


# ---------------------------------------------------------------- DVCE

class Timer:
    def __init__(self, f):
        self.f = f
        self.seconds = 0.0

    def __call__(self, *args):
        t = time.perf_counter()
        try:
            return self.f(*args)
        finally:
            self.seconds += time.perf_counter() - t


def log_sigmoid(x):
    """ClassLogProbability.logSigmoid: min(x, 0) - log(1 + exp(-|x|))."""
    return x.clamp(max=0) - (-x.abs()).exp().add(1).log()


class Dvce:
    def __init__(self, denoiser, classifier, betas, side, respaced=200, reverse=None, cc=0.1, cd=0.15,
                 trajectory_every=10):
        b, kept = respace(betas, respaced)
        self.sampler = Sampler(b, kept)
        self.reverse = reverse or respaced // 2
        self.denoiser = denoiser
        self.classifier = classifier
        self.cc, self.cd = cc, cd
        self.every = trajectory_every
        self.side = side

    def down(self, x):
        f = x.shape[2] // self.side
        return F.avg_pool2d(x, f) if f > 1 else x

    def up(self, model_image, original, reduced):
        """ResolutionAdapter.up: original + bilinear-up(model image - reduced)."""
        delta = model_image - reduced
        while delta.shape[2] < original.shape[2]:
            delta = F.interpolate(delta, scale_factor=2, mode="bilinear", align_corners=False)
        return delta + original

    def probabilities(self, images, targets):
        p1 = torch.sigmoid(self.classifier(images).reshape(-1))
        return torch.where(targets == 1, p1, 1 - p1)

    def explain(self, images, generator):
        """One batch; images N x C x H x W in [0, 1]; target flip."""
        s = self.sampler
        n = images.shape[0]
        with torch.no_grad():
            p1 = torch.sigmoid(self.classifier(images).reshape(-1))
            targets = (p1 <= 1 - p1).long()  # the class other than the predicted one
            sign = (targets * 2 - 1).float()
            reduced = self.down(images)
            reduced_sym = reduced * 2 - 1
            first = self.reverse - 1
            x = s.noised(reduced_sym, torch.randn(reduced_sym.shape, generator=generator), first)
        frames, per_step, last = [], [], None
        for i in range(first, -1, -1):
            t = torch.full((n,), float(s.timesteps[i]))
            if i > 0:
                # one pass: eps and the gradients of log p(y | f_dn) and of -d(x_hat, f_dn)
                leaf = torch.cat([x, x]).requires_grad_(True)
                e = self.denoiser(leaf, torch.cat([t, t]))
                eps = e[:n].detach()
                x0 = s.predict_x0(leaf, e, i)
                shown = self.up((x0[:n] + 1) / 2, images, reduced)
                logp = log_sigmoid(self.classifier(shown).reshape(n) * sign).sum()
                loss = logp - (x0[n:] - reduced_sym).abs().sum()
                grad, = torch.autograd.grad(loss, leaf)
                with torch.no_grad():
                    gc = grad[:n].reshape(n, -1).double()
                    gd = -grad[n:].reshape(n, -1).double()
                    mu = s.mean(x, eps, i)
                    scale = mu.reshape(n, -1).double().norm(dim=1, keepdim=True)
                    nc = gc.norm(dim=1, keepdim=True)
                    nd = gd.norm(dim=1, keepdim=True)
                    a = torch.where(nc > 0, self.cc / nc, torch.zeros_like(nc))
                    b = torch.where(nd > 0, self.cd / nd, torch.zeros_like(nd))
                    shift = (scale * (a * gc - b * gd)).float()
                    finite = torch.isfinite(shift).all(dim=1, keepdim=True)
                    shift = torch.where(finite, shift, torch.zeros_like(shift)).reshape(x.shape)
            else:
                with torch.no_grad():
                    eps = self.denoiser(x, t)
            with torch.no_grad():
                x0 = s.predict_x0(x, eps, i)
                shown = self.up((x0.clamp(-1, 1) + 1) / 2, images, reduced).clamp(0, 1)
                per_step.append(self.probabilities(shown, targets))
                done = first - i
                if done % self.every == 0 or i == 0:
                    frames.append(shown.clone())
                if i == 0:
                    last = shown
                else:
                    var = s.variance(i)
                    x = mu + shift * var + torch.randn(x.shape, generator=generator) * math.sqrt(var)
        with torch.no_grad():
            p = self.probabilities(last, targets)
            if not torch.isfinite(last).all():
                raise SystemExit("DVCE produced values that are not finite")
            flipped = int((p > 0.5).sum())
            l1 = (last - images).abs().reshape(n, -1).sum(1)
        return {"flipped": flipped, "target_probability": [float(v) for v in p], "l1": [float(v) for v in l1]}


def peak_rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(re.sub(r"[^0-9]", "", line)) / 1024.0
    return -1.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--diffusion", required=True, help="folder of ./vcex zoo export diffusion")
    ap.add_argument("--classifier", required=True, help="folder of ./vcex zoo export CLASSIFIER")
    ap.add_argument("--faces", help="folder of a TensorArchive 'faces' (tensor 'faces', N x 3 x 64 x 64 in [0, 1])")
    ap.add_argument("--runs", default="1:2,8:8", help="BATCH:IMAGES,... as bench dvce --speed (default 1:2,8:8)")
    ap.add_argument("--threads", type=int, default=2, help="torch intra-op threads (the Java run's)")
    ap.add_argument("--steps", type=int, default=200, help="respaced schedule length (default 200)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="write the result here instead of stdout")
    ap.add_argument("--check-only", action="store_true", help="only the equivalence check")
    ap.add_argument("--no-warmup", action="store_true", help="time from the first call (default: an untimed warm-up)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    dmeta, dparams = read_archive(args.diffusion, "parameters")
    cmeta, cparams = read_archive(args.classifier, "parameters")
    unet = UNet(dparams, dmeta)
    clf = ConvClassifier(cparams, cmeta)
    result = {
        "implementation": "python",
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "interop_threads": torch.get_num_interop_threads(),
        "equivalence": check(unet, clf, args.diffusion, args.classifier),
    }
    if not args.check_only:
        if not args.faces:
            raise SystemExit("--faces is needed for the timing runs")
        _, faces = read_archive(args.faces, "faces")
        faces = faces["faces"]
        timed_unet, timed_clf = Timer(unet), Timer(clf)
        dvce = Dvce(timed_unet, timed_clf, dmeta["betas"], dmeta["input"]["height"], respaced=args.steps)
        runs = [tuple(int(v) for v in run.split(":")) for run in args.runs.split(",")]
        if not args.no_warmup:
            # untimed, as the Java bench: two reverse steps at each batch size (first-call costs)
            warm = Dvce(unet, clf, dmeta["betas"], dmeta["input"]["height"], respaced=args.steps, reverse=2)
            for batch, _ in runs:
                warm.explain(faces[:batch], torch.Generator().manual_seed(0))
        for batch, count in runs:
            run = f"{batch}:{count}"
            if count > faces.shape[0]:
                raise SystemExit(f"run {run} needs {count} faces; the archive has {faces.shape[0]}")
            timed_unet.seconds = timed_clf.seconds = 0.0
            flipped = 0
            wall, cpu = time.perf_counter(), time.process_time()
            for start in range(0, count, batch):
                g = torch.Generator().manual_seed(args.seed * 1000003 + start)
                flipped += dvce.explain(faces[start:min(count, start + batch)], g)["flipped"]
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            d, c = timed_unet.seconds, timed_clf.seconds
            result[f"batch_{batch}"] = {
                "images": count,
                "seconds_per_counterfactual": wall / count,
                "cpu_seconds_per_counterfactual": cpu / count,
                "share_denoiser_forward": d / wall,
                "share_classifier_forward": c / wall,
                "share_backward_and_rest": (wall - d - c) / wall,
                "peak_rss_mb": peak_rss_mb(),
                "flipped": flipped,
            }
            print(f"python batch {batch}: {wall / count:.2f} s/counterfactual, {flipped}/{count} flipped", file=sys.stderr)
    text = json.dumps(result, indent=2, sort_keys=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
