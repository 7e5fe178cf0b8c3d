"""Editors' raw HTML: an allow-list judged by nh3; anything else stops the build
with the file and the line (plugins/htmlpolicy). Real builds of real content."""

from __future__ import annotations

import re

import pytest

from editorial import ContentError
from htmlpolicy import refusals, sanitise
from support import ROOT

HEADER = """Title: Un article avec du HTML
Date: 2014-03-01
Category: Institution
Summary: {summary}

Premier paragraphe.

"""

HOSTILE = [
    ("<script>alert(1)</script>", "<script>"),
    ('<img src="/theme/x.png" alt="" onerror="alert(1)">', "onerror="),
    ('<a href="javascript:alert(1)">cliquez</a>', "javascript:alert(1)"),
    ('[cliquez](javascript:alert(1))', "javascript:alert(1)"),
    ('<iframe src="https://www.example.com/carte"></iframe>', "<iframe>"),
    ('<p style="color: red">rouge</p>', "style="),
    ('<form action="https://evil.example/"><input name="x"></form>', "<form>"),
]


def write(content_copy, text, summary="Un chapô."):
    path = content_copy / "articles" / "html-editeur.md"
    path.write_text(HEADER.format(summary=summary) + text + "\n", encoding="utf-8")
    return path


def problem_lines(message: str) -> list[str]:
    return [line for line in message.splitlines() if "html-editeur.md" in line]


@pytest.mark.parametrize("snippet,named", HOSTILE)
def test_hostile_html_in_a_body_is_refused_with_file_and_line(build_site, content_copy,
                                                               snippet, named):
    write(content_copy, "Un texte.\n\nDeuxième.\n\n" + snippet)
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    lines = problem_lines(str(err.value))
    assert lines, str(err.value)
    assert any(", ligne 12 :" in line and named in line and "n'est pas autorisé" in line
               for line in lines), lines


@pytest.mark.parametrize("snippet,named", [h for h in HOSTILE if not h[0].startswith("[")][:5])
def test_hostile_html_in_a_summary_is_refused_with_its_line(build_site, content_copy,
                                                            snippet, named):
    write(content_copy, "Rien à signaler.", summary="Un chapô " + snippet)
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    lines = problem_lines(str(err.value))
    assert any(", ligne 4 : dans le résumé (Summary)" in line and named in line
               for line in lines), lines


def test_nothing_is_stripped_silently_every_refusal_is_named(content_copy, build_site):
    write(content_copy, '<p onclick="x()">a</p>\n\n<object data="x.swf"></object>\n\n'
          '<a href="data:text/html,hi">b</a>')
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    lines = problem_lines(str(err.value))
    assert len(lines) == 3, lines
    assert [re.search(r"ligne (\d+)", line).group(1) for line in lines] == ["8", "10", "12"]


ALLOWED = """<abbr title="Conseil départemental">CD</abbr> et <mark>ceci</mark>,
<kbd>Ctrl</kbd>, H<sub>2</sub>O, 10<sup>e</sup>, <time datetime="2014-06-12">12 juin</time>.

<details><summary>Plus</summary>Le détail.</details>

<figure><img src="{static}/images/budget-2014.svg" alt="Budget" width="640" height="360">
<figcaption>Le budget</figcaption></figure>

<table><caption>Chiffres</caption><thead><tr><th scope="col">A</th></tr></thead>
<tbody><tr><td>1</td></tr></tbody></table>

[Un lien](https://www.example.com/), <a href="mailto:contact@valdoise.fr">écrire</a>,
<a href="tel:+33134252930">appeler</a>, [plus bas](#bas).

<p id="bas" class="note" lang="en" dir="ltr">The end.</p>
"""


def test_allowed_html_is_kept_as_written(build_site, content_copy):
    write(content_copy, ALLOWED)
    site = build_site(content=content_copy)
    page = next(site.output.glob("2014/03/01/*/index.html")).read_text(encoding="utf-8")
    for kept in ('<abbr title="Conseil départemental">', "<mark>", "<details>",
                 '<time datetime="2014-06-12">', '<th scope="col">', 'href="tel:+33134252930"',
                 '<p class="note" dir="ltr" id="bas" lang="en">'):
        assert kept in page or kept.replace(' class="note" dir="ltr" id="bas" lang="en"', "") \
            in page, kept


def test_the_real_content_has_nothing_refused(build_site):
    build_site()  # raises ContentError otherwise


def test_refusals_come_from_nh3_and_markdown_output_is_untouched():
    html = ('<p>Texte <em>en</em> <a href="/x/#y">lien</a> et <a href="&#109;ailto:a@b.fr">'
            'm</a></p><pre><code class="language-python">x = 1</code></pre>')
    assert refusals(html) == []
    assert "<script" not in sanitise("<p>a</p><script>alert(1)</script>")
    assert [r.tag for r in refusals("<p>a</p><svg><script>1</script></svg>")][:1] == ["svg"]


def test_the_policy_runs_before_editorial_reports():
    import pelicanconf

    plugins = pelicanconf.PLUGINS
    assert plugins.index("htmlpolicy") < plugins.index("editorial")


def test_nh3_is_pinned():
    pins = (ROOT / "requirements.txt").read_text()
    assert re.search(r"^nh3==\d+\.\d+\.\d+$", pins, re.MULTILINE)
