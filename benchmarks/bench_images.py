"""Image derivatives: what a phone photo costs the build and weighs for readers.

One command:  .venv/bin/python benchmarks/bench_images.py [--megapixels 12] [--size-mb 12]

Makes a synthetic phone photo (smooth areas and sensor grain, EXIF with a GPS
position, about --size-mb megabytes of JPEG at --megapixels), then times
``images.derive.derive`` on it with an empty cache (the first build) and
with the cache filled (every rebuild), and prints the bytes of each
derivative: the one a reader gets at the default width is the figure that
matters (aim: about 100 KB for a 12 MB photo). Figures only, not a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))


def phone_photo(megapixels: float, size_mb: float) -> bytes:
    from PIL import Image, ImageFilter

    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    height = int(width * 3 / 4)
    base = Image.effect_noise((width // 24, height // 24), 70).convert("RGB")
    image = base.resize((width, height), Image.BICUBIC).filter(ImageFilter.GaussianBlur(3))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (49.0, 3.0, 0.0), 3: "E", 4: (2.0, 4.0, 0.0)}
    data = b""
    for grain in (4, 8, 12, 18, 26, 36, 50, 70, 100):
        noisy = Image.blend(image, Image.effect_noise((width, height), 40).convert("RGB"),
                            grain / 100)
        out = BytesIO()
        noisy.save(out, "JPEG", quality=95, exif=exif)
        data = out.getvalue()
        if len(data) >= size_mb * 1e6:
            break
    return data


def main() -> None:
    from images.derive import DEFAULT_WIDTH, derive

    parser = argparse.ArgumentParser()
    parser.add_argument("--megapixels", type=float, default=12)
    parser.add_argument("--size-mb", type=float, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "telephone.jpg")
        source.write_bytes(phone_photo(args.megapixels, args.size_mb))
        print(f"source: {source.stat().st_size / 1e6:.1f} MB, {args.megapixels:g} Mpx")
        stats: dict = {}
        start = time.perf_counter()
        made = derive(source, Path(tmp, "cache"), stats)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        derive(source, Path(tmp, "cache"), stats)
        warm = time.perf_counter() - start
        print(f"derivatives: {cold:.2f} s with an empty cache, {warm * 1000:.1f} ms from the cache")
        for variant in made.variants:
            print(f"  {variant.name}: {variant.width}×{variant.height}, {variant.bytes / 1000:.0f} KB")
        print(f"a reader at the default width ({DEFAULT_WIDTH} px) gets "
              f"{made.default.bytes / 1000:.0f} KB")


if __name__ == "__main__":
    main()
