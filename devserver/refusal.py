"""While the publisher's last build is refused, the preview says so where
the editor looks: every page request (a path ending in ``/`` or ``.html``,
or without a suffix) is answered with a French page listing the problems
(the build's report: file, line, fix), status 503; style sheets, images,
feeds and calendars still come from the last good release (the page uses
the site's style sheet when there is one). Once a build passes again, the
pages are served as before: save the fix, then reload.

Why not the last good page with a banner: the editor is reloading the very
page they changed; an older version of it, even under a banner, reads as
« my change was published ». One answer for every page, until the content
builds again, is what the 404s of a first refused build should have been.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from publisher import refusal

STYLESHEET = "theme/css/main.css"  # THEME_STATIC_DIR of pelicanconf.py


def wants_page(environ) -> bool:
    if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
        return False
    last = environ.get("PATH_INFO", "/").rsplit("/", 1)[-1]
    return last == "" or last.endswith(".html") or "." not in last


def render(report: str, stylesheet: bool) -> str:
    """The page: the report's lines, a list item for each problem (``- …``)."""
    parts, items = [], []

    def flush():
        if items:
            parts.append('<ul class="refusal__problems">'
                         + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for line in report.splitlines():
        if line.startswith("- "):
            items.append(line[2:])
        elif line.strip():
            flush()
            parts.append(f"<p>{escape(line)}</p>")
    flush()
    link = f'<link rel="stylesheet" href="/{STYLESHEET}">' if stylesheet else ""
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Aperçu&nbsp;: modification refusée</title>
{link}
</head>
<body>
<main id="contenu" class="container refusal">
<h1>Aperçu&nbsp;: la dernière modification est refusée</h1>
<p>Le site n'a pas été reconstruit. Corrigez ce qui suit dans vos fichiers et
enregistrez : l'aperçu se reconstruit tout seul. Rechargez ensuite cette page.</p>
<h2>Le rapport de la construction</h2>
{"".join(parts)}
<p>Tant qu'une erreur demeure, chaque page de l'aperçu affiche ce message.</p>
</main>
</body>
</html>
"""


class RefusalPage:
    """Wrap the static site of a publisher's ``root`` (SITE_ROOT)."""

    def __init__(self, site, root: Path):
        self.site, self.root = site, Path(root)

    def __call__(self, environ, start_response):
        report = refusal(self.root) if wants_page(environ) else None
        if report is None:
            return self.site(environ, start_response)
        stylesheet = (self.root / "current" / STYLESHEET).is_file()
        body = render(report, stylesheet).encode("utf-8")
        start_response("503 Service Unavailable", [
            ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))),
            ("Cache-Control", "no-cache"), ("Retry-After", "2")])
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]
