"""``python -m publisher.git staged|install|pre-receive|post-receive`` (see the package)."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from release import ReleaseError

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ("pre-receive", "post-receive")


def hook_script(hook: str, bare: Path) -> str:
    """A hook that runs this project's Python on the bare repository ``bare``."""
    return ("#!/bin/sh\n"
            "# Installed by: python -m publisher.git install (do not edit; install again)\n"
            f"cd {shlex.quote(str(ROOT))} || exit 1\n"
            f"exec {shlex.quote(sys.executable)} -m publisher.git {hook} "
            f"{shlex.quote(str(bare))}\n")


def configure(repo: Path, checkout: Path, args) -> None:
    """The ``site.*`` settings the hooks and the webhook read, in ``repo``'s git config."""
    from .repo import git

    settings = {"checkout": str(checkout), "settings": args.settings, "branch": args.branch,
                "content": args.content, "mode": args.mode}
    if args.root:
        settings["root"] = str(Path(args.root).resolve())
    for name, value in settings.items():
        git(repo, "config", f"site.{name}", value)


def forge(args) -> int:
    """A checkout cloned from a forge, for the webhook (``webhook.py``)."""
    from .repo import git

    checkout = Path(args.checkout).resolve()
    if not (checkout / ".git").exists():
        checkout.parent.mkdir(parents=True, exist_ok=True)
        git(checkout.parent, "clone", "--quiet", "--branch", args.branch, args.remote,
            str(checkout))
    configure(checkout, checkout, args)
    print(f"copie de publication prête : {checkout} ; lancez le webhook avec "
          f"WEBHOOK_CHECKOUT={checkout} (docs/publishing.md)")
    return 0


def install(args) -> int:
    from .repo import git

    bare = Path(args.bare).resolve()
    if not (bare / "HEAD").is_file():
        bare.mkdir(parents=True, exist_ok=True)
        git(bare, "init", "--quiet", "--bare", f"--initial-branch={args.branch}")
    checkout = Path(args.checkout).resolve()
    configure(bare, checkout, args)
    # A push to the checked-out branch of a non-bare repository is refused by git;
    # the publisher's checkout is only ever moved by the post-receive hook.
    if not (checkout / ".git").exists():
        checkout.parent.mkdir(parents=True, exist_ok=True)
        git(checkout.parent, "clone", "--quiet", str(bare), str(checkout))
    for hook in HOOKS:
        path = bare / "hooks" / hook
        path.write_text(hook_script(hook, bare), encoding="utf-8")
        path.chmod(0o755)
    print(f"crochets installés dans {bare}/hooks ; copie de publication : {checkout} "
          f"(le publisher surveille {checkout / args.content})")
    return 0


def run_hook(args) -> int:
    from .hooks import Site, post_receive, pre_receive

    try:
        site = Site.of(Path(args.bare))
    except ReleaseError as exc:
        print(f"Publication impossible : {exc} ; prévenez l'équipe technique.", file=sys.stderr)
        return 1
    from .repo import GitError

    lines = sys.stdin.read().splitlines()
    try:
        return (pre_receive if args.command == "pre-receive" else post_receive)(site, lines)
    except (ReleaseError, GitError, OSError) as exc:  # for the technical team, in one line
        print(f"Publication impossible pour une raison technique ({type(exc).__name__} : "
              f"{exc}) ; rien n'a été publié, prévenez l'équipe technique.", file=sys.stderr)
        return 1


def sync(args) -> int:
    import dataclasses

    from .hooks import Site
    from .webhook import sync as sync_site

    try:
        site = Site.of(Path(args.checkout))
    except ReleaseError as exc:
        print(f"Publication impossible : {exc}", file=sys.stderr)
        return 2
    outcome = sync_site(dataclasses.replace(site, bare=site.checkout))
    return 1 if outcome == "refusé" else 0


def staged(args) -> int:
    plugins = str(ROOT / "plugins")
    if plugins not in sys.path:
        sys.path.insert(0, plugins)
    from .staged import main

    return main(["-s", args.settings, *args.files])


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m publisher.git",
                                     description="Publier le site avec git.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("staged", help="vérifier des fichiers du contenu (crochet pre-commit)")
    check.add_argument("-s", "--settings", default="pelicanconf.py")
    check.add_argument("files", nargs="*")
    inst = sub.add_parser("install", help="installer les crochets dans un dépôt nu du serveur")
    inst.add_argument("bare", help="le dépôt nu (créé s'il n'existe pas)")
    inst.add_argument("--checkout", required=True,
                      help="la copie de travail que le publisher publie (clonée si absente)")
    fg = sub.add_parser("forge", help="préparer la copie de publication d'un dépôt de forge "
                                      "(webhook)")
    fg.add_argument("checkout", help="la copie de travail que le publisher publie")
    fg.add_argument("--remote", required=True, help="l'adresse du dépôt sur la forge")
    for inst in (inst, fg):
        add_site_arguments(inst)
    for hook in ("pre-receive", "post-receive"):
        sub.add_parser(hook).add_argument("bare")
    sub.add_parser("sync", help="récupérer, vérifier et publier la branche de la forge "
                                "(le webhook)").add_argument("checkout")
    return parser.parse_args(argv)


def add_site_arguments(inst) -> None:
    inst.add_argument("--settings", default="publishconf.py")
    inst.add_argument("--root", help="dossier des releases (défaut : SITE_ROOT)")
    inst.add_argument("--branch", default="main", help="la branche publiée (défaut : main)")
    inst.add_argument("--content", default="content", help="le dossier du contenu")
    inst.add_argument("--mode", choices=("publisher", "release"), default="publisher",
                      help="publisher : le publisher en service publie ; release : le crochet "
                           "publie lui-même une release complète")


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.command == "staged":
        return staged(args)
    if args.command == "install":
        return install(args)
    if args.command == "forge":
        return forge(args)
    if args.command == "sync":
        return sync(args)
    return run_hook(args)


if __name__ == "__main__":
    sys.exit(main())
