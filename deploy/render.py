"""Render the nginx configuration of deploy/nginx/ for one server.

    python -m deploy.render --out /etc/nginx/valdoise --site-root /srv/valdoise/var/site \
        --server-name www.example.fr --tls-cert ... --tls-key ... --upstream unix:/run/valdoise-comments/1.sock

writes into ``--out``: ``http.conf`` (maps, rate-limit zone, upstream: include it
in the http block, e.g. from /etc/nginx/conf.d/), ``valdoise.conf`` (the
servers: link it into sites-enabled), and ``site.conf``, ``csp.conf``,
``proxy.conf`` that they include. The templates (``*.in``) use ``@NAME@``
placeholders; every one must be given a value (a default below or an option).
The tests render the same files with their own paths and ports.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from comment_service import defaults

HERE = Path(__file__).resolve().parent / "nginx"
DEFAULTS = {
    "SITE_ROOT": "/srv/valdoise/var/site",
    "SERVER_NAME": "www.example.fr",
    "TLS_CERT": "/etc/letsencrypt/live/www.example.fr/fullchain.pem",
    "TLS_KEY": "/etc/letsencrypt/live/www.example.fr/privkey.pem",
    "PREFIX": defaults.PREFIX,
    "MAX_BODY": str(defaults.MAX_BODY),
    "COMMENTS_RATE": "30r/m",
    "COMMENTS_BURST": "10",
    "CONSOLE_ACCESS": "    allow 127.0.0.1;\n    allow ::1;\n    # allow 192.0.2.0/24;   # the Département's network\n    deny all;",
}
TEMPLATES = {"http.conf": "valdoise-http.conf.in", "valdoise.conf": "valdoise.conf.in", "site.conf": "site.conf.in"}
COPIED = ("csp.conf", "proxy.conf")
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
#: The first instance's socket (deploy/systemd/valdoise-comments@.socket): only
#: nginx's group may open it, so the service trusts its X-Forwarded-For alone.
UPSTREAM = "unix:/run/valdoise-comments/1.sock"


def upstream_lines(servers: list[str]) -> str:
    return "\n".join(f"    server {s} max_fails=1 fail_timeout=5s;" for s in servers)


def render_text(text: str, values: dict[str, str]) -> str:
    def value(match):
        if match[1] not in values:
            raise KeyError(f"no value for @{match[1]}@")
        return values[match[1]]

    return PLACEHOLDER.sub(value, text)


def render(out: Path, upstreams: list[str], **values: str) -> dict[str, Path]:
    """Write the configuration into ``out``; return the written files by name."""
    out.mkdir(parents=True, exist_ok=True)
    values = {**DEFAULTS, **values, "CONF": str(out.resolve()), "UPSTREAM_SERVERS": upstream_lines(upstreams)}
    written = {}
    for name, template in TEMPLATES.items():
        (out / name).write_text(render_text((HERE / template).read_text(encoding="utf-8"), values), encoding="utf-8")
        written[name] = out / name
    for name in COPIED:
        (out / name).write_text((HERE / name).read_text(encoding="utf-8"), encoding="utf-8")
        written[name] = out / name
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.render", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--upstream", action="append",
                        help=f"a service instance: {UPSTREAM} (the socket of valdoise-comments@1.socket), "
                             "or host:port (repeat)")
    for name, default in DEFAULTS.items():
        if name != "CONSOLE_ACCESS":
            parser.add_argument("--" + name.lower().replace("_", "-"), default=default)
    parser.add_argument("--console-allow", action="append", default=None,
                        help="an address or network allowed to the moderation console (repeat)")
    args = parser.parse_args(argv)
    values = {name: getattr(args, name.lower()) for name in DEFAULTS if name != "CONSOLE_ACCESS"}
    if args.console_allow:
        values["CONSOLE_ACCESS"] = "\n".join(f"    allow {a};" for a in args.console_allow) + "\n    deny all;"
    files = render(args.out, args.upstream or [UPSTREAM], **values)
    print("\n".join(str(p) for p in files.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
