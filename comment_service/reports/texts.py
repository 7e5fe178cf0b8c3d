"""Every French sentence of the reports: the reader's pages and the console's.

Typography: a no-break space (U+00A0) before « : ; ! ? » and inside « »,
as in the service's other catalogues (``rules/messages.py``, ``console/texts.py``).
"""

from __future__ import annotations

NB = "\u00a0"

# --- the reader's pages ------------------------------------------------------
TITLE = "Signaler un commentaire"
INTRO = ("Ce commentaire vous semble contraire à la charte de modération ? Dites-nous pourquoi : "
         "un modérateur le relira. Aucun compte n’est nécessaire.").replace(" ?", f"{NB}?").replace(" :", f"{NB}:")
QUOTED = "Le commentaire signalé"
BY = "Écrit par"
REASON_LEGEND = "Motif du signalement"
MESSAGE_LABEL = "Précisions (facultatif)"
MESSAGE_HINT = ("{max} caractères au plus. N’écrivez pas de données personnelles (les vôtres ou celles "
                "d’autrui) : seuls les modérateurs lisent ce message.").replace(" :", f"{NB}:")
SUBMIT = "Envoyer le signalement"
CAPTCHA_NEEDED = ("Vous avez déjà signalé un commentaire il y a peu : recopiez le code de sécurité "
                  "pour envoyer celui-ci.").replace(" :", f"{NB}:")
ERROR_SUMMARY = "Le signalement n’a pas été envoyé"
ERROR_PREFIX = "Erreur : ".replace(" :", f"{NB}:")
REASON_MISSING = "Choisissez un motif dans la liste."
MESSAGE_TOO_LONG = "Les précisions font {count} caractères : {max} au plus.".replace(" :", f"{NB}:")
MESSAGE_CONTROL = "Les précisions contiennent un caractère de contrôle : retirez-le.".replace(" :", f"{NB}:")
BAD_REQUEST = "Ce formulaire de signalement n’a pas pu être lu. Rechargez la page et réessayez."
DONE_TITLE = "Signalement reçu"
DONE = ("Merci. Votre signalement a bien été reçu : un modérateur relira ce commentaire au regard de la "
        "charte de modération.").replace(" :", f"{NB}:")
DONE_HIDDEN = "En attendant, le commentaire est retiré de la page."
BACK = "Revenir à la page « {title} »".replace("« ", f"«{NB}").replace(" »", f"{NB}»")
CHARTER = "Lire la charte de modération"
NOT_FOUND = ("Ce commentaire n’existe pas ou n’est plus publié : il ne peut pas être signalé.").replace(
    " :", f"{NB}:")
RATE_LIMITED = ("Vous avez envoyé beaucoup de signalements en peu de temps. Réessayez dans {minutes}.")
STORE_FAILED = "Le signalement n’a pas pu être enregistré. Réessayez dans quelques minutes."

# --- the console ---------------------------------------------------------------------
VIEW_TITLE = "Commentaires signalés"
VIEW_INTRO = ("Les commentaires publiés que des lecteurs ont signalés, avec leurs signalements ouverts. "
              "« Retirer » le renvoie dans la file d’attente ; « Maintenir » le garde publié "
              "et clôt ses signalements.").replace("« ", f"«{NB}").replace(" »", f"{NB}»").replace(" ;", f"{NB};")
EMPTY = "Aucun signalement en attente."
REPORTS_HEADING = "Signalements ouverts : {count}"
NO_MESSAGE = "(sans précisions)"
RECEIVED = "reçu le {when}"
STATE = {"approved": "Publié", "pending": "Retiré de la page, en attente d’examen",
         "rejected": "Refusé"}
UNPUBLISH = "Retirer"
KEEP = "Maintenir"
ANSWER = "Répondre"
DONE_UNPUBLISH = "Commentaire retiré de la page ; ses signalements sont clos.".replace(" ;", f"{NB};")
DONE_KEEP = "Commentaire maintenu ; ses signalements sont clos.".replace(" ;", f"{NB};")
OUTCOMES = {"open": "ouvert", "kept": "maintenu", "unpublished": "retiré"}
STATE_LABEL = "État"
