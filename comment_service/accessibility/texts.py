"""Every sentence of the accessibility feedback channel (French), in one place.

The captcha's and the fields' shared sentences come from
``comment_service.rules.messages`` (same words as the comment form).
"""

from __future__ import annotations

NBSP = "\u00a0"

FORM_TITLE = "Signaler un défaut d’accessibilité"
FORM_INTRO = ("Un contenu ou un service de ce site ne vous est pas accessible{nbsp}? Décrivez-nous le problème"
              "{nbsp}: nous vous répondons par courriel dans un délai d’une semaine, avec le contenu sous une "
              "autre forme ou une alternative accessible.").replace("{nbsp}", NBSP)
REQUIRED_NOTE = "Tous les champs sont obligatoires, sauf l’adresse de la page."
PRIVACY = ("Votre nom et votre adresse servent seulement à vous répondre{nbsp}; ils ne sont jamais publiés.")
PRIVACY = PRIVACY.replace("{nbsp}", NBSP)
NAME_LABEL = "Votre nom"
EMAIL_LABEL = "Votre adresse électronique"
EMAIL_HINT = "Pour vous répondre. Exemple{nbsp}: prenom.nom@exemple.fr".replace("{nbsp}", NBSP)
PAGE_LABEL = "Adresse de la page concernée"
PAGE_OPTIONAL = "(facultatif)"
PAGE_HINT = "Exemple{nbsp}: https://www.valdoise.fr/agenda/".replace("{nbsp}", NBSP)
TEXT_LABEL = "Description du problème"
TEXT_HINT = ("Ce que vous cherchiez à faire, ce qui vous en a empêché, et si besoin votre équipement "
             "(lecteur d’écran, navigateur…). {max} caractères au plus.")
SUBMIT = "Envoyer la demande"

SUMMARY = "Votre demande n’a pas été envoyée. Corrigez les erreurs signalées."
SUMMARY_CAPTCHA_ONLY = "Pour envoyer votre demande, recopiez le code de sécurité."
EMAIL_MISSING = "Indiquez votre adresse électronique{nbsp}: elle sert à vous répondre.".replace("{nbsp}", NBSP)
PAGE_INVALID = ("L’adresse de la page doit commencer par https:// ou http:// et ne contenir ni espace ni "
                "caractère de contrôle (2{nbsp}000 caractères au plus).").replace("{nbsp}", NBSP)
TEXT_MISSING = "Décrivez le problème rencontré."
TEXT_TOO_LONG = "La description dépasse {max} caractères (elle en compte {count}). Raccourcissez-la."
STORE_FAILED = ("Votre demande n’a pas pu être enregistrée, à cause d’un incident de notre côté. "
                "Votre texte est conservé ci-dessous{nbsp}: réessayez dans quelques minutes.").replace("{nbsp}", NBSP)
RATE_LIMITED = ("Trop de demandes envoyées en peu de temps depuis votre connexion. Votre texte est conservé "
                "ci-dessous{nbsp}: réessayez dans {minutes}.").replace("{nbsp}", NBSP)

ACK_TITLE = "Demande reçue"
ACK_LEAD = "Votre demande a bien été reçue et enregistrée."
ACK_DEADLINE = ("Nous vous répondons par courriel dans un délai d’une semaine. Un accusé de réception vous est "
                "aussi envoyé par courriel.")
BACK_TO_STATEMENT = "Revenir à la déclaration d’accessibilité"

MAIL_SUBJECT_ACK = "Votre demande d’accessibilité a bien été reçue – {site}"
MAIL_SUBJECT_ANSWER = "Réponse à votre demande d’accessibilité – {site}"
MAIL_ACK = ("Nous avons bien reçu le {date} votre demande concernant l’accessibilité de notre site. "
            "Nous vous répondrons dans un délai d’une semaine, au plus tard le {deadline}.")
MAIL_YOUR_REQUEST = "Votre demande{nbsp}:".replace("{nbsp}", NBSP)
MAIL_ANSWER = "Voici notre réponse à votre demande du {date} concernant l’accessibilité de notre site{nbsp}:"
MAIL_ANSWER = MAIL_ANSWER.replace("{nbsp}", NBSP)
MAIL_PAGE = "Page concernée{nbsp}: {page}".replace("{nbsp}", NBSP)
MAIL_ROUTES_ANSWER = "Si cette réponse ne vous satisfait pas, vous pouvez saisir le Défenseur des droits{nbsp}:"
MAIL_ROUTES_ANSWER = MAIL_ROUTES_ANSWER.replace("{nbsp}", NBSP)

# The console (comment_service/console/): the « Accessibilité » view.
LIST_TITLE = "Demandes d’accessibilité"
LIST_INTRO = "Chaque demande appelle une réponse par courriel dans les 7{nbsp}jours suivant sa réception."
LIST_INTRO = LIST_INTRO.replace("{nbsp}", NBSP)
LIST_EMPTY = "Aucune demande d’accessibilité."
OPEN_TITLE = "À traiter"
DONE_TITLE = "Traitées"
COL_RECEIVED, COL_NAME, COL_DEADLINE, COL_ANSWERED = "Reçue le", "Demandeur", "Échéance", "Répondue le"
DAYS_LEFT = {0: "dernier jour", 1: "1{nbsp}jour restant".replace("{nbsp}", NBSP)}
DAYS_LEFT_MANY = "{n}{nbsp}jours restants".replace("{nbsp}", NBSP)
OVERDUE = "En retard de {n}{nbsp}jour{s}".replace("{nbsp}", NBSP)
DETAIL_TITLE = "Demande d’accessibilité du {date}"
DETAIL_FROM, DETAIL_EMAIL, DETAIL_PAGE, DETAIL_TEXT = "Demandeur", "Courriel", "Page concernée", "Description"
DETAIL_NO_PAGE = "Non indiquée"
DETAIL_REDACTED = "Données personnelles effacées (droit à l’effacement ou durée de conservation)."
ANSWER_LABEL = "Votre réponse (envoyée par courriel au demandeur)"
ANSWER_SUBMIT = "Enregistrer et envoyer la réponse"
ANSWER_SENT_NOTE = "Réponse enregistrée{nbsp}; le courriel part à la prochaine tournée d’envoi (une minute environ)."
ANSWER_SENT_NOTE = ANSWER_SENT_NOTE.replace("{nbsp}", NBSP)
ANSWER_GIVEN = "Réponse donnée le {date} par {by}{nbsp}:".replace("{nbsp}", NBSP)
ANSWER_MAILED = "Courriel de réponse envoyé le {date}."
ANSWER_NOT_MAILED = "Courriel de réponse pas encore envoyé."
ANSWER_MISSING = "Écrivez la réponse."
ANSWER_TOO_LONG = "La réponse dépasse {max} caractères (elle en compte {count})."
ANSWER_CONTROL = "La réponse contient un caractère de contrôle{nbsp}; retirez-le.".replace("{nbsp}", NBSP)
NOT_FOUND = "Cette demande n’existe pas ou plus."
BACK = "Revenir aux demandes"

# The moderators' mail (comment_service/ops/notify.py).
NOTIFY_SECTION = "Demandes d’accessibilité à traiter ({n}), réponse due sous 7{nbsp}jours{nbsp}:"
NOTIFY_SECTION = NOTIFY_SECTION.replace("{nbsp}", NBSP)
NOTIFY_URGENT = ("URGENT{nbsp}: {n} demande(s) d’accessibilité arrivent à échéance dans 2{nbsp}jours ou moins, "
                 "ou sont en retard.").replace("{nbsp}", NBSP)
NOTIFY_SUBJECT_URGENT = "[URGENT accessibilité] {n} demande(s) à échéance"
NOTIFY_SUBJECT_OPEN = "[Accessibilité] {n} demande(s) à traiter"
NOTIFY_ITEM = "— reçue le {date} ({left}), de {name}"


def days_left_label(days: int) -> str:
    """« 3 jours restants », « dernier jour », « En retard de 2 jours »."""
    if days < 0:
        return OVERDUE.format(n=-days, s="s" if days < -1 else "")
    return DAYS_LEFT.get(days) or DAYS_LEFT_MANY.format(n=days)
