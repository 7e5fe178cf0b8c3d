"""What a media file is, from Debian's ffprobe, and whether browsers play it.

``probe(path)`` runs ``ffprobe`` once per file version (its answer is kept in
a JSON file under the build's cache folder, keyed by path, size and
modification time) and returns a ``Probe``; ``verdict(probe, kind)`` says in
French why a file is not web-playable, or None. Web-playable: MP4 with H.264
video and AAC sound whose index (``moov``) comes before the data (``mdat``,
« faststart »: playback starts before the whole file is loaded), or WebM
with VP8, VP9 or AV1 and Opus or Vorbis; for sound alone, MP3, AAC in MP4
(faststart), Opus or Vorbis in Ogg or WebM.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

FIX = "convertissez-le avec « PYTHONPATH=plugins python -m media prepare FICHIER »"


class ProbeError(Exception):
    """The file could not be read as a media file (French reason)."""


@dataclass(frozen=True)
class Probe:
    container: str  # "mp4", "webm", "mp3", "ogg" or ffprobe's format name
    video: str  # codec name, "" when none
    audio: str
    duration: float
    width: int = 0
    height: int = 0
    faststart: bool = True


def moov_before_mdat(path: Path) -> bool:
    """Whether an MP4's top-level ``moov`` box comes before its ``mdat``."""
    with open(path, "rb") as f:
        while True:
            head = f.read(8)
            if len(head) < 8:
                return False
            size, kind = struct.unpack(">I4s", head)
            if kind == b"moov":
                return True
            if kind == b"mdat":
                return False
            if size == 1:
                size = struct.unpack(">Q", f.read(8))[0] - 8
            elif size == 0:
                return False
            if size < 8:
                return False
            f.seek(size - 8, os.SEEK_CUR)


def _container(format_name: str) -> str:
    names = set(format_name.split(","))
    for name in ("mp4", "webm", "mp3", "ogg"):
        if name in names:
            return name
    return format_name


def run_ffprobe(path: Path) -> Probe:
    if shutil.which("ffprobe") is None:
        raise ProbeError("ffprobe est absent de cette machine (paquet Debian ffmpeg : "
                         "« make test » ou « apt-get install ffmpeg » l'installe)")
    try:
        done = subprocess.run(
            ["ffprobe", "-v", "error", "-print_format", "json", "-show_format",
             "-show_streams", "--", str(path)],
            capture_output=True, timeout=60, check=False)
    except subprocess.TimeoutExpired as err:
        raise ProbeError("ffprobe n'a pas pu lire le fichier en une minute") from err
    try:
        data = json.loads(done.stdout or b"{}")
    except ValueError:
        data = {}
    if done.returncode != 0 or "format" not in data:
        raise ProbeError("ce n'est pas un fichier vidéo ou son lisible")
    streams = data.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video"
                  and not s.get("disposition", {}).get("attached_pic")), {})
    audio = next((s for s in streams if s.get("codec_type") == "audio"), {})
    container = _container(data["format"].get("format_name", ""))
    try:
        duration = float(data["format"].get("duration") or 0)
    except ValueError:
        duration = 0.0
    return Probe(container, video.get("codec_name", ""), audio.get("codec_name", ""), duration,
                 int(video.get("width") or 0), int(video.get("height") or 0),
                 moov_before_mdat(path) if container == "mp4" else True)


def probe(path: Path, cache_dir: str | None = None) -> Probe:
    """``run_ffprobe`` with its answer kept per file version in ``cache_dir``."""
    stat = path.stat()
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    cache_file = Path(cache_dir) / "media-probes.json" if cache_dir else None
    known = {}
    if cache_file is not None:
        try:
            known = json.loads(cache_file.read_text(encoding="utf-8"))
            if key in known:
                return Probe(**known[key])
        except (OSError, ValueError, TypeError):
            known = {}
    found = run_ffprobe(path)
    if cache_file is not None:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            known[key] = found.__dict__
            tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(known), encoding="utf-8")
            tmp.replace(cache_file)
        except OSError:
            pass  # a cache that cannot be written only costs time
    return found


VIDEO_FORMATS = {"mp4": ({"h264"}, {"aac", ""}), "webm": ({"vp8", "vp9", "av1"}, {"opus", "vorbis", ""})}
AUDIO_FORMATS = {"mp3": {"mp3"}, "mp4": {"aac"}, "ogg": {"opus", "vorbis"}, "webm": {"opus", "vorbis"}}


def verdict(found: Probe, kind: str) -> str | None:
    """Why a file of this kind ("video" or "audio") is not web-playable, or None."""
    described = (f"{found.container or '?'} ({found.video or 'sans image'}, "
                 f"{found.audio or 'sans son'})")
    if kind == "video":
        if not found.video:
            return "ce fichier ne contient pas d'image : pour un son seul, utilisez un bloc ```audio"
        allowed = VIDEO_FORMATS.get(found.container)
        if allowed is None or found.video not in allowed[0] or found.audio not in allowed[1]:
            return (f"la vidéo est au format {described}, que les navigateurs ne lisent pas tous "
                    "(attendu : MP4 H.264 et AAC, ou WebM VP9 et Opus)")
    else:
        allowed_audio = AUDIO_FORMATS.get(found.container)
        if allowed_audio is None or found.audio not in allowed_audio:
            return (f"le son est au format {described}, que les navigateurs ne lisent pas tous "
                    "(attendu : MP3, AAC en MP4, ou Opus)")
    if not found.faststart:
        return ("l'index du fichier MP4 est à la fin (pas de « faststart ») : la lecture "
                "attendrait le téléchargement complet")
    if found.duration <= 0:
        return "la durée du fichier est illisible"
    return None
