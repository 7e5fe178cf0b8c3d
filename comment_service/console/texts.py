"""The moderation console's French texts, in one place (moderator-facing; the
visitor-facing catalogue is ``comment_service/rules/messages.py``).

Typography as on the site: U+202F (narrow no-break space) before ; ! ? and
U+00A0 (no-break space) before : and inside « ».
"""

from __future__ import annotations

NNBSP = "\u202f"
NBSP = "\u00a0"

CONSOLE = "Modération des commentaires"
VIEWS = {"pending": "En attente", "approved": "Publiés", "rejected": "Refusés"}
VIEW_TITLES = {"pending": "Commentaires en attente", "approved": "Commentaires publiés",
               "rejected": "Commentaires refusés"}
EMPTY = {"pending": "Aucun commentaire n'attend de modération.", "approved": "Aucun commentaire publié.",
         "rejected": "Aucun commentaire refusé."}
NO_MATCH = "Aucun commentaire ne correspond à cette recherche."
LOGOUT = "Se déconnecter"
LOGGED_AS = "Connecté en tant que"
TOTP_LINK = "Double authentification"
PUBLICATIONS_LINK = "Publications"
ACCESSIBILITY_LINK = "Accessibilité"  # the requests (comment_service/accessibility/console.py)
REPORTS_LINK = "Signalements"  # readers' reports (comment_service/reports/console.py)

# Login.
LOGIN_TITLE = "Connexion à la modération"
LOGIN_NAME = "Identifiant"
LOGIN_PASSWORD = "Mot de passe"
LOGIN_CODE = "Code de vérification (si la double authentification est activée)"
LOGIN_CODE_HINT = "Les 6 chiffres affichés par votre application d'authentification."
LOGIN_SUBMIT = "Se connecter"
LOGIN_FAILED = ("Identifiant, mot de passe ou code de vérification incorrect. "
                "Vérifiez votre saisie puis réessayez.")
LOGIN_THROTTLED = f"Trop de tentatives de connexion. Réessayez dans {{minutes}}{NNBSP}; cette attente protège votre compte."
LOGGED_OUT = "Vous êtes déconnecté."
SESSION_EXPIRED = "Votre session a expiré. Connectez-vous de nouveau."
CSRF_FAILED = ("Ce formulaire a expiré ou ne provient pas de la console. "
               "Rechargez la page puis recommencez.")
DISABLED = "La console de modération est désactivée sur ce site."

# The list.
FILTER_LEGEND = "Filtrer"
FILTER_THREAD = "Article ou événement"
FILTER_ALL = "Tous"
FILTER_SEARCH = "Rechercher dans les textes et les noms"
FILTER_SUBMIT = "Filtrer"
COUNT = "{count} commentaire(s)"
PAGE = "Page {page} sur {pages}"
PREVIOUS = "Page précédente"
NEXT = "Page suivante"
PAGINATION = "Pagination"
SELECT = "Sélectionner ce commentaire"
ON = "Sur"
EMAIL = "Adresse électronique (visible des seuls modérateurs)"
NO_EMAIL = "Aucune adresse donnée"
RECEIVED = "Reçu le"
MODERATED = "Modéré le"
SIGNALS = "Signaux de spam"
REASON_SHOWN = "Motif du refus"
REASON_LABEL = "Motif du refus"
BULK_LEGEND = "Pour les commentaires sélectionnés"
REPLY_PRESENT = "Réponse du Département"
UNKNOWN_THREAD = "(page inconnue ou retirée)"

# Actions (button labels).
APPROVE = "Publier"
REJECT = "Refuser"
DELETE = "Supprimer"
UNPUBLISH = "Dépublier"
RESTORE = "Remettre en attente"
REPLY = "Répondre"
EDIT_REPLY = "Modifier la réponse"
BULK = {"approve": "Publier la sélection", "reject": "Refuser la sélection", "delete": "Supprimer la sélection",
        "unpublish": "Dépublier la sélection", "restore": "Remettre la sélection en attente"}

# Outcomes.
DONE = {"approve": "{n} commentaire(s) publié(s).", "reject": "{n} commentaire(s) refusé(s).",
        "delete": "{n} commentaire(s) supprimé(s) définitivement.",
        "unpublish": "{n} commentaire(s) dépublié(s) et remis en attente.",
        "restore": "{n} commentaire(s) remis en attente."}
CONFLICT = ("Un autre modérateur a agi sur ce commentaire avant vous{NNBSP}: il est maintenant "
            "« {state} ». Votre action n'a pas été appliquée.").replace("{NNBSP}", NNBSP).replace(
    "« ", "«" + NBSP).replace(" »", NBSP + "»")
STATE_WORDS = {"pending": "en attente", "approved": "publié", "rejected": "refusé"}
GONE = "Ce commentaire a été supprimé entre-temps (par un autre modérateur ou une commande)."
DAMAGED = "Ce commentaire est endommagé sur le disque{NNBSP}; un administrateur doit l'examiner.".replace(
    "{NNBSP}", NNBSP)
NOTHING_SELECTED = "Sélectionnez au moins un commentaire."
NOT_HERE = "Cette action n'est pas possible depuis cette liste. Rechargez la page puis recommencez."
BAD_REASON = "Choisissez un motif de refus dans la liste."
STORE_FAILED = "Le changement n'a pas pu être enregistré (disque indisponible). Réessayez dans un moment."
PUBLICATION = {
    "rebuild": "La page publique sera mise à jour dans quelques secondes (reconstruction automatique du site).",
    "release": "La page publique sera mise à jour à la prochaine publication du site.",
}

# Delete confirmation.
CONFIRM_TITLE = "Supprimer définitivement{NNBSP}?".replace("{NNBSP}", NNBSP)
CONFIRM_TEXT = ("La suppression est définitive{NNBSP}: le commentaire et son éventuelle réponse "
                "disparaissent du site et du disque.").replace("{NNBSP}", NNBSP)
CONFIRM = "Confirmer la suppression"
CANCEL = "Annuler"

# Replies.
REPLY_TITLE = "Réponse du Département"
REPLY_TO = "En réponse au commentaire de"
REPLY_SERVICE = "Service qui répond (par exemple Direction des routes)"
REPLY_TEXT = "Texte de la réponse"
REPLY_SAVE = "Enregistrer la réponse"
REPLY_REMOVE = "Retirer la réponse"
REPLY_SAVED = "Réponse enregistrée."
REPLY_REMOVED = "Réponse retirée."
REPLY_PENDING_NOTE = "La réponse sera publiée avec le commentaire, lorsqu'il sera publié."
REPLY_MISSING_TEXT = "Écrivez le texte de la réponse."
REPLY_MISSING_SERVICE = "Indiquez le service qui répond."
REPLY_TOO_LONG = "La réponse doit faire {max} caractères au maximum (vous en avez saisi {count})."
REPLY_CONTROL = "Le texte contient un caractère invisible non autorisé."
ERRORS_TITLE = "Il y a un problème"
BACK = "Retour à la liste"

# Second factor.
TOTP_TITLE = "Double authentification"
TOTP_ON = "La double authentification est activée pour votre compte."
TOTP_OFF = ("La double authentification n'est pas activée. Elle est recommandée (ANSSI){NNBSP}: "
            "un mot de passe volé ne suffit plus.").replace("{NNBSP}", NNBSP)
TOTP_START = "Activer la double authentification"
TOTP_SCAN = ("Scannez ce code QR avec votre application d'authentification (il n'est affiché qu'une fois), "
             "ou saisissez la clé ci-dessous, puis recopiez le code à 6 chiffres qu'elle affiche.")
TOTP_QR_ALT = "Code QR de la clé de double authentification"
TOTP_KEY = "Clé"
TOTP_CODE = "Code à 6 chiffres"
TOTP_CONFIRM = "Confirmer"
TOTP_WRONG = "Ce code ne correspond pas. Recopiez le code affiché en ce moment par l'application."
TOTP_ENABLED = "La double authentification est activée."
TOTP_PASSWORD = "Votre mot de passe"
TOTP_PASSWORD_HINT = "Il prouve que c'est bien vous, et pas quelqu'un qui aurait pris votre session."
TOTP_PASSWORD_WRONG = "Le mot de passe ne correspond pas."
TOTP_OFF_WRONG = "Le mot de passe ou le code ne correspond pas."
TOTP_DISABLE = "Désactiver la double authentification"
TOTP_DISABLE_HINT = "Saisissez votre mot de passe et le code affiché en ce moment par l'application."
TOTP_DISABLED = "La double authentification est désactivée."
TOTP_RESET_HINT = ("Sans votre téléphone, un administrateur peut la désactiver en lançant "
                   "« python -m comment_service moderators totp-reset NOM ».").replace(
    "« ", "«" + NBSP).replace(" »", NBSP + "»")

# HTTP.
NOT_FOUND = "Cette page de la console n'existe pas."
METHOD_NOT_ALLOWED = "Cette méthode n'est pas acceptée ici."

# Publications (the publisher's journal and what waits: console/publications.py).
PUB_TITLE = "Publications du site"
PUB_LAST_REFUSAL = "Dernier refus"
PUB_REFUSAL_OPEN = ("Le site en ligne n'a pas changé depuis ce refus : corrigez les lignes "
                    "ci-dessous, puis publiez de nouveau.")
PUB_REFUSAL_FIXED = "Une publication a réussi depuis, le {when}."
PUB_NO_REFUSAL = "Aucun refus récent."
PUB_RECENT = "Dernières publications"
PUB_NONE = "Aucune publication enregistrée pour l'instant."
PUB_WHEN = "Date"
PUB_OUTCOME = "Résultat"
PUB_WHAT = "Modification"
PUB_AUTHOR = "Auteur ou autrice"
PUB_FILES = "Fichiers"
PUB_REPORT = "Rapport du refus"
PUB_MORE_FILES = "et {count} autre(s)"
PUB_OUTCOMES = {"published": "Publié", "refused": "Refusé"}
PUB_KINDS = {"full": "site reconstruit", "edit": "modification rapide",
             "push": "envoi (git push) refusé"}
PUB_COMMIT = "commit {sha}"
PUB_WAITING = "En attente"
PUB_SCHEDULED = "Programmés"
PUB_SCHEDULED_NONE = "Aucun texte programmé."
PUB_DRAFTS = "Brouillons"
PUB_DRAFTS_NONE = "Aucun brouillon."
PUB_EXPIRING = "Retraits prévus"
PUB_EXPIRING_NONE = "Aucun retrait prévu."
PUB_AT = "le {when}"
PUB_WAITING_AS_OF = "Selon la dernière publication complète, le {when}."
PUB_PREVIEWS = "Aperçus"
PUB_PREVIEWS_HINT = ("Chaque branche « apercu/nom » envoyée au serveur est construite avec ses "
                     "brouillons et ses textes programmés, visible des seules personnes connectées "
                     "à cette console.")
PUB_PREVIEWS_NONE = "Aucun aperçu en ce moment."
