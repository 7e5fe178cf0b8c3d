"""Each media block checked and turned into the model of its partial.

``build(block, ctx)`` returns the model (a dict for ``render``) or None when
the block broke a rule; every broken rule is reported through ``ctx.fail``
(« problème ; correction », with the line of the key concerned). The files
named in a block are looked up in the media folder (``MEDIA_PATH``, default
content/media) and never outside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import quote, urlencode

from sitekit import embeds

from . import webvtt
from .probe import FIX, ProbeError, probe, verdict
from .render import transcript_from_cues, transcript_from_text
from .syntax import Block, duration_fr, duration_iso, parse_duration, size_fr

MIME = {"mp4": "video/mp4", "webm": "video/webm"}
FORMAT = {"mp4": "MP4", "webm": "WebM", "mp3": "MP3", "ogg": "Ogg", ".m4a": "M4A"}
POSTER_TYPES = (".webp", ".jpg", ".jpeg", ".png", ".svg", ".avif")
# Not .md: a Markdown file under content/ is a page to the publisher and the checks.
TRANSCRIPT_TYPES = (".txt",)
#: Cues may end this late after the media's end (seconds): rounding of encoders.
CUE_SLACK = 0.25


@dataclass
class Context:
    media_dir: Path  # content/media
    media_url: str  # "{static}/media"
    neutral_poster: str  # the theme's neutral poster (third-party videos)
    cache_dir: str | None
    instances: tuple[str, ...]
    fail: Callable[[str | None, str], None]  # (key or None, French message)
    index: int = 0  # the block's number in its page (unique ids)


def media_file(name: str, key: str, ctx: Context, suffixes=None) -> Path | None:
    """The file of the media folder a key names, or None (reported)."""
    clean = name.strip().removeprefix("{static}/").removeprefix("media/")
    parts = Path(clean).parts
    if not clean or clean.startswith("/") or ".." in parts or "://" in clean or "\\" in clean:
        ctx.fail(key, f"« {name} » n'est pas un nom de fichier du dossier content/media/ ; "
                 "donnez le nom du fichier seul (par exemple « colloque.mp4 »)")
        return None
    if suffixes and Path(clean).suffix.lower() not in suffixes:
        ctx.fail(key, f"« {clean} » : format non accepté pour « {key} » ; "
                 f"formats possibles : {', '.join(suffixes)}")
        return None
    path = ctx.media_dir / clean
    if not path.is_file():
        ctx.fail(key, f"fichier « {clean} » introuvable dans content/media/ ; déposez-le "
                 "dans ce dossier ou corrigez son nom")
        return None
    return path


def url_of(path: Path, ctx: Context) -> str:
    return ctx.media_url + "/" + quote(path.relative_to(ctx.media_dir).as_posix())


def playable(path: Path, kind: str, key: str, ctx: Context):
    """ffprobe's answer for a file that browsers play, or None (reported)."""
    try:
        found = probe(path, ctx.cache_dir)
    except ProbeError as err:
        ctx.fail(key, f"« {path.name} » : {err} ; {FIX}")
        return None
    why = verdict(found, kind)
    if why:
        ctx.fail(key, f"« {path.name} » : {why} ; {FIX}")
        return None
    return found


def captions(block: Block, duration: float, ctx: Context):
    """The cues of the block's caption file, checked against the media's length."""
    path = media_file(block.values["sous-titres"], "sous-titres", ctx, (".vtt",))
    if path is None:
        return None
    try:
        cues = webvtt.parse(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        ctx.fail("sous-titres", f"« {path.name} » n'est pas en UTF-8 ; enregistrez-le en UTF-8")
        return None
    except webvtt.VttError as err:
        ctx.fail("sous-titres", f"« {path.name} » n'est pas un fichier WebVTT valide (ligne "
                 f"{err.line} du fichier : {err.reason}) ; corrigez cette ligne")
        return None
    late = next((c for c in cues if c.end > duration + CUE_SLACK), None)
    if late is not None:
        ctx.fail("sous-titres", f"« {path.name} » : un sous-titre finit à "
                 f"{webvtt.format_time(late.end)}, après la fin du média "
                 f"({webvtt.format_time(duration)}) ; corrigez ses horaires (ligne {late.line} "
                 "du fichier)")
        return None
    return path, cues


def transcript(block: Block, cues, ctx: Context, what: str):
    if "transcription" in block.values:
        path = media_file(block.values["transcription"], "transcription", ctx, TRANSCRIPT_TYPES)
        if path is None:
            return None
        try:
            text = transcript_from_text(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            ctx.fail("transcription", f"« {path.name} » n'est pas en UTF-8 ; enregistrez-le en UTF-8")
            return None
        if not text:
            ctx.fail("transcription", f"« {path.name} » est vide ; écrivez-y ce qui est dit")
            return None
        return text
    if cues:
        return transcript_from_cues(cues)
    ctx.fail(None, f"{what} sans transcription ; ajoutez « transcription: NOM.txt » (le texte de "
             "ce qui est dit et montré) ou « sous-titres: NOM.vtt », d'où elle sera tirée")
    return None


def common(block: Block, path: Path, found, ctx: Context) -> dict:
    return {"title": block.values["titre"], "src": url_of(path, ctx),
            "duration": duration_fr(found.duration), "duration_iso": duration_iso(found.duration),
            "format": FORMAT.get(found.container, found.container.upper()),
            "size": size_fr(path.stat().st_size)}


def video(block: Block, ctx: Context) -> dict | None:
    if "url" in block.values:
        return embed(block.values["url"], block, ctx)
    if "fichier" not in block.values:
        ctx.fail(None, "bloc video sans « fichier: » ni « url: » ; donnez le fichier de "
                 "content/media/ ou l'adresse de la vidéo sur sa plateforme")
        return None
    path = media_file(block.values["fichier"], "fichier", ctx, (".mp4", ".webm"))
    found = playable(path, "video", "fichier", ctx) if path else None
    if "sous-titres" not in block.values:
        ctx.fail(None, "vidéo sans sous-titres français ; ajoutez « sous-titres: NOM.vtt » "
                 "(fichier WebVTT ; « python -m media prepare » en écrit le modèle)")
        return None
    if found is None:
        return None
    cue_file = captions(block, found.duration, ctx)
    if cue_file is None:
        return None
    text = transcript(block, cue_file[1], ctx, "vidéo")
    model = {**common(block, path, found, ctx), "mime": MIME[found.container],
             "captions": url_of(cue_file[0], ctx), "transcript": text,
             "width": found.width, "height": found.height, "poster": "", "described": ""}
    if "affiche" in block.values:
        poster = media_file(block.values["affiche"], "affiche", ctx, POSTER_TYPES)
        model["poster"] = url_of(poster, ctx) if poster else ""
    if "audiodescription" in block.values:
        described = media_file(block.values["audiodescription"], "audiodescription", ctx,
                               (".mp4", ".webm"))
        ad = playable(described, "video", "audiodescription", ctx) if described else None
        if ad:
            model.update(described=url_of(described, ctx), described_format=FORMAT[ad.container],
                         described_size=size_fr(described.stat().st_size))
    return model if text is not None else None


def audio(block: Block, ctx: Context) -> dict | None:
    if "fichier" not in block.values:
        ctx.fail(None, "bloc audio sans « fichier: » ; donnez le fichier de content/media/")
        return None
    path = media_file(block.values["fichier"], "fichier", ctx, (".mp3", ".m4a", ".ogg", ".opus",
                                                                ".webm"))
    found = playable(path, "audio", "fichier", ctx) if path else None
    if found is None:
        return None
    cues = None
    if "sous-titres" in block.values:
        cue_file = captions(block, found.duration, ctx)
        if cue_file is None:
            return None
        cues = cue_file[1]
    text = transcript(block, cues, ctx, "son")
    if text is None:
        return None
    return {**common(block, path, found, ctx), "transcript": text}


def embed(url: str, block: Block | None, ctx: Context) -> dict | None:
    key = "url" if block else None
    found = embeds.parse(url, ctx.instances)
    known = "YouTube, Dailymotion, Vimeo et les instances PeerTube " + ", ".join(ctx.instances)
    if found is None:
        ctx.fail(key, f"« {url} » n'est pas l'adresse d'une plateforme vidéo que le site "
                 f"intègre ({known}) ; mettez un lien simple vers la vidéo, ou faites ajouter "
                 "l'instance PeerTube à PEERTUBE_INSTANCES (plugins/sitekit/embeds.py)")
        return None
    if isinstance(found, str):
        ctx.fail(key, f"« {url} » n'est pas l'adresse d'une vidéo {found} ; copiez l'adresse "
                 "de la page de la vidéo (bouton « Partager »)")
        return None
    values = block.values if block else {}
    model = {"title": values.get("titre") or f"Vidéo {found.platform.name}",
             "platform": found.platform.name, "watch": found.watch_url,
             "player": found.player_url, "duration": "", "duration_iso": "",
             "poster": ctx.neutral_poster, "poster_width": 640, "poster_height": 360,
             "notice_id": f"media-{ctx.index}-notice",
             "notice": (f"En lançant la vidéo, vous vous connectez à {found.platform.name} "
                        f"({found.platform.operator}), qui recevra votre adresse IP et des "
                        "informations sur votre navigateur, et pourra y enregistrer des "
                        "données. Rien ne lui est envoyé avant votre clic.")}
    if values.get("duree"):
        seconds = parse_duration(values["duree"])
        if seconds is None or not math.isfinite(seconds) or seconds <= 0:
            ctx.fail("duree", f"durée « {values['duree']} » illisible ; écrivez-la « 3:12 » ou "
                     "« 3 min 12 s »")
            return None
        model.update(duration=duration_fr(seconds), duration_iso=duration_iso(seconds))
    if values.get("affiche"):
        poster = media_file(values["affiche"], "affiche", ctx, POSTER_TYPES)
        if poster is None:
            return None
        model["poster"] = url_of(poster, ctx)
    return model


def carte(block: Block, ctx: Context) -> dict | None:
    address = block.values.get("adresse", "")
    if not address:
        ctx.fail(None, "bloc carte sans « adresse: » ; écrivez l'adresse du lieu")
        return None
    lat, lon = block.values.get("latitude"), block.values.get("longitude")
    if lat or lon:
        try:
            lat_f, lon_f = float(lat.replace(",", ".")), float(lon.replace(",", "."))
            if not (-90 <= lat_f <= 90 and -180 <= lon_f <= 180):
                raise ValueError
        except (AttributeError, ValueError):
            ctx.fail("latitude" if lat else "longitude", "coordonnées illisibles ; écrivez "
                     "« latitude: 49.0526 » et « longitude: 2.1008 » (degrés décimaux), ou "
                     "retirez-les")
            return None
        osm = ("https://www.openstreetmap.org/?" + urlencode({"mlat": f"{lat_f:.5f}",
               "mlon": f"{lon_f:.5f}"}) + f"#map=17/{lat_f:.5f}/{lon_f:.5f}")
    else:
        osm = "https://www.openstreetmap.org/search?" + urlencode({"query": address})
    return {"title": block.values.get("titre") or address, "address": address, "osm": osm}


BUILDERS = {"video": video, "audio": audio, "carte": carte}
