"""Helpers of the media tests: clips made with Debian's ffmpeg, caption files,
and an article written into a copy of content/."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from support import missing

HEADER = """Title: Un article avec des médias
Date: 2014-03-01
Category: Institution
Summary: Un chapô.

"""
#: The first body line of an article written by ``write_article``.
BODY_LINE = 6
ARTICLE = "content/articles/media-test.md"


def require_ffmpeg() -> None:
    if not shutil.which("ffmpeg") or not shutil.which("ffprobe"):
        missing("Debian's ffmpeg is missing: `make test` installs it")


CODECS = {
    "mp4": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
            "-movflags", "+faststart"],
    "slow.mp4": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"],
    "mpeg4.mp4": ["-c:v", "mpeg4", "-c:a", "aac", "-movflags", "+faststart"],
    "webm": ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-c:a", "libopus"],
    "mov": ["-c:v", "mpeg4", "-c:a", "pcm_s16le"],
}


def make_clip(path: Path, seconds: float = 3, kind: str = "mp4", size: str = "320x180") -> Path:
    """A short clip: test pattern and a tone (``kind``: a key of CODECS, or mp3)."""
    require_ffmpeg()
    path.parent.mkdir(parents=True, exist_ok=True)
    tone = ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    if kind == "mp3":
        args = [*tone, "-c:a", "libmp3lame", "-b:a", "64k"]
    else:
        args = ["-f", "lavfi", "-i", f"testsrc=size={size}:rate=10:duration={seconds}", *tone,
                "-shortest", *CODECS[kind]]
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args, str(path)], check=True)
    return path


def vtt(*cues: tuple[str, str, str]) -> str:
    """A WebVTT file from (start, end, text) cues."""
    return "WEBVTT\n\n" + "\n\n".join(f"{a} --> {b}\n{t}" for a, b, t in cues) + "\n"


GOOD_VTT = vtt(("00:00.200", "00:01.400", "<v Marie>Bonjour à toutes et à tous."),
               ("00:01.500", "00:02.800", "<v Marie>Voici le budget du Département."))


def write_article(content: Path, body: str) -> Path:
    path = content / "articles" / "media-test.md"
    path.write_text(HEADER + body.strip("\n") + "\n", encoding="utf-8")
    return path


def video_block(**values: str) -> str:
    """A ```video block; keys with underscores are written with hyphens."""
    lines = [f"{k.replace('_', '-')}: {v}" for k, v in values.items()]
    return "```video\n" + "\n".join(lines) + "\n```\n"


def problem_lines(message: str) -> list[str]:
    return [line for line in message.splitlines() if ARTICLE in line]
