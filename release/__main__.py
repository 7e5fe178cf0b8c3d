"""``python -m release publish|rollback|list`` (see the package docstring)."""

from __future__ import annotations

import argparse
import sys

from .layout import ReleaseError
from .publish import BuildFailed, listing, load_options, publish, rollback


def add_site_options(parser) -> None:
    """--settings and --root: which site, whose releases (also ``python -m publisher``)."""
    parser.add_argument("--settings", default="publishconf.py",
                        help="fichier de réglages Pelican (défaut : publishconf.py)")
    parser.add_argument("--root", help="dossier des releases (défaut : SITE_ROOT, var/site)")


def add_publish_options(parser) -> None:
    """--content and --keep: what a publication builds, how many releases stay."""
    parser.add_argument("--content", help="dossier du contenu (défaut : content)")
    parser.add_argument("--keep", help="releases gardées (défaut : RELEASES_KEEP, 5)")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m release",
        description="Publier le site par releases : construire, vérifier, basculer "
                    "le lien « current » d'un coup ; revenir à la précédente.")
    add_site_options(parser)
    sub = parser.add_subparsers(dest="command", required=True)
    pub = sub.add_parser("publish", help="construire, vérifier et servir une nouvelle release")
    add_publish_options(pub)
    pub.add_argument("--allow-dropped-comments", action="store_true",
                     help="accepter que des commentaires publiés disparaissent du site")
    back = sub.add_parser("rollback", help="servir à nouveau la release précédente")
    back.add_argument("--to", help="l'identifiant d'une release (voir list)")
    sub.add_parser("list", help="les releases, la servie marquée *")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        options = load_options(args.settings, getattr(args, "content", None), args.root,
                               getattr(args, "keep", None), getattr(args, "allow_dropped_comments", False))
        if args.command == "publish":
            publish(options)
        elif args.command == "rollback":
            rollback(options, args.to)
        else:
            listing(options)
    except BuildFailed as exc:
        print(exc, file=sys.stderr)
        print("publication refusée : le site en ligne n'a pas changé", file=sys.stderr)
        return 1
    except ReleaseError as exc:
        print(f"release : {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a full disk, a folder where the link should be...
        print(f"release : opération impossible sur {exc.filename or 'le disque'} : "
              f"{exc.strerror or exc} ; le site en ligne n'a pas changé", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("publication interrompue : le site en ligne n'a pas changé", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
