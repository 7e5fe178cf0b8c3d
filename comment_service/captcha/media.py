"""Captcha image and audio, drawn deterministically from a challenge.

No side effects: the fonts and the audio clips are read from the package's
``data/`` folder (once, then kept in memory); nothing is written anywhere.

The image uses the ``captcha`` library's ImageCaptcha, changed where its
defaults fail (measured in docs/comment-service.md, "The captcha"): glyphs
are pasted solid and dark (every colour channel in 0-100, so at least 5:1
against a background in 238-255; WCAG 1.4.3 needs 4.5:1) instead of masked
by their own brightness, the image is 280x90 so five glyphs fit, and the
fonts are shipped with the package (DejaVu Sans Bold, DejaVu Serif Bold and
the library's DroidSansMono). Against off-the-shelf OCR the glyphs touch,
sit on a wavy baseline, some have a heavier stroke, and three strokes of
the glyphs' own colour cross them (see ``_SeededCaptcha``;
``benchmarks/bench_captcha.py`` measures the effect). Every random draw
comes from a ``random.Random`` seeded from the token, so every worker draws
the same image.

The audio mixes the recorded clips into low-level noise, each clip with its
own gain, after random pauses and a random start offset, all drawn from a
``random.Random`` seeded from the token: every worker renders the same bytes
for a token, and no clip's bytes (nor any run of its samples) appear as
recorded, so the code cannot be read back by matching the committed clips.
It is served as MP3 (``lameenc``, about 50 KB) and, for tools, as WAV.
"""

from __future__ import annotations

import io
import math
import random
import sys
import threading
import wave
from array import array
from pathlib import Path

import lameenc
from captcha.image import DEFAULT_FONTS, ImageCaptcha
from PIL import Image, ImageDraw, ImageFilter
from PIL.Image import Resampling, Transform

DATA = Path(__file__).resolve().parent / "data"
FONTS = [str(DATA / "fonts" / "DejaVuSans-Bold.ttf"), str(DATA / "fonts" / "DejaVuSerif-Bold.ttf"), *DEFAULT_FONTS]
FONT_SIZES = (52, 58, 64)
WIDTH, HEIGHT = 280, 90
# Hardening (each measured by benchmarks/bench_captcha.py; see _SeededCaptcha).
GLYPH_GAP = (-7, 0)  # px between neighbouring glyphs: negative, they touch
BASELINE_WAVE = 7  # px up or down
HEAVY_GLYPH_SHARE = 0.5
CROSSING_STROKES = 3
STROKE_WIDTHS = (2, 2, 3)  # mostly thin: people read through them
AUDIO_DIR = DATA / "audio"
# Audio rendering: every range is drawn from per token.
LEAD_SECONDS = (0.1, 0.6)  # silence before the intro (start offset)
GAP_SECONDS = (0.4, 0.75)  # silence between two characters
PAUSE_SECONDS = (1.0, 1.4)  # between the intro, the code and the repetition
REPEAT_GAP_SECONDS = (0.45, 0.75)  # between "Je répète" and the code again
TAIL_SECONDS = (0.2, 0.5)
GAIN = (0.75, 1.0)  # per clip
MP3_KBPS, MP3_RATE = 16, 16000  # speech: about 2 KB a second
_GAIN_BITS = 15  # gains in fixed point: integer arithmetic is faster in pure Python
# Noise: one signed byte per sample (-128..127, about -53 dBFS RMS), on every sample.

_local = threading.local()


class _SeededCaptcha(ImageCaptcha):
    """ImageCaptcha whose random draws come from ``self.rng`` (not ``secrets``).

    Hardened against off-the-shelf OCR (benchmarks/bench_captcha.py measures
    each step) while every glyph stays solid, dark and whole for people:

    * glyphs overlap their neighbours a little and sit on a wavy baseline, so
      a line recogniser cannot cut the text into characters;
    * about half of the glyphs get a heavier stroke;
    * three long, mostly thin strokes in the glyphs' own colour cross the
      text: thresholding (Otsu) and median filters keep them, as they keep
      the glyphs (this step does most of the work: without it the best
      attack reads 11.5 % of the images instead of 0.5 to 1 %).

    Bending the whole image along a sine wave was measured too and moved
    nothing: it is not done.
    """

    character_rotate = (-25, 25)

    def __init__(self, truefonts, rng: random.Random):
        super().__init__(width=WIDTH, height=HEIGHT, fonts=FONTS, font_sizes=FONT_SIZES)
        self._truefonts = truefonts
        self.rng = rng

    def _draw_character(self, c, draw, color):
        rng = self.rng
        font = rng.choice(self.truefonts)
        _, _, w, h = draw.multiline_textbbox((1, 1), c, font=font)
        dx1 = rng.randint(*self.character_offset_dx)
        dy1 = rng.randint(*self.character_offset_dy)
        im = Image.new("RGBA", (int(w) + dx1, int(h) + dy1))
        ImageDraw.Draw(im).text((dx1, dy1), c, font=font, fill=color)
        im = im.crop(im.getbbox())
        if rng.random() < HEAVY_GLYPH_SHARE:  # a heavier stroke: grow the glyph's mask
            im = _thicken(im, color)
        im = im.rotate(rng.uniform(*self.character_rotate), Resampling.BILINEAR, expand=True)
        # Warp the glyph a little (same shape of transform as the library).
        dx2 = w * rng.uniform(*self.character_warp_dx)
        dy2 = h * rng.uniform(*self.character_warp_dy)
        x1, x2 = int(rng.uniform(-dx2, dx2)), int(rng.uniform(-dx2, dx2))
        y1, y2 = int(rng.uniform(-dy2, dy2)), int(rng.uniform(-dy2, dy2))
        w2 = int(w) + abs(x1) + abs(x2)
        h2 = int(h) + abs(y1) + abs(y2)
        data = (x1, y1, -x1, h2 - y2, w2 + x2, h2 + y2, w2 - x2, -y1)
        im = im.resize((w2, h2))
        return im.transform((int(w), int(h)), Transform.QUAD, data)

    def create_captcha_image(self, chars, color, background):
        rng = self.rng
        image = Image.new("RGB", (self._width, self._height), background)
        draw = ImageDraw.Draw(image)
        glyphs = [self._draw_character(c, draw, color) for c in chars]
        gaps = [rng.randint(*GLYPH_GAP) for _ in glyphs[1:]] + [0]
        text_width = sum(g.size[0] for g in glyphs) + sum(gaps)
        width = max(text_width + 16, self._width)
        image = image.resize((width, self._height))
        offset = max(8, (width - text_width) // 2 + rng.randint(-6, 6))
        phase, period = rng.uniform(0, 6.283), rng.uniform(70, 110)
        for glyph, gap in zip(glyphs, gaps):
            w, h = glyph.size
            # Solid glyph: the alpha channel is the mask (the library used the
            # glyph's brightness, which made dark text pale). Wavy baseline.
            wave_dy = int(BASELINE_WAVE * math.sin(phase + 6.283 * offset / period))
            top = min(max(0, (self._height - h) // 2 + wave_dy), max(0, self._height - h))
            image.paste(glyph, (offset, top), glyph.getchannel("A"))
            offset += w + gap
        if width > self._width:
            image = image.resize((self._width, self._height), Resampling.LANCZOS)
        return image

    def noise(self, image, color):
        rng = self.rng
        draw = ImageDraw.Draw(image)
        w, h = image.size
        for _ in range(rng.randint(30, 40)):
            x, y = rng.randrange(w), rng.randrange(h)
            draw.line(((x, y), (x - 1, y - 1)), fill=color, width=2)
        for _ in range(CROSSING_STROKES):
            # A long stroke through the text band, in the glyphs' own colour.
            y0, amplitude = rng.uniform(h * 0.35, h * 0.65), rng.uniform(6, 14)
            phase, period = rng.uniform(0, 6.283), rng.uniform(90, 200)
            start, end = rng.randint(0, w // 6), rng.randint(w * 5 // 6, w)
            points = [(x, y0 + amplitude * math.sin(phase + 6.283 * x / period)) for x in range(start, end, 4)]
            draw.line(points, fill=color, width=rng.choice(STROKE_WIDTHS), joint="curve")
        return image

    def draw(self, chars: str) -> Image.Image:
        background, color = _colours(self.rng)
        image = self.create_captcha_image(chars, color + (255,), background)
        self.noise(image, color)
        return image.filter(ImageFilter.SMOOTH)


def _colours(rng: random.Random) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(background, glyph colour): the first draws of a challenge's generator."""
    background = tuple(rng.randint(238, 255) for _ in range(3))
    color = tuple(rng.randint(0, 100) for _ in range(3))
    return background, color


def colours(seed: int) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(glyph colour, background) of the image drawn from ``seed`` (for contrast checks)."""
    background, color = _colours(random.Random(seed))
    return color, background


def _thicken(glyph: Image.Image, color) -> Image.Image:
    """The glyph with a stroke about 2 px heavier (its mask grown by a 3x3 max filter)."""
    pad = Image.new("RGBA", (glyph.width + 4, glyph.height + 4))
    pad.paste(glyph, (2, 2))
    mask = pad.getchannel("A").filter(ImageFilter.MaxFilter(3))
    solid = Image.new("RGBA", pad.size, color)
    solid.putalpha(mask)
    return solid


def _truefonts():
    fonts = getattr(_local, "fonts", None)
    if fonts is None:
        # FreeType objects are kept per thread: they are not documented as thread-safe.
        fonts = _local.fonts = ImageCaptcha(fonts=FONTS, font_sizes=FONT_SIZES).truefonts
    return fonts


def draw_image(answer: str, seed: int) -> Image.Image:
    return _SeededCaptcha(_truefonts(), random.Random(seed)).draw(answer)


def png(answer: str, seed: int) -> bytes:
    """The captcha image as PNG bytes; same answer and seed give the same bytes."""
    out = io.BytesIO()
    draw_image(answer, seed).save(out, format="PNG", optimize=False)
    return out.getvalue()


_clips: dict[str, bytes] | None = None
_params: tuple | None = None
_clips_lock = threading.Lock()


def _load_clips() -> tuple[dict[str, bytes], tuple]:
    global _clips, _params
    with _clips_lock:
        if _clips is None:
            clips: dict[str, bytes] = {}
            params = None
            for path in sorted(AUDIO_DIR.glob("*.wav")):
                with wave.open(str(path), "rb") as w:
                    p = (w.getnchannels(), w.getsampwidth(), w.getframerate())
                    if params is None:
                        params = p
                    elif p != params:
                        raise RuntimeError(f"audio clip {path.name} has format {p}, expected {params}")
                    clips[path.stem] = w.readframes(w.getnframes())
            _clips, _params = clips, params
    return _clips, _params


def _samples(frames: bytes) -> array:
    """16-bit little-endian frames as an array of ints."""
    samples = array("h")
    samples.frombytes(frames)
    if sys.byteorder == "big":  # pragma: no cover - WAV data is little-endian
        samples.byteswap()
    return samples


def _render_audio(answer: str, seed: int) -> tuple[bytes, int]:
    """French audio: an intro, the characters with pauses, "Je répète", the characters again.

    Returns (16-bit little-endian mono frames, sample rate); same answer and
    seed give the same frames. The clips are mixed into noise
    with a gain each, after pauses drawn from the seed.
    """
    clips, (channels, width, rate) = _load_clips()
    if (channels, width) != (1, 2):
        raise RuntimeError(f"audio clips must be mono 16-bit, not {channels} channel(s) of {width} bytes")
    rng = random.Random(seed)

    def pause(bounds: tuple[float, float]) -> int:
        return int(rate * rng.uniform(*bounds))

    placements: list[tuple[int, str, int]] = []  # (first sample, clip, fixed-point gain)
    position = pause(LEAD_SECONDS)

    def say(name: str) -> None:
        nonlocal position
        placements.append((position, name, int(rng.uniform(*GAIN) * (1 << _GAIN_BITS))))
        position += len(clips[name]) // width

    say("intro")
    for round_ in range(2):
        position += pause(PAUSE_SECONDS) if round_ == 0 else pause(REPEAT_GAP_SECONDS)
        for i, char in enumerate(answer):
            if i:
                position += pause(GAP_SECONDS)
            say(char)
        if round_ == 0:
            position += pause(PAUSE_SECONDS)
            say("repeat")
    position += pause(TAIL_SECONDS)

    out = array("h", array("b", rng.randbytes(position)))  # the noise floor
    for start, name, gain in placements:
        clip = _samples(clips[name])
        end = start + len(clip)
        mixed = [(x * gain >> _GAIN_BITS) + n for x, n in zip(clip, out[start:end])]
        if max(mixed) > 32767 or min(mixed) < -32768:
            mixed = [32767 if v > 32767 else -32768 if v < -32768 else v for v in mixed]
        out[start:end] = array("h", mixed)
    if sys.byteorder == "big":  # pragma: no cover
        out.byteswap()
    return out.tobytes(), rate


def wav(answer: str, seed: int) -> bytes:
    """The audio as 16-bit PCM WAV (about 0.5 MB: for tools, not for visitors)."""
    frames, rate = _render_audio(answer, seed)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    return buffer.getvalue()


def mp3(answer: str, seed: int) -> bytes:
    """The audio as MP3 (MPEG-2 layer III, 16 kHz, 16 kbit/s, mono: about 50 KB for
    25 s, which every browser plays); same answer and seed give the same bytes."""
    frames, rate = _render_audio(answer, seed)
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(MP3_KBPS)
    encoder.set_in_sample_rate(rate)
    encoder.set_out_sample_rate(MP3_RATE)
    encoder.set_channels(1)
    encoder.set_quality(2)
    return bytes(encoder.encode(frames) + encoder.flush())
