"""The open-data table of published comments: columns, rows, CSV, JSON, schema.

Pure functions, no Pelican import, no I/O (the id pattern is the store's): ``opendata.py`` gathers the rows
from the store's read API and writes the files.

* ``FIELDS``: the columns, the one place they are described; the Table Schema
  (Frictionless, ``schema()``), the CSV header and the JSON keys all come
  from it.
* ``row(...)``: one published comment (and the Département's reply, if any)
  as a dict of strings; never the e-mail address (the stored comment is not
  even passed in: only its public fields are).
* ``to_csv(rows)``: RFC 4180 (UTF-8 without BOM, comma, CRLF line ends,
  fields quoted when they hold a comma, a quote or a line break); a cell a
  spreadsheet would run as a formula is neutralised (``csv_cell``, OWASP
  "CSV injection"), the JSON keeps the exact text.
* ``to_json(rows, meta)``: ``{"metadata": {...}, "commentaires": [...]}``.

Licence: Licence Ouverte / Open Licence 2.0 (Etalab), stated in the schema
and in the JSON metadata (the CSV points to them from the /donnees/ page).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

from comment_service.store import ID_RE

PARIS = ZoneInfo("Europe/Paris")

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
}
CSV_NAME = "commentaires.csv"
JSON_NAME = "commentaires.json"
SCHEMA_NAME = "commentaires.schema.json"
KINDS = {"article": "article", "event": "evenement"}
ID_PATTERN = ID_RE.pattern  # the store's own, written once

# (name, Table Schema type, format or None, required, title, description)
FIELDS = (
    ("contenu_type", "string", None, True, "Type de contenu",
     "article (actualité) ou evenement (agenda)"),
    ("contenu_titre", "string", None, True, "Titre du contenu", "Titre de l'actualité ou de l'événement commenté"),
    ("contenu_url", "string", "uri", True, "Adresse du contenu", "Adresse de la page où le commentaire est publié"),
    ("commentaire_id", "string", None, True, "Identifiant du commentaire",
     "Identifiant unique ; le commentaire est à l'adresse du contenu suivie de #commentaire-<identifiant>"),
    ("auteur", "string", None, False, "Auteur",
     "Nom public choisi par l'auteur du commentaire (vide si l'exploitant ne diffuse pas les noms)"),
    ("date", "datetime", None, True, "Date du commentaire", "Date et heure d'envoi (ISO 8601, heure de Paris)"),
    ("texte", "string", None, True, "Texte du commentaire", "Texte publié, tel qu'il a été écrit"),
    ("reponse_service", "string", None, False, "Service ayant répondu",
     "Service du Département auteur de la réponse"),
    ("reponse_texte", "string", None, False, "Réponse du Département",
     "Texte de la réponse, vide s'il n'y en a pas"),
    ("reponse_date", "datetime", None, False, "Date de la réponse",
     "Date et heure de la dernière version de la réponse (ISO 8601, heure de Paris)"),
)
COLUMNS = tuple(f[0] for f in FIELDS)
#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Said in the schema's description and on the /donnees/ page (one sentence, one place).
CSV_FORMULA_NOTE = ("Dans le fichier CSV, une cellule qui commence par =, +, -, @, une tabulation ou un "
                    "retour chariot est précédée d'une apostrophe ('), pour qu'un tableur ne l'exécute pas "
                    "comme une formule\u202f; le fichier JSON garde le texte exact.")


def iso_paris(value: dt.datetime) -> str:
    """ISO 8601 with the Paris offset, to the second: 2014-06-12T11:15:30+02:00."""
    return value.astimezone(PARIS).replace(microsecond=0).isoformat()


def parse_utc(text: str) -> dt.datetime:
    """A store time (``2026-11-26T10:15:30Z``, or with an offset) as an aware datetime."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.timezone.utc)


def row(*, kind: str, title: str, url: str, comment_id: str, name: str, created: dt.datetime,
        text: str, reply=None) -> dict[str, str]:
    """One line of the table. ``reply`` has ``service``, ``text`` and
    ``updated_at`` (or ``created_at``), or is None."""
    reply_date = ""
    if reply is not None:
        stamp = getattr(reply, "updated_at", "") or getattr(reply, "created_at", "")
        reply_date = iso_paris(parse_utc(stamp)) if stamp else ""
    return {
        "contenu_type": KINDS.get(kind, kind),
        "contenu_titre": title,
        "contenu_url": url,
        "commentaire_id": comment_id,
        "auteur": name,
        "date": iso_paris(created),
        "texte": text,
        "reponse_service": getattr(reply, "service", "") if reply is not None else "",
        "reponse_texte": getattr(reply, "text", "") if reply is not None else "",
        "reponse_date": reply_date,
    }


def csv_cell(value: str) -> str:
    """A cell as the CSV holds it: a leading apostrophe when a spreadsheet would run it as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def to_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows({k: csv_cell(v) for k, v in r.items()} for r in rows)
    return out.getvalue().encode("utf-8")


def dumps(data) -> bytes:
    """JSON as the files are written: UTF-8, characters as themselves, indented."""
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def to_json(rows: list[dict[str, str]], meta: dict) -> bytes:
    return dumps({"metadata": meta, "commentaires": rows})


def metadata(*, publisher: str, site: str, modified: str) -> dict:
    """The JSON file's metadata: who publishes, under which licence, which schema."""
    return {
        "titre": "Commentaires publiés sur le site : " + publisher,
        "producteur": publisher,
        "source": site + "/donnees/",
        "licence": LICENCE,
        "schema": site + "/donnees/" + SCHEMA_NAME,
        "mise_a_jour": modified,
    }


def schema(*, publisher: str, site: str) -> dict:
    """The Frictionless Table Schema of the table (schema.data.gouv.fr style metadata)."""
    fields = []
    for name, type_, fmt, required, title, description in FIELDS:
        field = {"name": name, "title": title, "description": description, "type": type_}
        if fmt:
            field["format"] = fmt
        constraints = {"required": True} if required else {}
        if name == "contenu_type":
            constraints["enum"] = sorted(set(KINDS.values()))
        if name == "commentaire_id":
            constraints.update(pattern=ID_PATTERN, unique=True)
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": "commentaires",
        "title": "Commentaires publiés",
        "description": ("Commentaires publiés par les lecteurs sous les actualités et les événements, "
                        "avec la réponse du Département. Ni adresse électronique ni commentaire non publié. "
                        + CSV_FORMULA_NOTE),
        "homepage": site + "/donnees/",
        "contributors": [{"title": publisher, "role": "author"}],
        "licenses": [LICENCE],
        "missingValues": [""],
        "primaryKey": "commentaire_id",
        "fields": fields,
    }
