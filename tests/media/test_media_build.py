"""Real Pelican builds of a copy of content/ with each media kind, and with
each thing the build refuses (French message, file and line)."""

from __future__ import annotations

import re

import pytest

from editorial import ContentError
from medialib import (ARTICLE, BODY_LINE, GOOD_VTT, make_clip, problem_lines, video_block, vtt,
                      write_article)

URL = "/2014/03/01/un-article-avec-des-medias/"
FENCE = BODY_LINE + 2  # "Intro.", blank line, then the fence


def media(content):
    return content / "media"


def test_a_video_gets_its_player_captions_duration_and_transcript(build_site, content_copy):
    make_clip(media(content_copy) / "budget.mp4", seconds=3)
    (media(content_copy) / "budget.vtt").write_text(GOOD_VTT, encoding="utf-8")
    write_article(content_copy, "Intro.\n\n" + video_block(
        titre="Le budget en trois secondes", fichier="budget.mp4", sous_titres="budget.vtt"))
    site = build_site(content=content_copy)
    soup = site.soup(URL)
    figure = soup.select_one("figure.media--video")
    player = figure.video
    assert player.has_attr("controls") and player["preload"] == "none"
    assert not player.has_attr("autoplay") and not player.has_attr("muted")
    assert player.source["src"] == "/media/budget.mp4" and player.source["type"] == "video/mp4"
    track = player.track
    assert (track["kind"], track["srclang"], track["label"]) == ("captions", "fr", "Français")
    assert track.has_attr("default") and track["src"] == "/media/budget.vtt"
    assert figure.select_one(".media__title").text == "Le budget en trois secondes"
    assert figure.time["datetime"] == "PT3S" and figure.time.text == "3\u00a0s"
    transcript = figure.select_one("details.media__transcript")
    assert transcript.summary.text.startswith("Transcription")
    assert transcript.p.get_text() == ("Marie\u00a0: Bonjour à toutes et à tous. "
                                       "Voici le budget du Département.")
    assert (site.output / "media" / "budget.mp4").is_file()
    head = str(soup.head)
    assert "/theme/css/media.css" in head and "/theme/js/media.js" in head
    # A page without media links neither.
    assert "media.css" not in site.html("/archives/")


def test_a_webm_video_with_its_own_transcript_and_audio_description(build_site, content_copy):
    make_clip(media(content_copy) / "visite.webm", seconds=2, kind="webm")
    make_clip(media(content_copy) / "visite-ad.mp4", seconds=2)
    (media(content_copy) / "visite.vtt").write_text(
        vtt(("00:00.000", "00:01.900", "Une salle.")), encoding="utf-8")
    (media(content_copy) / "visite.txt").write_text(
        "**Guide :** voici la salle <script>x()</script> du conseil.\n", encoding="utf-8")
    write_article(content_copy, "Intro.\n\n" + video_block(
        titre="Visite", fichier="visite.webm", sous_titres="visite.vtt",
        transcription="visite.txt", audiodescription="visite-ad.mp4"))
    figure = build_site(content=content_copy).soup(URL).select_one("figure.media--video")
    assert figure.source["type"] == "video/webm"
    text = figure.select_one(".media__transcript-text")
    assert "voici la salle" in text.get_text() and text.strong.text == "Guide\u00a0:"
    assert text.script is None
    described = figure.find("a", href="/media/visite-ad.mp4")
    assert described.get_text().startswith("Version audiodécrite")


def test_a_sound_gets_its_player_and_transcript(build_site, content_copy):
    make_clip(media(content_copy) / "discours.mp3", seconds=2, kind="mp3")
    (media(content_copy) / "discours.txt").write_text(
        "Mesdames et messieurs,\n\nle Département investit.\n", encoding="utf-8")
    write_article(content_copy, "Intro.\n\n```audio\ntitre: Le discours\nfichier: discours.mp3\n"
                  "transcription: discours.txt\n```\n")
    figure = build_site(content=content_copy).soup(URL).select_one("figure.media--audio")
    assert figure.audio["preload"] == "none" and figure.audio.has_attr("controls")
    assert not figure.audio.has_attr("autoplay")
    assert [p.text for p in figure.select(".media__transcript-text p")] == [
        "Mesdames et messieurs,", "le Département investit."]


@pytest.mark.parametrize("markdown,watch,player_host", [
    ("https://www.youtube.com/watch?v=aqz-KE-bpKQ", "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
     "www.youtube-nocookie.com"),
    ("https://vimeo.com/76979871", "https://vimeo.com/76979871", "player.vimeo.com"),
    ("https://www.dailymotion.com/video/x8abcd1", "https://www.dailymotion.com/video/x8abcd1",
     "www.dailymotion.com"),
    (video_block(url="https://youtu.be/aqz-KE-bpKQ", titre="Le film", duree="10:35"),
     "https://www.youtube.com/watch?v=aqz-KE-bpKQ", "www.youtube-nocookie.com"),
])
def test_a_third_party_video_is_a_card_with_a_link_and_no_frame(build_site, content_copy,
                                                                 markdown, watch, player_host):
    write_article(content_copy, "Intro.\n\n" + markdown + "\n\nSuite.")
    soup = build_site(content=content_copy).soup(URL)
    card = soup.select_one("figure.media--embed")
    assert soup.iframe is None
    assert card.find("a", href=watch).get_text().startswith("Voir la vidéo sur")
    button = card.button
    assert button.has_attr("hidden") and button.get_text().startswith("Lancer la vidéo")
    assert re.match(rf"^https://{re.escape(player_host)}/", button["data-player"])
    assert card.img["src"] == "/theme/images/video-neutre.svg"
    assert "recevra votre adresse IP" in card.select_one(".media__privacy").text
    hosts = set(re.findall(r'(?:src|href)="https?://([^/"]+)', str(soup.select_one(".article__body"))))
    assert hosts <= {"www.youtube.com", "vimeo.com", "www.dailymotion.com"}


def test_an_address_links_to_openstreetmap(build_site, content_copy):
    write_article(content_copy, "Intro.\n\n```carte\ntitre: Abbaye de Maubuisson\nadresse: "
                  "Avenue Richard de Tour, 95310 Saint-Ouen-l'Aumône\n```\n")
    block = build_site(content=content_copy).soup(URL).select_one(".media--map")
    assert block.address.text == "Avenue Richard de Tour, 95310 Saint-Ouen-l'Aumône"
    assert block.a["href"].startswith("https://www.openstreetmap.org/search?query=Avenue")


def refused(build_site, content_copy) -> list[str]:
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    lines = problem_lines(str(err.value))
    assert lines, str(err.value)
    return lines


def test_no_french_captions_is_refused(build_site, content_copy):
    make_clip(media(content_copy) / "a.mp4", seconds=2)
    write_article(content_copy, "Intro.\n\n" + video_block(titre="A", fichier="a.mp4"))
    (line,) = refused(build_site, content_copy)
    assert line.startswith(f"- {ARTICLE}, ligne {FENCE} : vidéo sans sous-titres français ;")
    assert "sous-titres: NOM.vtt" in line


def test_an_invalid_webvtt_file_is_refused_with_its_line(build_site, content_copy):
    make_clip(media(content_copy) / "a.mp4", seconds=2)
    (media(content_copy) / "a.vtt").write_text("WEBVTT\n\n00:00.000 -> 00:01.000\nBonjour\n",
                                               encoding="utf-8")
    write_article(content_copy, "Intro.\n\n" + video_block(titre="A", fichier="a.mp4",
                                                           sous_titres="a.vtt"))
    (line,) = refused(build_site, content_copy)
    assert line.startswith(f"- {ARTICLE}, ligne {FENCE + 3} : « a.vtt » n'est pas un fichier "
                           "WebVTT valide (ligne 3 du fichier : horaire illisible")


def test_captions_past_the_end_of_the_video_are_refused(build_site, content_copy):
    make_clip(media(content_copy) / "a.mp4", seconds=2)
    (media(content_copy) / "a.vtt").write_text(
        vtt(("00:00.000", "00:01.000", "Un."), ("00:01.000", "00:05.000", "Deux.")),
        encoding="utf-8")
    write_article(content_copy, "Intro.\n\n" + video_block(titre="A", fichier="a.mp4",
                                                           sous_titres="a.vtt"))
    (line,) = refused(build_site, content_copy)
    assert f"ligne {FENCE + 3} : « a.vtt » : un sous-titre finit à 00:00:05.000, après la fin" \
        in line and "ligne 6 du fichier" in line


def test_a_sound_without_transcript_is_refused(build_site, content_copy):
    make_clip(media(content_copy) / "s.mp3", seconds=2, kind="mp3")
    write_article(content_copy, "Intro.\n\n```audio\ntitre: Son\nfichier: s.mp3\n```\n")
    (line,) = refused(build_site, content_copy)
    assert line.startswith(f"- {ARTICLE}, ligne {FENCE} : son sans transcription ;")


@pytest.mark.parametrize("kind,why", [
    ("slow.mp4", "pas de « faststart »"),
    ("mpeg4.mp4", "que les navigateurs ne lisent pas tous"),
])
def test_a_video_browsers_cannot_play_is_refused(build_site, content_copy, kind, why):
    make_clip(media(content_copy) / "a.mp4", seconds=2, kind=kind)
    (media(content_copy) / "a.vtt").write_text(GOOD_VTT, encoding="utf-8")
    write_article(content_copy, "Intro.\n\n" + video_block(titre="A", fichier="a.mp4",
                                                           sous_titres="a.vtt"))
    (line,) = refused(build_site, content_copy)
    assert line.startswith(f"- {ARTICLE}, ligne {FENCE + 2} : « a.mp4 » :") and why in line
    assert "python -m media prepare" in line


def test_an_unknown_video_host_is_refused(build_site, content_copy):
    write_article(content_copy, "Intro.\n\n" + video_block(
        url="https://videos.example.org/watch/123", titre="Ailleurs"))
    (line,) = refused(build_site, content_copy)
    assert line.startswith(f"- {ARTICLE}, ligne {FENCE + 1} : « https://videos.example.org/"
                           "watch/123 » n'est pas l'adresse d'une plateforme vidéo que le site "
                           "intègre")
    assert "lien simple" in line


def test_an_unlisted_peertube_instance_on_its_own_line_is_refused(build_site, content_copy):
    write_article(content_copy, "Intro.\n\nhttps://tube.example.net/w/abcdef123456\n")
    (line,) = refused(build_site, content_copy)
    assert line.startswith(f"- {ARTICLE}, ligne {BODY_LINE + 2} :")
    assert "PEERTUBE_INSTANCES" in line


def test_bad_keys_missing_files_and_durations_are_each_reported(build_site, content_copy):
    write_article(content_copy, "Intro.\n\n```video\ntitre: T\nfichier: absent.mp4\n"
                  "sous-titres: a.vtt\ncouleur: bleu\n```\n\n" + video_block(
                      url="https://youtu.be/aqz-KE-bpKQ", titre="Y", duree="longtemps"))
    lines = refused(build_site, content_copy)
    assert any(f"ligne {FENCE + 4} : clé « couleur » inconnue" in line for line in lines)
    assert any(f"ligne {FENCE + 10} : durée « longtemps » illisible" in line for line in lines)
    write_article(content_copy, "Intro.\n\n" + video_block(titre="T", fichier="../../x.mp4",
                                                           sous_titres="a.vtt"))
    lines = refused(build_site, content_copy)
    assert any(f"ligne {FENCE + 2} : « ../../x.mp4 » n'est pas un nom de fichier" in line
               for line in lines)


@pytest.mark.parametrize("raw,tag", [
    ('<video src="/media/a.mp4" controls></video>', "video"),
    ('<audio src="/media/a.mp3"></audio>', "audio"),
    ('<iframe src="https://www.youtube.com/embed/aqz-KE-bpKQ"></iframe>', "iframe"),
])
def test_raw_players_stay_refused_and_the_message_names_the_syntax(build_site, content_copy,
                                                                   raw, tag):
    write_article(content_copy, "Intro.\n\n" + raw + "\n")
    lines = refused(build_site, content_copy)
    assert any(f"ligne {BODY_LINE + 2} : la balise <{tag}> n'est pas autorisée ; une vidéo, "
               "un son ou une carte s'écrit avec un bloc ```video" in line for line in lines)


def test_an_editor_cannot_slip_a_player_past_the_policy_beside_a_component(build_site,
                                                                           content_copy):
    """The component's markup is trusted, not the tags it uses."""
    write_article(content_copy, "Intro.\n\n```carte\ntitre: Ici\nadresse: 1 rue X\n```\n\n"
                  '<video src="/media/a.mp4"></video>\n')
    lines = refused(build_site, content_copy)
    assert any("la balise <video> n'est pas autorisée" in line for line in lines)


def test_the_seed_colloquium_article_has_its_sample_video_and_card(dev_site):
    soup = dev_site.soup("/2014/06/12/inventer-les-services-publics-de-demain/")
    video = soup.select_one("figure.media--video")
    assert "exemple de démonstration" in video.select_one(".media__title").text
    assert video.track["srclang"] == "fr"
    assert soup.select_one("figure.media--embed") is not None
    assert "Exemple de démonstration" in soup.select_one(".article__body").get_text()
    assert (dev_site.output / "media" / "colloque-2014-exemple.mp4").stat().st_size < 1_000_000


def test_a_forged_component_mark_does_not_get_a_player_through(build_site, content_copy):
    """The marks around a component carry a random value of the build."""
    write_article(content_copy, "Intro.\n\n<!--media:0123456789abcdef01234567-->"
                  '<video src="/media/a.mp4"></video><!--/media:0123456789abcdef01234567-->\n')
    lines = refused(build_site, content_copy)
    assert any("la balise <video> n'est pas autorisée" in line for line in lines)
