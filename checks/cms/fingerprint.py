"""Reading a CMS from what its pages and files say, as Artemis and WPScan do it passively.

Only what the site itself publishes is read: the asset paths in its home
page (``/wp-content/plugins/<slug>/…``, ``/components/com_<name>/…``,
``/modules/contrib/<name>/…``) name the installed components, and a
WordPress plugin's ``readme.txt`` names its version (``Stable tag:``) — the
file ships with the plugin and is replaced with it on every update.
"""

from __future__ import annotations

import re

#: At most this many components are looked up per site (a page may name dozens; they are all listed).
MAX_COMPONENTS = 25

_WP_PLUGIN = re.compile(r"/wp-content/plugins/([a-z0-9][a-z0-9_-]{0,80})/", re.I)
_JOOMLA_COMPONENT = re.compile(r"/(?:components|media)/(com_[a-z0-9_]{1,60})/", re.I)
_DRUPAL_MODULE = re.compile(r"/modules/(?:contrib/)?([a-z0-9_]{2,60})/", re.I)
_CMS_MARKERS = {
    "wordpress": re.compile(r"/wp-content/|/wp-includes/|<meta[^>]+generator[^>]+WordPress", re.I),
    "joomla": re.compile(r"<meta[^>]+generator[^>]+Joomla|/media/jui/|/media/system/js/", re.I),
    "drupal": re.compile(r"<meta[^>]+generator[^>]+Drupal|/sites/default/files/|drupal-settings-json|Drupal\.settings", re.I),
}
_STABLE_TAG = re.compile(r"^\s*Stable tag:\s*([0-9][0-9A-Za-z.\-]{0,30})\s*$", re.I | re.M)
_README_NAME = re.compile(r"^\s*===\s*(.{1,120}?)\s*===\s*$", re.M)


def cms_of(html: str) -> str | None:
    """Which CMS a page shows (the first whose markers it carries), or ``None``."""
    return next((cms for cms, marker in _CMS_MARKERS.items() if marker.search(html)), None)


def components_of(cms: str, html: str) -> list[str]:
    """The component slugs a page's asset paths name, in order of first appearance, without repeats."""
    pattern = {"wordpress": _WP_PLUGIN, "joomla": _JOOMLA_COMPONENT, "drupal": _DRUPAL_MODULE}[cms]
    seen: dict[str, None] = {}
    for match in pattern.finditer(html):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)


def readme_version(text: str) -> tuple[str | None, str | None]:
    """(version, plugin name) from a WordPress plugin readme.txt; ``None`` where it does not say."""
    tag = _STABLE_TAG.search(text)
    name = _README_NAME.search(text)
    version = tag.group(1) if tag and tag.group(1).lower() != "trunk" else None
    return version, (name.group(1) if name else None)


_SCRIPT_SRC = re.compile(r"""<script\b[^>]*?\bsrc\s*=\s*["']([^"']{1,500})["']""", re.I)
#: At most this many script URLs of a page are kept as evidence.
MAX_SCRIPTS = 60


def script_sources(html: str) -> list[str]:
    """The ``src`` of every ``<script>`` of a page, in order, without repeats."""
    seen: dict[str, None] = {}
    for match in _SCRIPT_SRC.finditer(html):
        seen.setdefault(match.group(1), None)
    return list(seen)[:MAX_SCRIPTS]
