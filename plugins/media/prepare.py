"""Make a phone or camera video web-ready with Debian's ffmpeg (``prepare``).

From one file: ``NAME.mp4`` (H.264 and AAC, index first « faststart », at
most 1080 lines, CRF 23 capped at ``MAXRATE``, x264's « veryfast » preset: an
editor's laptop, not a render farm), ``NAME.webp`` (the poster, a frame at a tenth of
the length), and ``NAME.vtt`` (the French caption template: one « À ÉCRIRE »
cue per stretch of speech found by ffmpeg's silencedetect, at most
``MAX_CUE`` seconds each), unless a caption file of that name exists. Each
step's outcome is a French line; a long conversion shows its progress.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import webvtt
from .probe import Probe, ProbeError, run_ffprobe
from .syntax import duration_fr, size_fr

CRF = 23
PRESET = "veryfast"
#: A ceiling for grainy footage (CRF alone would keep the grain, at any size).
MAXRATE, BUFSIZE = "5M", "10M"
MAX_LINES = 1080
MAX_CUE = 6.0
#: Longest silence kept inside one cue, and the noise floor of silence.
SILENCE = "silencedetect=noise=-32dB:d=0.5"
# The shorter side at most MAX_LINES (portrait phone videos too), even sizes.
SCALE = (f"scale='if(gte(iw,ih),-2,min(iw,{MAX_LINES}))':"
         f"'if(gte(iw,ih),min(ih,{MAX_LINES}),-2)'")


class PrepareError(Exception):
    """A French sentence for the editor."""


@dataclass
class Prepared:
    video: Path
    poster: Path
    captions: Path | None  # None when a caption file was already there
    duration: float


def slug(stem: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "video"


def ffmpeg(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-y", *args],
                          capture_output=True, check=False, **kwargs)


def convert(source: Path, target: Path, found: Probe, progress) -> None:
    args = ["-i", str(source), "-map", "0:v:0", "-map", "0:a:0?", "-vf", SCALE,
            "-c:v", "libx264", "-preset", PRESET, "-crf", str(CRF), "-maxrate", MAXRATE,
            "-bufsize", BUFSIZE, "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-movflags", "+faststart",
            "-progress", "pipe:1", "-nostats", str(target)]
    with subprocess.Popen(["ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error", *args],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        for line in proc.stdout:
            if line.startswith("out_time_us=") and found.duration > 0:
                try:
                    done = int(line.split("=", 1)[1]) / 1e6
                except ValueError:
                    continue
                progress(min(done / found.duration, 1.0), done, found.duration)
        errors = proc.stderr.read()
    if proc.returncode != 0:
        last = (errors.strip().splitlines() or ["erreur inconnue"])[-1]
        raise PrepareError(f"ffmpeg n'a pas pu convertir « {source.name} » ({last})")


def poster(video: Path, target: Path, duration: float) -> None:
    done = ffmpeg(["-ss", f"{duration / 10:.2f}", "-i", str(video), "-frames:v", "1",
                   "-vf", "scale='min(iw,1280)':-2", "-c:v", "libwebp", "-quality", "75",
                   str(target)])
    if done.returncode != 0 or not target.is_file():
        raise PrepareError(f"l'affiche de « {video.name} » n'a pas pu être extraite")


def speech_spans(video: Path, duration: float) -> list[tuple[float, float]]:
    """Stretches of sound between silences, cut to MAX_CUE seconds."""
    done = ffmpeg(["-vn", "-i", str(video), "-af", SILENCE, "-f", "null", "-"], text=True)
    starts = [float(v) for v in re.findall(r"silence_start: (-?[\d.]+)", done.stderr)]
    ends = [float(v) for v in re.findall(r"silence_end: ([\d.]+)", done.stderr)]
    spans, cursor = [], 0.0
    for i, start in enumerate(starts):
        if start - cursor > 0.3:
            spans.append((max(cursor, 0.0), start))
        cursor = ends[i] if i < len(ends) else duration
    if duration - cursor > 0.3:
        spans.append((cursor, duration))
    if done.returncode != 0 or not spans:
        spans = [(0.0, duration)]
    cut = []
    for begin, end in spans:
        while end - begin > MAX_CUE:
            cut.append((begin, begin + MAX_CUE))
            begin += MAX_CUE
        cut.append((begin, end))
    return [(round(b, 3), round(min(e, duration), 3)) for b, e in cut if e - b > 0.05]


def prepare(source: Path, folder: Path | None = None, say=print, progress=None) -> Prepared:
    if shutil.which("ffmpeg") is None:
        raise PrepareError("ffmpeg est absent de cette machine ; installez le paquet Debian "
                           "ffmpeg (« make test » ou « apt-get install ffmpeg »)")
    if not source.is_file():
        raise PrepareError(f"« {source} » n'existe pas ou n'est pas un fichier")
    try:
        found = run_ffprobe(source)
    except ProbeError as err:
        raise PrepareError(f"« {source.name} » : {err}") from err
    if not found.video:
        raise PrepareError(f"« {source.name} » ne contient pas d'image : pour un son, "
                           "exportez-le en MP3")
    folder = folder or source.parent
    folder.mkdir(parents=True, exist_ok=True)
    name = slug(source.stem)
    video = folder / f"{name}.mp4"
    if video.resolve() == source.resolve():
        video = folder / f"{name}-web.mp4"
        name = video.stem
    say(f"Conversion de « {source.name} » ({duration_fr(found.duration)}) en « {video.name} »…")
    convert(source, video, found, progress or (lambda *a: None))
    result = run_ffprobe(video)
    say(f"Vidéo prête : {video} ({size_fr(video.stat().st_size)}, "
        f"{result.width}×{result.height}, durée {duration_fr(result.duration)}).")
    image = folder / f"{name}.webp"
    poster(video, image, result.duration)
    say(f"Affiche : {image} ({size_fr(image.stat().st_size)}).")
    captions = folder / f"{name}.vtt"
    if captions.exists():
        say(f"Sous-titres : « {captions.name} » existe déjà, il n'a pas été modifié.")
        return Prepared(video, image, None, result.duration)
    spans = speech_spans(video, result.duration) if result.audio else \
        [(float(t), min(t + 4.0, result.duration)) for t in range(0, int(result.duration), 4)]
    captions.write_text(webvtt.template(spans), encoding="utf-8")
    say(f"Modèle de sous-titres : {captions} ({len(spans)} sous-titres à écrire : "
        f"remplacez chaque « {webvtt.PLACEHOLDER} » par ce qui est dit).")
    return Prepared(video, image, captions, result.duration)


def progress_printer(stream=sys.stderr):
    """Progress in French: one line per tenth, or one updated line on a terminal."""
    state = {"shown": -1}
    live = stream.isatty()

    def show(fraction: float, done: float, total: float) -> None:
        step = int(fraction * 10)
        if live:
            stream.write(f"\r  {fraction:4.0%} ({duration_fr(done)} sur {duration_fr(total)})"
                         .replace("%", "\u00a0%"))
            if fraction >= 1:
                stream.write("\n")
        elif step > state["shown"]:
            state["shown"] = step
            stream.write(f"  {step * 10}\u00a0% ({duration_fr(done)} sur {duration_fr(total)})\n")
        stream.flush()

    return show
