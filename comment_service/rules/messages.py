"""User-facing French text, in one place (plain language, one message per field).

French typography (contract R7, checked by tests/site/test_typography_interface.py):
a narrow no-break space (\u202f) before ; ! ? and a no-break space (\u00a0)
before : and inside « »; write new sentences the same way.
"""

# Fields.
NOT_TEXT = "Ce champ doit contenir du texte."
TEXT_MISSING = "Écrivez votre commentaire."
TEXT_TOO_LONG = "Le commentaire doit faire {max} caractères au maximum (vous en avez saisi {count})."
TEXT_CONTROL = (
    "Le commentaire contient un caractère invisible non autorisé (caractère de contrôle "
    "ou séparateur de ligne Unicode). Supprimez-le ou retapez le passage concerné."
)
NAME_MISSING = "Indiquez votre nom."
NAME_TOO_LONG = "Le nom doit faire {max} caractères au maximum (vous en avez saisi {count})."
NAME_CONTROL = "Le nom doit tenir sur une ligne, sans caractère invisible."
EMAIL_INVALID = (
    "Indiquez une adresse électronique valide, comme prenom.nom@exemple.fr, ou laissez ce champ vide."
)
HONEYPOT = "Ce champ doit rester vide."

# Captcha (always reported on the captcha_answer field).
CAPTCHA_MISSING = "Recopiez le code de sécurité affiché dans l'image."
CAPTCHA_EMPTY = "Recopiez le code de sécurité."
CAPTCHA_EXPIRED = "Le code de sécurité a expiré. Recopiez le nouveau code."
CAPTCHA_USED = "Ce code de sécurité a déjà servi. Recopiez le nouveau code."
CAPTCHA_WRONG = "Le code recopié ne correspond pas. Recopiez le nouveau code."
CAPTCHA_TOO_FAST = (
    "Le formulaire a été envoyé trop vite après l'affichage du code. "
    "Vérifiez votre commentaire, recopiez le nouveau code puis envoyez-le."
)

# Summaries and statuses.
SUMMARY = "Votre commentaire n'a pas été envoyé. Corrigez les erreurs signalées."
SUMMARY_CAPTCHA_ONLY = "Pour envoyer votre commentaire, recopiez le code de sécurité."
#: Development only (COMMENTS_ENV=development, `make serve`): the answer of each
#: new captcha in the terminal, so that a developer is never stopped by a misread
#: image. Production never logs it (decision.new_challenge).
DEV_CAPTCHA_ANSWER = "code de sécurité (développement)\u00a0: {answer}"
REGENERATED = "Un nouveau code de sécurité a été affiché."
SUCCESS_PENDING = "Merci, votre commentaire a été envoyé\u202f; il sera publié après modération."
SUCCESS_APPROVED = (
    "Merci, votre commentaire a été accepté\u202f; il sera publié lors de la prochaine mise à jour du site."
)
NOT_FOUND = "Cette page n'existe pas."
THREAD_NOT_FOUND = "Cet article n'existe pas ou n'accepte pas de commentaires."
METHOD_NOT_ALLOWED = "Cette méthode n'est pas acceptée ici."
FORBIDDEN_ORIGIN = "Cet envoi provient d'un autre site et a été refusé."
LENGTH_REQUIRED = "La taille de l'envoi doit être indiquée (en-tête Content-Length)."
TOO_LARGE = "L'envoi est trop volumineux ({max} octets au maximum)."
UNSUPPORTED_TYPE = (
    "Format d'envoi non accepté\u00a0: utilisez un formulaire (application/x-www-form-urlencoded) "
    "ou du JSON (application/json) encodé en UTF-8."
)
BAD_REQUEST = "L'envoi est mal formé et n'a pas pu être lu."
BAD_ENCODING = "L'envoi n'est pas encodé en UTF-8 valide."
BAD_JSON = "Le JSON envoyé est mal formé."
JSON_TOO_DEEP = "Le JSON envoyé est trop imbriqué\u00a0: chaque champ doit être un simple texte."
JSON_NOT_OBJECT = "Le JSON envoyé doit être un objet, par exemple {\"text\": \"…\"}."
DUPLICATE_FIELD = "Le champ «\u00a0{field}\u00a0» a été envoyé plusieurs fois."
BAD_KEY = "Le JSON envoyé contient un nom de champ qui n'est pas du texte Unicode valide."
SUBMISSION_ID_INVALID = (
    "L'identifiant d'envoi doit faire de 16 à 64 caractères parmi les lettres sans accent, "
    "les chiffres, «\u00a0-\u00a0» et «\u00a0_\u00a0». Rechargez la page puis envoyez de nouveau votre commentaire."
)
RATE_LIMITED = (
    "Vous avez envoyé beaucoup de commentaires en peu de temps. "
    "Réessayez dans {minutes}\u202f; votre texte est conservé ci-dessous."
)
RATE_LIMITED_SHORT = "Trop de demandes en peu de temps. Réessayez dans {minutes}."
CAPTCHA_RATE_LIMITED = "Trop de codes de sécurité demandés en peu de temps. Réessayez dans {minutes}."
MEDIA_RATE_LIMITED = (
    "Trop d'images ou de fichiers audio de code de sécurité demandés en peu de temps. Réessayez dans {minutes}."
)
STORE_FAILED = (
    "Votre commentaire n'a pas pu être enregistré à cause d'un incident technique de notre côté. "
    "Il n'a pas été envoyé\u00a0: réessayez plus tard ou écrivez-nous."
)
# Titles of the service's message pages, by HTTP status.
PAGE_TITLES = {
    400: "Envoi incorrect",
    403: "Envoi refusé",
    404: "Page introuvable",
    405: "Méthode non acceptée",
    411: "Taille de l'envoi manquante",
    413: "Envoi trop volumineux",
    415: "Format d'envoi non accepté",
    429: "Trop de demandes",
    500: "Erreur du service",
    503: "Service indisponible",
}
PAGE_TITLE_ERROR = "Erreur"
UNAVAILABLE = "Le service des commentaires est momentanément indisponible. Réessayez plus tard."


# --- The comment form (comment_service/form/: the article's form and the
# service's own page render the same template with these words; the script
# reads SCRIPT_TEXTS from the page) ---------------------------------------------

FORM_TITLE = "Ajouter un commentaire"
ERROR_PREFIX = "Erreur\u00a0: "
#: Introduction, by moderation mode; {charter} and {privacy} are links.
INTRO = {
    "pre": "Les commentaires sont publiés après modération, selon la {charter}.",
    "auto": ("Les commentaires sont publiés sans relecture préalable et retirés "
             "s'ils ne respectent pas la {charter}."),
}
INTRO_PRIVACY = "Votre adresse électronique n'est jamais publiée ({privacy})."
INTRO_REQUIRED = "Tous les champs sont obligatoires, sauf mention contraire."
CHARTER_LINK = "charte de modération"
PRIVACY_LINK = "données personnelles"
NAME_LABEL = "Nom ou pseudonyme"
NAME_HINT = "Publié avec votre commentaire. {max} caractères au maximum."
EMAIL_LABEL = "Adresse électronique"
EMAIL_OPTIONAL = "(facultative, jamais publiée)"
TEXT_LABEL = "Commentaire"
TEXT_HINT = "Vous pouvez saisir jusqu'à {max} caractères."
HONEYPOT_LABEL = "Ne remplissez pas ce champ"
CAPTCHA_LEGEND = "Code de sécurité"
CAPTCHA_HINT = (
    "Recopiez les {length} caractères de l'image\u00a0: lettres ou chiffres, majuscules ou "
    "minuscules indifférentes. Chaque code ne sert qu'une fois."
)
CAPTCHA_ALT = (
    "Code de sécurité\u00a0: image de {length} caractères déformés. Si vous ne pouvez pas la lire, "
    "écoutez le code ou demandez-en un nouveau."
)
CAPTCHA_LISTEN = "Écouter le code"
CAPTCHA_LISTEN_FORMAT = "(fichier son MP3, en français)"
CAPTCHA_ANSWER_LABEL = "Code recopié"
CAPTCHA_LATER = "Le code de sécurité vous sera demandé à l'étape suivante."
CAPTCHA_LOAD_FAILED = (
    "Le code de sécurité n'a pas pu être chargé. Utilisez le bouton «\u00a0Régénérer le code de sécurité\u00a0»."
)
#: {email} is a link; {page} is PAGE_NAME of the thread's kind.
CONTACT = (
    "Vous ne pouvez utiliser ni l'image ni le son\u202f? Écrivez-nous à {email} en indiquant "
    "{page} et votre commentaire\u00a0: nous le publierons pour vous."
)
CONTACT_SUBJECT = "Commentaire\u00a0: {title}"
SUBMIT = "Envoyer le commentaire"
REGENERATE = "Régénérer le code de sécurité"
UNREACHABLE = (
    "Le service des commentaires ne répond pas. Votre texte est conservé\u00a0: "
    "réessayez dans quelques instants."
)
REFUSED = (
    "Le service des commentaires a refusé l'envoi. Votre texte est conservé\u00a0: réessayez plus tard."
)
#: Shown on the article when a visitor without JavaScript comes back from the service.
SUCCESS = {"pre": SUCCESS_PENDING, "auto": SUCCESS_APPROVED}

# The thread a form belongs to, by kind (threads manifest: "article" or "event").
KIND_LABEL = {"article": "Article", "event": "Événement"}
PAGE_NAME = {"article": "l'article", "event": "l'événement"}
BACK_TO = {"article": "Retour à l'article «\u00a0{title}\u00a0»", "event": "Retour à l'événement «\u00a0{title}\u00a0»"}
BACK_HOME = "Retour à l'accueil du site"
SITE_NAME = "Département du Val-d'Oise"
SKIP_LINK = "Aller au contenu"

# The character count (after GOV.UK Frontend's), the same words with and without JavaScript.
COUNT_USED = "Nombre de caractères utilisés\u00a0: {used} / {max}"
COUNT_OVER = "Vous avez dépassé la limite de {n}."
COUNT_LEFT = "Il vous reste {n}."
CHARACTER = ("caractère", "caractères")
#: From this share of the limit, the count says how many characters are left.
COUNT_NEAR = 0.9


def characters(n: int) -> str:
    """'1\u00a0caractère', '3\u00a0caractères' (a non-breaking space)."""
    return f"{n}\u00a0{CHARACTER[1] if n > 1 else CHARACTER[0]}"


def count_message(used: int, maximum: int) -> str:
    """The character count's sentence; comment-form.js builds the same one."""
    message = COUNT_USED.format(used=used, max=maximum)
    if used > maximum:
        return COUNT_OVER.format(n=characters(used - maximum)) + " " + message
    if used >= maximum * COUNT_NEAR:
        return f"{message}. " + COUNT_LEFT.format(n=characters(maximum - used))
    return message


def script_texts(moderation: str) -> dict[str, object]:
    """The sentences comment-form.js needs, put in the page as JSON."""
    return {
        "summary": SUMMARY, "errorPrefix": ERROR_PREFIX, "nameMissing": NAME_MISSING,
        "textMissing": TEXT_MISSING, "textTooLong": TEXT_TOO_LONG, "captchaEmpty": CAPTCHA_EMPTY,
        "captchaLoadFailed": CAPTCHA_LOAD_FAILED, "unreachable": UNREACHABLE, "refused": REFUSED,
        "success": SUCCESS.get(moderation, SUCCESS_PENDING), "countUsed": COUNT_USED,
        "countOver": COUNT_OVER, "countLeft": COUNT_LEFT, "character": list(CHARACTER),
        "countNear": COUNT_NEAR,
    }


def minutes(seconds: int) -> str:
    """'1 minute', '3 minutes', or seconds below a minute, in French."""
    if seconds < 60:
        return f"{seconds} seconde" + ("s" if seconds > 1 else "")
    mins = (seconds + 59) // 60
    return f"{mins} minute" + ("s" if mins > 1 else "")


# --- Personal data (comment_service/ops/personal_data.py) -------------------------

#: The public name of a comment anonymised at its author's request (erase --anonymise).
ANONYMOUS_NAME = "Anonyme"


# --- Commenters heard back (comment_service/commenters/; issue 25) -------------

NOTIFY_LABEL = "Me prévenir par courriel"
NOTIFY_HINT = (
    "Facultatif. Nous vous écrirons à l'adresse ci-dessus quand votre commentaire sera publié ou "
    "refusé, et si le Département y répond. Un premier courriel vous demandera de confirmer."
)
EMAIL_PURPOSE = (
    "Jamais publiée. Elle ne sert qu'à vous écrire au sujet de ce commentaire, si vous le demandez "
    "ci-dessous ou si la modération a besoin de vous joindre."
)
NOTIFY_NEEDS_EMAIL = "Indiquez votre adresse électronique pour être prévenu(e) par courriel, ou décochez la case."
LINK_INVALID_TITLE = "Lien non valide"
LINK_INVALID = (
    "Ce lien n'est pas valide ou a expiré. Les liens de nos courriels ne servent que pendant "
    "une durée limitée\u00a0: pour toute demande, écrivez-nous à {email}."
)
CONFIRM_TITLE = "Confirmer les notifications"
CONFIRM_TEXT = "Pour recevoir par courriel les nouvelles de votre commentaire, confirmez votre demande."
CONFIRM_BUTTON = "Confirmer"
CONFIRMED = "C'est confirmé\u00a0: vous serez prévenu(e) par courriel de la suite donnée à votre commentaire."
RIGHTS_TITLE = "Votre commentaire et vos données"
RIGHTS_INTRO = "Voici tout ce que le Département conserve au sujet de ce commentaire."
RIGHTS_FIELDS = {"text": "Commentaire", "name": "Nom ou pseudonyme", "email": "Adresse électronique",
                 "state": "État", "created": "Envoyé le", "moderated": "Modéré le",
                 "notifications": "Courriels de suivi"}
STATE_LABELS = {"pending": "en attente de modération", "approved": "publié", "rejected": "non publié"}
NOTIFY_STATE_LABELS = {"requested": "demandés, en attente de votre confirmation", "confirmed": "actifs",
                       "stopped": "arrêtés", "none": "aucun"}
RIGHTS_RETENTION = (
    "Votre adresse est effacée {days}\u00a0jours après la modération, quand plus aucun courriel "
    "ne peut vous être dû."
)
STOP_BUTTON = "Ne plus recevoir de courriels"
STOPPED = "C'est fait\u00a0: vous ne recevrez plus aucun courriel à ce sujet."
WITHDRAW_BUTTON = "Retirer mon commentaire"
WITHDRAW_TEXT = (
    "Retirer votre commentaire l'efface, avec votre nom, votre adresse et la réponse éventuelle du "
    "Département\u00a0; il disparaît du site à la prochaine mise à jour."
)
WITHDRAWN = "Votre commentaire et les données qui l'accompagnaient ont été effacés."
UNSUBSCRIBE_TITLE = "Se désabonner"
UNSUBSCRIBE_TEXT = "Pour ne plus recevoir de courriels au sujet de votre commentaire, confirmez."
UNSUBSCRIBE_BUTTON = "Me désabonner"
# The mails (plain text). {site} is SITE_NAME.
MAIL_SUBJECTS = {
    "confirm": "[{site}] Confirmez pour être prévenu(e) de la suite de votre commentaire",
    "published": "[{site}] Votre commentaire est publié",
    "rejected": "[{site}] Votre commentaire n'a pas été publié",
    "reply": "[{site}] Le Département vous a répondu",
}
MAIL_HELLO = "Bonjour {name},"
MAIL_CONFIRM = (
    "Vous avez demandé à être prévenu(e) par courriel de la suite donnée à votre commentaire sur "
    "«\u00a0{title}\u00a0». Pour le confirmer, ouvrez ce lien (valable {days}\u00a0jours) puis "
    "cliquez sur «\u00a0" + CONFIRM_BUTTON + "\u00a0»\u00a0:"
)
MAIL_CONFIRM_IGNORE = "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message\u00a0: rien d'autre ne vous sera envoyé."
MAIL_PUBLISHED = "Votre commentaire sur «\u00a0{title}\u00a0» est publié. Vous pouvez le lire ici\u00a0:"
MAIL_REJECTED = (
    "Votre commentaire sur «\u00a0{title}\u00a0» n'a pas été publié, car il ne respecte pas la charte de "
    "modération\u00a0: {reason}."
)
MAIL_EXCERPT = "Il commençait par\u00a0: «\u00a0{excerpt}\u00a0»"
MAIL_CHARTER = "La charte de modération\u00a0: {url}"
MAIL_REPLY = "{service} a répondu à votre commentaire sur «\u00a0{title}\u00a0»\u00a0:"
MAIL_REPLY_LINK = "La réponse est publiée sous votre commentaire\u00a0:"
MAIL_RIGHTS = (
    "Pour voir ce que nous conservons à votre sujet, ne plus recevoir de courriels ou retirer votre "
    "commentaire (lien personnel, valable {days}\u00a0jours)\u00a0:"
)
MAIL_SIGNATURE = "Message automatique du {site}, envoyé parce que vous l'avez demandé. Merci de ne pas y répondre."
