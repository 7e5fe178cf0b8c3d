"""Captcha strength: how often an off-the-shelf OCR reads our images.

One command:  .venv/bin/python benchmarks/bench_captcha.py [--images 200] [--baseline REF]

It draws N challenges with the service's own code (``comment_service.captcha.media``)
and, in the same run, N with the drawing code of an earlier commit (the
baseline, ``--baseline``: a git revision whose ``comment_service/captcha/media.py`` is
loaded from the repository's history), then attacks both with plain Tesseract
from Debian (installed when missing), told the alphabet, as a bot would:

* three cheap pre-processings: none, Otsu threshold, 3x3 median then Otsu;
* three scales (x1, x2, x3, Lanczos);
* two page modes (``--psm 7`` one line, ``--psm 8`` one word).

That is 18 attacks. It prints, for the baseline and for today's drawing:

* the solve rate of the best single attack (one guess per image) and of
  "any attack" (an image counts when one of the 18 guesses is right: an upper
  bound for a bot that could tell which guess to send);
* the glyph contrast: the WCAG contrast ratio between the colour the glyphs
  are drawn in and the background (minimum and median over the images);
* a readability proxy: the share of glyph pixels that stay at full glyph
  colour after drawing (strokes, warping and smoothing thin a glyph), and the
  mean number of connected dark regions per image (glyphs that touch merge).

Nothing here is a test: figures only. Aim (issue "captcha strength"): best
single attack <= 2 %, any attack <= 5 %, glyph contrast >= 4.5:1.
``--ablation`` also measures today's drawing with each hardening step turned
off in turn, to show what each one is worth.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageFilter, ImageOps

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from comment_service.captcha import challenge as captcha, media  # noqa: E402

SECRET = "benchmark-secret"
# --ablation: today's drawing with one hardening step turned back to neutral.
ABLATIONS = {
    "without touching glyphs": {"GLYPH_GAP": (-2, 6)},
    "without wavy baseline": {"BASELINE_WAVE": 0},
    "without heavier strokes": {"HEAVY_GLYPH_SHARE": 0.0},
    "without crossing strokes": {"CROSSING_STROKES": 0},
}
PREPROCESSINGS = ("none", "otsu", "median+otsu")
SCALES = (1, 2, 3)
PAGE_MODES = (7, 8)


def ensure_tesseract() -> None:
    if shutil.which("tesseract"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("installing Debian's tesseract-ocr ...", flush=True)
    subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                           "tesseract-ocr", "tesseract-ocr-eng"], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def load_baseline(ref: str):
    """``comment_service.captcha.media`` as it was at git revision ``ref`` (a module object)."""
    source = subprocess.run(["git", "show", f"{ref}:comment_service/captcha/media.py"], cwd=ROOT,
                            capture_output=True, text=True)
    if source.returncode != 0:
        raise SystemExit(f"cannot read the baseline drawing at {ref!r}: {source.stderr.strip()}")
    folder = Path(tempfile.mkdtemp(prefix="captcha-baseline-"))
    path = folder / "media_baseline.py"
    # Its data/ folder (fonts) is today's: the baseline reads it through DATA.
    path.write_text(source.stdout.replace(
        'DATA = Path(__file__).resolve().parent / "data"',
        f'DATA = Path({str(ROOT / "comment_service" / "data")!r})'), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("media_baseline", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def challenges(n: int) -> list[tuple[str, int]]:
    """(answer, image seed) for n challenges issued by the service's own code."""
    out = []
    for i in range(n):
        challenge = captcha.issue(SECRET, 1_800_000_000 + i)
        out.append((captcha.answer_for(challenge.token, SECRET),
                    captcha.image_seed(challenge, SECRET)))
    return out


def otsu(image: Image.Image) -> Image.Image:
    """Black and white at Otsu's threshold (the classic global binarisation)."""
    grey = ImageOps.grayscale(image)
    hist = grey.histogram()
    total = sum(hist)
    sum_all = sum(i * h for i, h in enumerate(hist))
    best, threshold, weight_b, sum_b = -1.0, 0, 0, 0
    for t in range(256):
        weight_b += hist[t]
        if weight_b == 0:
            continue
        weight_f = total - weight_b
        if weight_f == 0:
            break
        sum_b += t * hist[t]
        mean_b, mean_f = sum_b / weight_b, (sum_all - sum_b) / weight_f
        between = weight_b * weight_f * (mean_b - mean_f) ** 2
        if between > best:
            best, threshold = between, t
    return grey.point(lambda v: 255 if v > threshold else 0)


def preprocess(image: Image.Image, how: str, scale: int) -> Image.Image:
    if scale != 1:
        image = image.resize((image.width * scale, image.height * scale), Image.Resampling.LANCZOS)
    if how == "otsu":
        return otsu(image)
    if how == "median+otsu":
        return otsu(image.filter(ImageFilter.MedianFilter(3)))
    return ImageOps.grayscale(image)


def _tesseract(args: list[str]) -> str | None:
    """Tesseract's text, or None when it crashes (5.3 dies with SIGFPE on some images)."""
    result = subprocess.run(["tesseract", *args], capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else None


def tesseract_batch(paths: list[Path], psm: int) -> list[str]:
    """One Tesseract process reads every image of the list (one page each); when
    it crashes, each image is read alone and a crash counts as a wrong guess."""
    options = ["stdout", "--psm", str(psm), "-l", "eng", "-c", f"tessedit_char_whitelist={captcha.ALPHABET}"]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(str(p) for p in paths) + "\n")
    try:
        text = _tesseract([listing.name, *options])
    finally:
        os.unlink(listing.name)
    pages = text.split("\f") if text is not None else [_tesseract([str(p), *options]) or "" for p in paths]
    guesses = ["".join(ch for ch in page.upper() if ch in captcha.ALPHABET) for page in pages]
    return (guesses + [""] * len(paths))[:len(paths)]


def attack(images: list[Image.Image], answers: list[str], work: Path) -> dict[str, list[bool]]:
    """Every attack's result per image: {attack name: [solved?, ...]}."""
    results: dict[str, list[bool]] = {}
    for how in PREPROCESSINGS:
        for scale in SCALES:
            folder = work / f"{how}-{scale}"
            folder.mkdir()
            paths = []
            for i, image in enumerate(images):
                path = folder / f"{i:04d}.png"
                preprocess(image, how, scale).save(path)
                paths.append(path)
            for psm in PAGE_MODES:
                guesses = tesseract_batch(paths, psm)
                results[f"{how} x{scale} psm{psm}"] = [g == a for g, a in zip(guesses, answers)]
    return results


def luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readability(image: Image.Image, glyph, background) -> tuple[float, int]:
    """(share of dark pixels at full glyph colour, number of dark connected regions)."""
    grey = ImageOps.grayscale(image)
    g_level = ImageOps.grayscale(Image.new("RGB", (1, 1), tuple(glyph[:3]))).getpixel((0, 0))
    b_level = ImageOps.grayscale(Image.new("RGB", (1, 1), tuple(background[:3]))).getpixel((0, 0))
    middle = (g_level + b_level) / 2
    pixels = list(grey.get_flattened_data())
    dark = [v for v in pixels if v < middle]
    solid = sum(1 for v in dark if abs(v - g_level) <= 12)
    return (solid / len(dark) if dark else 0.0), regions(grey, middle)


def regions(grey: Image.Image, middle: float) -> int:
    """Connected dark regions of at least 30 pixels (4-neighbourhood)."""
    w, h = grey.size
    data = grey.load()
    seen = bytearray(w * h)
    count = 0
    for y in range(h):
        for x in range(w):
            if seen[y * w + x] or data[x, y] >= middle:
                continue
            stack, size = [(x, y)], 0
            seen[y * w + x] = 1
            while stack:
                cx, cy = stack.pop()
                size += 1
                for nx, ny in ((cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1)):
                    if 0 <= nx < w and 0 <= ny < h and not seen[ny * w + nx] and data[nx, ny] < middle:
                        seen[ny * w + nx] = 1
                        stack.append((nx, ny))
            count += size >= 30
    return count


def measure(name: str, module, items: list[tuple[str, int]], work: Path) -> dict:
    started = time.perf_counter()
    images, contrasts, solids, blobs, png_sizes = [], [], [], [], []
    for answer, seed in items:
        image = module.draw_image(answer, seed)
        images.append(image)
        glyph, background = module.colours(seed) if hasattr(module, "colours") else _old_colours(seed)
        contrasts.append(contrast(glyph, background))
        solid, blob = readability(image, glyph, background)
        solids.append(solid)
        blobs.append(blob)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        png_sizes.append(len(buffer.getvalue()))
    draw_ms = (time.perf_counter() - started) * 1000 / len(items)
    audio_ms = audio_time(module, items[:20])
    folder = work / name.replace(" ", "-")
    folder.mkdir()
    results = attack(images, [a for a, _ in items], folder)
    n = len(items)
    best_name, best = max(((k, sum(v)) for k, v in results.items()), key=lambda kv: kv[1])
    any_solved = sum(any(col[i] for col in results.values()) for i in range(n))
    return {"name": name, "n": n, "best_attack": best_name, "best": best / n, "any": any_solved / n,
            "contrast_min": min(contrasts), "contrast_median": statistics.median(contrasts),
            "solid": statistics.mean(solids), "regions": statistics.mean(blobs),
            "draw_ms": draw_ms, "audio_ms": audio_ms, "png_kb": statistics.mean(png_sizes) / 1024,
            "per_attack": {k: sum(v) / n for k, v in results.items()}}


def audio_time(module, items: list[tuple[str, int]]) -> float | None:
    """Milliseconds to render one spoken challenge (WAV), clips already loaded
    (was a timed test, < 150 ms; speed goals live here); None when the drawing
    code has no audio of this shape."""
    if not hasattr(module, "wav"):
        return None
    try:
        module.wav(*items[0])
        started = time.perf_counter()
        for answer, seed in items:
            module.wav(answer, seed)
    except TypeError:
        return None
    return (time.perf_counter() - started) * 1000 / len(items)


def _old_colours(seed: int):
    """The baseline's colours: the first draws of its random generator (see its draw())."""
    import random

    rng = random.Random(seed)
    background = tuple(rng.randint(238, 255) for _ in range(3))
    glyph = tuple(rng.randint(0, 100) for _ in range(3))
    return glyph, background


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=200)
    parser.add_argument("--baseline", default="bc43b51",
                        help="git revision whose drawing is the baseline (default: before hardening)")
    parser.add_argument("--verbose", action="store_true", help="print every attack's rate")
    parser.add_argument("--ablation", action="store_true",
                        help="also measure today's drawing with each hardening step turned off")
    parser.add_argument("--today-only", action="store_true", help="skip the baseline (while tuning)")
    args = parser.parse_args()
    ensure_tesseract()
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    items = challenges(args.images)
    with tempfile.TemporaryDirectory(prefix="bench-captcha-") as tmp:
        work = Path(tmp)
        rows = [] if args.today_only else [measure("baseline", load_baseline(args.baseline), items, work)]
        rows.append(measure("today", media, items, work))
        if args.ablation:
            for name, changes in ABLATIONS.items():
                saved = {k: getattr(media, k) for k in changes}
                vars(media).update(changes)
                try:
                    rows.append(measure(name, media, items, work))
                finally:
                    vars(media).update(saved)
    print(f"\n{args.images} images each, {len(PREPROCESSINGS) * len(SCALES) * len(PAGE_MODES)} attacks "
          f"({version}, alphabet {captcha.ALPHABET} given)\n")
    header = ("drawing", "best single attack", "any attack", "glyph contrast min / median",
              "solid glyph pixels", "dark regions", "draw ms", "audio ms (aim < 150)", "PNG KB")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for r in rows:
        print(f"{r['name']} | {r['best']:.1%} ({r['best_attack']}) | {r['any']:.1%} | "
              f"{r['contrast_min']:.2f}:1 / {r['contrast_median']:.2f}:1 | {r['solid']:.1%} | "
              f"{r['regions']:.1f} | {r['draw_ms']:.1f} | "
              f"{'-' if r['audio_ms'] is None else format(r['audio_ms'], '.1f')} | {r['png_kb']:.1f}")
    base, today = (rows[0], rows[1]) if not args.today_only else (rows[0], rows[0])
    if base["best"]:
        print(f"\nbest single attack, today / baseline: {today['best'] / base['best']:.2f}")
    if base["any"]:
        print(f"any attack, today / baseline: {today['any'] / base['any']:.2f}")
    if args.verbose:
        for r in rows:
            print(f"\n{r['name']}:")
            for k, v in sorted(r["per_attack"].items(), key=lambda kv: -kv[1]):
                print(f"  {k:20s} {v:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
