"""The editors' media command.

    PYTHONPATH=plugins python -m media prepare FICHIER [--dossier content/media]

Turns a phone or camera video into what the site publishes (``prepare.py``):
the MP4 for the web, its WebP poster, its duration and a caption template.
French messages; on failure one French line on the error output and exit 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .prepare import PrepareError, prepare, progress_printer


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m media", description="Prépare les vidéos pour le site.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="commande")
    one = commands.add_parser("prepare", help="convertit une vidéo pour le web (MP4), extrait "
                              "son affiche (WebP) et écrit le modèle de ses sous-titres (.vtt)")
    one.add_argument("fichier", type=Path, help="la vidéo du téléphone ou de la caméra")
    one.add_argument("--dossier", type=Path, default=None,
                     help="où écrire les fichiers (par défaut : à côté de la vidéo ; "
                     "pour le site : content/media)")
    args = parser.parse_args(argv)
    try:
        done = prepare(args.fichier, args.dossier, progress=progress_printer())
    except PrepareError as err:
        print(f"Erreur : {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"Erreur : fichier illisible ou impossible à écrire ({err.strerror or err})",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrompu : rien n'est garanti dans les fichiers écrits.", file=sys.stderr)
        return 130
    print(f"Terminé. Durée : {done.duration:.0f} s. Écrivez les sous-titres, puis ajoutez le "
          "bloc ```video à l'article (voir « Vidéos, sons et cartes » dans "
          "docs/guide-redaction.md).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
