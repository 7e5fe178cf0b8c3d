"""The accessibility statement read from its data file (TOML), checked.

``parse(text)`` returns the statement (a dict ready for the template) and
the problems found, each ``(line or None, French message)``: a missing
field, a wrong type, a status that the share contradicts. Pure: no file,
no clock (``rgaa`` says when it is due for renewal).

The fields and their meaning: docs/guide-redaction.md, « La déclaration
d'accessibilité ».
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from urllib.parse import urlparse

from . import rgaa

STATUSES = ("totalement conforme", "partiellement conforme", "non conforme")
LISTS = ("non_conformites", "derogations", "hors_champ")
TEXT_LISTS = ("technologies", "environnement", "outils")
REQUIRED_TEXT = ("entite", "site")
REQUIRED_URLS = ("schema_pluriannuel", "plan_action")
AUDIT_FIELDS = ("date", "auditeur", "taux")
EMAIL_RE = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")


class Problems(list):
    def __init__(self, text: str):
        super().__init__()
        self.lines = text.splitlines()

    def line_of(self, key: str, table: str | None = None) -> int | None:
        """The line of ``key = …`` (in ``[table]`` when given), or of the table."""
        start, inside = 0, table is None
        for number, raw in enumerate(self.lines, 1):
            stripped = raw.strip()
            if stripped.startswith("["):
                inside = table is not None and stripped.strip("[]").strip() == table
                if inside:
                    start = number
                continue
            if inside and re.match(rf"{re.escape(key)}\s*=", stripped):
                return number
        return start or None

    def add(self, key: str, message: str, table: str | None = None) -> None:
        name = f"{table}.{key}" if table else key
        self.append((self.line_of(key, table), f"« {name} » : {message}"))


def _text(data, key, problems, table=None, required=True):
    value = data.get(key)
    if value is None:
        if required:
            problems.add(key, "champ manquant ; ajoutez une ligne "
                         f"« {key} = \"…\" »", table)
        return None
    if not isinstance(value, str) or not value.strip():
        problems.add(key, f"texte vide ou sans guillemets ; écrivez « {key} = \"…\" »", table)
        return None
    return value.strip()


def _url(data, key, problems):
    value = _text(data, key, problems)
    if value is not None and not (value.startswith("/") or urlparse(value).scheme in ("http", "https")):
        problems.add(key, f"« {value} » n'est pas une adresse ; écrivez « https://… » "
                     "ou une adresse du site commençant par « / »")
        return None
    return value


def _date(data, key, problems, table=None):
    value = data.get(key)
    if value is None:
        problems.add(key, f"date manquante ; ajoutez une ligne « {key} = 2026-11-30 »", table)
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        problems.add(key, "date attendue au format AAAA-MM-JJ ; écrivez-la sans "
                     f"guillemets : « {key} = 2026-11-30 »", table)
        return None
    return value


def _list(data, key, problems, explain):
    value = data.get(key)
    if value is None:
        problems.add(key, f"liste manquante ({explain}) ; ajoutez « {key} = [] » "
                     "si elle est vide, sinon « {key} = [\"…\", \"…\"] »".replace("{key}", key))
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(key, f"liste de textes attendue ; écrivez « {key} = [\"…\", \"…\"] »")
        return None
    return [v.strip() for v in value]


def _audit(data, problems, status):
    audit = data.get("audit")
    if audit is None:
        if status != "non conforme":
            problems.append((problems.line_of("etat"), (
                f"« audit » : un site « {status} » doit citer son audit ; ajoutez une "
                "section [audit] avec date, auditeur et taux")))
        return None
    if not isinstance(audit, dict):
        problems.add("audit", "section attendue ; écrivez une ligne « [audit] » suivie de date, auditeur et taux")
        return None
    date = _date(audit, "date", problems, "audit")
    auditor = _text(audit, "auditeur", problems, "audit")
    share = audit.get("taux")
    if share is None:
        problems.add("taux", "taux de conformité manquant ; ajoutez « taux = 82.5 » "
                     "(pourcentage des critères respectés)", "audit")
    elif isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 100:
        problems.add("taux", "pourcentage invalide ; écrivez un nombre de 0 à 100 sans « % » : « taux = 82.5 »", "audit")
        share = None
    if share is not None and status:
        expected = "totalement conforme" if share == 100 else (
            "partiellement conforme" if share >= 50 else "non conforme")
        if expected != status:
            problems.add("etat", f"un taux de {share:g} % correspond à « {expected} », "
                         f"pas à « {status} » ; corrigez l'état ou le taux")
    if None in (date, auditor, share):
        return None
    return {"date": date, "auditeur": auditor, "taux": share,
            "taux_fr": f"{share:g}".replace(".", ",") + "\u00a0%"}


def _pages(data, problems):
    pages = data.get("pages")
    if not pages:
        problems.add("pages", "pages testées manquantes ; ajoutez pour chacune une section "
                     "[[pages]] avec « titre » et « adresse »")
        return None
    if not isinstance(pages, list) or not all(
            isinstance(p, dict) and isinstance(p.get("titre"), str) and p["titre"].strip()
            and isinstance(p.get("adresse"), str) and p["adresse"].strip() for p in pages):
        problems.add("pages", "une section [[pages]] est incomplète ; donnez à chacune « titre » et « adresse »")
        return None
    return [{"titre": p["titre"].strip(), "adresse": p["adresse"].strip()} for p in pages]


def _contact(data, problems):
    contact = data.get("contact")
    if not isinstance(contact, dict):
        problems.add("contact", "section [contact] manquante ; ajoutez-la avec "
                     "« courriel = \"accessibilite@…\" »")
        return None
    email = _text(contact, "courriel", problems, "contact")
    if email is not None and not EMAIL_RE.match(email):
        problems.add("courriel", f"« {email} » n'est pas une adresse électronique ; écrivez « courriel = \"accessibilite@…\" »", "contact")
        email = None
    postal = _text(contact, "adresse_postale", problems, "contact", required=False)
    return None if email is None else {"courriel": email, "adresse_postale": postal}


def parse(text: str) -> tuple[dict | None, list[tuple[int | None, str]]]:
    """The statement, or None, and the problems of the file."""
    problems = Problems(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = re.search(r"line (\d+)", str(err))
        return None, [(int(found.group(1)) if found else None,
                       "le fichier n'est pas lisible (format TOML) ; vérifiez les guillemets, "
                       "les crochets et les signes « = » de cette ligne")]
    statement = {key: _text(data, key, problems) for key in REQUIRED_TEXT}
    status = _text(data, "etat", problems)
    if status is not None and status not in STATUSES:
        problems.add("etat", f"« {status} » n'est pas un état du RGAA ; écrivez "
                     + ", ".join(f"« {s} »" for s in STATUSES[:-1]) + f" ou « {STATUSES[-1]} »")
        status = None
    version = _text(data, "rgaa", problems)
    if version is not None and version not in rgaa.VERSIONS:
        problems.add("rgaa", f"version du RGAA inconnue « {version} » ; versions connues : "
                     + ", ".join(rgaa.VERSIONS) + f" (actuelle : {rgaa.CURRENT})")
        version = None
    statement.update(etat=status, rgaa=version, date=_date(data, "date", problems))
    for key in REQUIRED_URLS:
        statement[key] = _url(data, key, problems)
    explain = {"non_conformites": "les contenus non conformes",
               "derogations": "les dérogations pour charge disproportionnée",
               "hors_champ": "les contenus non soumis à l'obligation d'accessibilité",
               "technologies": "les technologies utilisées",
               "environnement": "les navigateurs et aides techniques des tests",
               "outils": "les outils de l'évaluation"}
    for key in (*LISTS, *TEXT_LISTS):
        statement[key] = _list(data, key, problems, explain[key])
    if status is not None:
        statement["audit"] = _audit(data, problems, status)
    statement["pages"] = _pages(data, problems)
    statement["contact"] = _contact(data, problems)
    if problems:
        return None, list(problems)
    return statement, []
