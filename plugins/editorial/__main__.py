"""A Pelican build that prints only what editors need.

    PYTHONPATH=plugins python -m editorial [content] -o output -s pelicanconf.py [-e KEY=JSON]…

Same arguments as ``pelican`` (the few the project uses). On a content
error it prints the French report alone (one line per problem, never
wrapped, no ``CRITICAL``, no traceback) on the error output and exits 1; on
any other failure, one French line naming the technical error, exit 2.
Pelican's warnings are printed plainly, one per line; a build that succeeds
ends with what waits (plugins/schedule: scheduled articles, drafts) and one
French line instead of Pelican's English summary. The site is built in a
scratch folder and put in place of the output folder only when the build
succeeds (``scratch.py``): a refused build leaves the output as it was.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from .logs import FILTER
from .problems import ContentError
from .scratch import discard, scratch_output, swap_in


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m editorial",
                                     description="Construit le site (Pelican) ; en cas d'erreur "
                                     "dans le contenu, n'affiche que la liste des erreurs.")
    parser.add_argument("path", nargs="?", default=None, help="dossier du contenu")
    parser.add_argument("-o", "--output", default=None, help="dossier de sortie")
    parser.add_argument("-s", "--settings", default="pelicanconf.py", help="fichier de réglages")
    parser.add_argument("-e", "--extra-settings", action="append", default=[], metavar="KEY=JSON",
                        help="réglage supplémentaire (valeur JSON)")
    return parser.parse_args(argv)


def _overrides(args) -> dict:
    override = {}
    if args.path:
        override["PATH"] = args.path
    if args.output:
        override["OUTPUT_PATH"] = args.output
    for item in args.extra_settings:
        key, _, value = item.partition("=")
        try:
            override[key] = json.loads(value)
        except json.JSONDecodeError:
            override[key] = value
    return override


def _plain_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(FILTER)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)


def main(argv=None) -> int:
    args = parse_args(argv)
    _plain_logging()
    from pelican import Pelican
    from pelican.settings import read_settings

    import pelican

    pelican.console.quiet = True  # its English summary ("Done: Processed …")
    scratch = None
    try:
        settings = read_settings(args.settings, override=_overrides(args))
        shown = settings["OUTPUT_PATH"]
        output = Path(shown)
        # Built aside, swapped in on success: a refused build leaves output/ as it was.
        scratch = scratch_output(output)
        settings["OUTPUT_PATH"] = str(scratch)
        # What the last build published: an event new in this one and already over is refused.
        settings.setdefault("EVENTS_PUBLISHED_OUTPUT", str(output))
        Pelican(settings).run()
        swap_in(scratch, output)
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    except Exception as error:  # the report is for editors; this is for the technical team
        print(f"La construction du site a échoué pour une raison technique "
              f"({type(error).__name__} : {error}) ; prévenez l'équipe technique.",
              file=sys.stderr)
        return 2
    finally:
        if scratch is not None and scratch.exists():  # gone already when swapped in
            from sitekit import jobs

            jobs.cancel(settings)  # Pagefind must not write into a folder about to go
            discard(scratch)
    from sitekit import WAITING_KEY

    for line in settings.get(WAITING_KEY) or []:
        print(line, file=sys.stderr)
    print(f"Site construit dans {shown}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
