"""``python -m media prepare``: a phone-like file in, what the site publishes
out (checked with the build's own rules), French messages, no traceback."""

from __future__ import annotations

import subprocess
import sys

from media import webvtt
from media.probe import run_ffprobe, verdict
from medialib import make_clip
from support import ROOT


def prepare(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "media", "prepare", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=240,
                          env={"PYTHONPATH": "plugins", "PATH": "/usr/bin:/bin"})


def test_a_phone_file_becomes_web_video_poster_and_caption_template(tmp_path):
    source = make_clip(tmp_path / "IMG_0042 Été.mov", seconds=4, kind="mov", size="1920x1440")
    done = prepare(str(source), "--dossier", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    video, poster, captions = (tmp_path / "out" / f"img-0042-ete.{ext}"
                               for ext in ("mp4", "webp", "vtt"))
    found = run_ffprobe(video)
    assert verdict(found, "video") is None  # H.264, AAC, faststart
    assert (found.width, found.height) == (1440, 1080)
    assert poster.read_bytes()[8:12] == b"WEBP"
    assert "Vidéo prête" in done.stdout and "durée 4\u00a0s" in done.stdout
    assert "%" in done.stderr  # progress
    text = captions.read_text(encoding="utf-8")
    cues = webvtt.parse(text.replace(webvtt.PLACEHOLDER, "Texte"))
    assert cues and cues[-1].end <= found.duration + 0.01
    # Run again: the editor's captions are never overwritten.
    captions.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nÉcrit à la main.\n", encoding="utf-8")
    again = prepare(str(tmp_path / "out" / "img-0042-ete.mp4"))
    assert again.returncode == 0, again.stderr
    assert "Écrit à la main." in captions.read_text(encoding="utf-8")
    assert (tmp_path / "out" / "img-0042-ete-web.mp4").is_file()


def test_errors_are_one_french_line_without_traceback(tmp_path):
    not_video = tmp_path / "notes.mp4"
    not_video.write_text("pas une vidéo", encoding="utf-8")
    for args in ([str(tmp_path / "absent.mov")], [str(not_video)]):
        done = prepare(*args)
        assert done.returncode == 2
        assert done.stderr.startswith("Erreur : ") and "Traceback" not in done.stderr
    sound = make_clip(tmp_path / "son.mp3", seconds=1, kind="mp3")
    done = prepare(str(sound))
    assert done.returncode == 2 and "ne contient pas d'image" in done.stderr
