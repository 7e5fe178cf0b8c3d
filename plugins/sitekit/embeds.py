"""Third-party video platforms the site may embed, written once.

The media plugin (plugins/media) turns a watch address of one of these
platforms into a click-to-load card; the Content-Security-Policy of the
development launcher (devserver/static.py) and of nginx (deploy/nginx/csp.conf,
kept equal by a test) allows frames from ``frame_sources()`` only. Adding a
PeerTube instance is one line in ``PEERTUBE_INSTANCES`` (then copy the policy
string into csp.conf and docs/publishing.md: the tests say when they differ).

Pure: no Pelican, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

#: The PeerTube instances whose videos the site embeds (host names).
PEERTUBE_INSTANCES: tuple[str, ...] = ("tube-numerique-educatif.apps.education.fr",)


@dataclass(frozen=True)
class Platform:
    key: str
    name: str  # shown to readers: « Voir sur YouTube »
    operator: str  # who receives the request: « Google »
    frame_host: str  # the only host the iframe loads from


YOUTUBE = Platform("youtube", "YouTube", "Google", "www.youtube-nocookie.com")
VIMEO = Platform("vimeo", "Vimeo", "Vimeo", "player.vimeo.com")
DAILYMOTION = Platform("dailymotion", "Dailymotion", "Dailymotion", "www.dailymotion.com")
PLATFORMS = (YOUTUBE, VIMEO, DAILYMOTION)


@dataclass(frozen=True)
class Embed:
    platform: Platform
    video_id: str
    watch_url: str  # the platform's own page (the link readers without JavaScript get)
    player_url: str  # loaded in the iframe, only after the click


YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
NUMERIC_ID = re.compile(r"^[0-9]{1,12}$")
DAILYMOTION_ID = re.compile(r"^[A-Za-z0-9]{5,12}$")
PEERTUBE_ID = re.compile(r"^[A-Za-z0-9-]{8,40}$")
PEERTUBE_PATHS = re.compile(r"^/(?:w|videos/watch|videos/embed)/([^/]+)/?$")


def peertube(host: str) -> Platform:
    return Platform("peertube", f"PeerTube ({host})", f"l'instance PeerTube {host}", host)


def frame_sources(instances=PEERTUBE_INSTANCES) -> tuple[str, ...]:
    """The CSP frame-src sources: every platform's player host, https only."""
    return tuple(f"https://{host}" for host in
                 [p.frame_host for p in PLATFORMS] + list(instances))


def _youtube(host: str, path: str, query: dict) -> str | None:
    if host == "youtu.be":
        return path.strip("/")
    if path == "/watch":
        return (query.get("v") or [""])[0]
    match = re.match(r"^/(?:embed|shorts|live)/([^/]+)/?$", path)
    return match[1] if match else None


def parse(url: str, instances=PEERTUBE_INSTANCES) -> Embed | None | str:
    """The embed for a watch address, None when the host is no video platform
    the site knows, or the platform's name when its address is not a video's."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host, path, query = parts.hostname.lower(), parts.path, parse_qs(parts.query)
    bare = host.removeprefix("www.").removeprefix("m.")
    if bare in ("youtube.com", "youtu.be", "youtube-nocookie.com"):
        vid = _youtube(bare, path, query)
        if not vid or not YOUTUBE_ID.match(vid):
            return YOUTUBE.name
        return Embed(YOUTUBE, vid, f"https://www.youtube.com/watch?v={vid}",
                     f"https://{YOUTUBE.frame_host}/embed/{vid}?autoplay=1&rel=0")
    if bare in ("vimeo.com", "player.vimeo.com"):
        vid = path.strip("/").split("/")[-1]
        if not NUMERIC_ID.match(vid):
            return VIMEO.name
        return Embed(VIMEO, vid, f"https://vimeo.com/{vid}",
                     f"https://{VIMEO.frame_host}/video/{vid}?dnt=1&autoplay=1")
    if bare in ("dailymotion.com", "dai.ly", "geo.dailymotion.com"):
        vid = path.strip("/").split("/")[-1].split("_")[0] if bare != "geo.dailymotion.com" \
            else (query.get("video") or [""])[0]
        if not DAILYMOTION_ID.match(vid):
            return DAILYMOTION.name
        return Embed(DAILYMOTION, vid, f"https://www.dailymotion.com/video/{vid}",
                     f"https://{DAILYMOTION.frame_host}/embed/video/{vid}?autoplay=1")
    if host in instances:
        platform = peertube(host)
        match = PEERTUBE_PATHS.match(path)
        if not match or not PEERTUBE_ID.match(match[1]):
            return platform.name
        vid = match[1]
        return Embed(platform, vid, f"https://{host}/w/{vid}",
                     f"https://{host}/videos/embed/{vid}?autoplay=1&warningTitle=0")
    return None


def looks_like_peertube(url: str) -> bool:
    """A PeerTube watch address (of an instance not listed, if ``parse`` said None)."""
    try:
        return bool(PEERTUBE_PATHS.match(urlsplit(url.strip()).path))
    except ValueError:
        return False
