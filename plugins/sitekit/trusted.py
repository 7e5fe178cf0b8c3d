"""HTML written by the site's own components, not by editors.

A component (plugins/media: video players, cards) puts its markup into a
body; the HTML policy (plugins/htmlpolicy) judges editors' HTML and must not
refuse the component's ``<video>`` or ``<iframe>`` template, while the same
tags typed by an editor stay refused. The component registers each fragment
it wrote in the build's settings (``trust``); the policy judges the body with
those exact fragments taken out (``untrusted``). An editor who typed the very
same fragment wrote what the component would write: nothing to refuse.

Per build (the settings), never a module global. Pure apart from that dict.
"""

from __future__ import annotations

TRUSTED_KEY = "_COMPONENT_FRAGMENTS"


def trust(settings, fragment: str) -> str:
    """Remember ``fragment`` as component markup for this build; return it."""
    settings.setdefault(TRUSTED_KEY, set()).add(fragment)
    return fragment


def untrusted(settings, html: str) -> str:
    """``html`` without the component fragments of this build."""
    fragments = settings.get(TRUSTED_KEY) if settings is not None else None
    if not fragments or not html:
        return html
    for fragment in sorted((f for f in fragments if f in html), key=len, reverse=True):
        html = html.replace(fragment, "")
    return html
