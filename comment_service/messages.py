"""User-facing French text, in one place (plain language, one message per field)."""

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
REGENERATED = "Un nouveau code de sécurité a été affiché."
SUCCESS_PENDING = "Merci, votre commentaire a été envoyé ; il sera publié après modération."
SUCCESS_APPROVED = (
    "Merci, votre commentaire a été accepté ; il sera publié lors de la prochaine mise à jour du site."
)
NOT_FOUND = "Cette page n'existe pas."
THREAD_NOT_FOUND = "Cet article n'existe pas ou n'accepte pas de commentaires."
METHOD_NOT_ALLOWED = "Cette méthode n'est pas acceptée ici."
FORBIDDEN_ORIGIN = "Cet envoi provient d'un autre site et a été refusé."
LENGTH_REQUIRED = "La taille de l'envoi doit être indiquée (en-tête Content-Length)."
TOO_LARGE = "L'envoi est trop volumineux ({max} octets au maximum)."
UNSUPPORTED_TYPE = (
    "Format d'envoi non accepté : utilisez un formulaire (application/x-www-form-urlencoded) "
    "ou du JSON (application/json) encodé en UTF-8."
)
BAD_REQUEST = "L'envoi est mal formé et n'a pas pu être lu."
BAD_ENCODING = "L'envoi n'est pas encodé en UTF-8 valide."
BAD_JSON = "Le JSON envoyé est mal formé."
JSON_NOT_OBJECT = "Le JSON envoyé doit être un objet, par exemple {\"text\": \"…\"}."
DUPLICATE_FIELD = "Le champ « {field} » a été envoyé plusieurs fois."
BAD_KEY = "Le JSON envoyé contient un nom de champ qui n'est pas du texte Unicode valide."
SUBMISSION_ID_INVALID = (
    "L'identifiant d'envoi doit faire de 16 à 64 caractères parmi les lettres sans accent, "
    "les chiffres, « - » et « _ ». Rechargez la page puis envoyez de nouveau votre commentaire."
)
RATE_LIMITED = (
    "Vous avez envoyé beaucoup de commentaires en peu de temps. "
    "Réessayez dans {minutes} ; votre texte est conservé ci-dessous."
)
RATE_LIMITED_SHORT = "Trop de demandes en peu de temps. Réessayez dans {minutes}."
CAPTCHA_RATE_LIMITED = "Trop de codes de sécurité demandés en peu de temps. Réessayez dans {minutes}."
MEDIA_RATE_LIMITED = (
    "Trop d'images ou de fichiers audio de code de sécurité demandés en peu de temps. Réessayez dans {minutes}."
)
STORE_FAILED = (
    "Votre commentaire n'a pas pu être enregistré à cause d'un incident technique de notre côté. "
    "Il n'a pas été envoyé : réessayez plus tard ou écrivez-nous."
)
UNAVAILABLE = "Le service des commentaires est momentanément indisponible. Réessayez plus tard."


def minutes(seconds: int) -> str:
    """'1 minute', '3 minutes', or seconds below a minute, in French."""
    if seconds < 60:
        return f"{seconds} seconde" + ("s" if seconds > 1 else "")
    mins = (seconds + 59) // 60
    return f"{mins} minute" + ("s" if mins > 1 else "")
