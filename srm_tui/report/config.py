"""Branding for reports, from a TOML file the user keeps (never from the templates).

The file lives at ``platformdirs.user_config_path("srm") / "config.toml"``; the
``SRM_CONFIG`` environment variable points elsewhere (tests use it). Every value can
also come from a command-line flag, which wins over the file.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from srm_tui.engine import yamlio
from srm_tui.engine.errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_ACCENT = "#1f5f8b"
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
LOGO_TYPES = (".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp")
MAX_TEXT = 200


@dataclass(frozen=True)
class Branding:
    """Who the report is from and how it is marked."""

    firm: str = ""
    logo: Path | None = None
    accent: str = DEFAULT_ACCENT
    classification: str = "Confidential"

    def to_display(self) -> dict[str, str]:
        return {k: "" if v is None else str(v) for k, v in asdict(self).items()}


def config_path() -> Path:
    override = os.environ.get("SRM_CONFIG")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path("srm") / "config.toml"


def check(branding: Branding, source: str | Path | None, prefix: str = "") -> Branding:
    """Raise :class:`InputError` for a value that could not be used safely."""
    if not _COLOUR.match(branding.accent):
        raise InputError(source, f"{prefix}accent", f"{branding.accent!r} is not a #rrggbb colour")
    for name in ("firm", "classification"):
        if len(getattr(branding, name)) > MAX_TEXT:
            raise InputError(source, f"{prefix}{name}", f"longer than {MAX_TEXT} characters")
    logo = branding.logo
    if logo is not None:
        if logo.suffix.lower() not in LOGO_TYPES:
            raise InputError(logo, None, f"a logo must be one of {', '.join(LOGO_TYPES)}")
        if not logo.is_file():
            raise InputError(logo, None, "logo file not found")
        if logo.suffix.lower() == ".svg":
            check_svg_logo(logo)
        else:
            check_picture_logo(logo)
    return branding


def check_picture_logo(logo: Path) -> None:
    """Refuse a logo Pillow cannot read: WeasyPrint would leave it out without a word."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(logo) as picture:
            picture.verify()
    except Image.DecompressionBombError:
        raise InputError(logo, None, "the picture is too large to use as a logo") from None
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError):
        unreadable = "not a picture that can be read (damaged or mislabelled)"
        raise InputError(logo, None, unreadable) from None


# What an SVG may point at: its own elements (#id) and images it holds inline.
_REFERENCE = re.compile(r"""(?:href\s*=\s*["']|url\(\s*["']?)\s*([^"')\s]*)""", re.IGNORECASE)


def check_svg_logo(logo: Path) -> None:
    """Refuse an SVG logo that links to a file or an address: the report fetches neither,
    and an image that fails half-way through the logo leaves the rest of the cover unseen."""
    try:
        with logo.open("rb") as handle:
            text = handle.read(yamlio.MAX_BYTES).decode("utf-8", "replace")
    except OSError as exc:
        raise InputError(logo, None, exc.strerror or str(exc)) from None
    for target in _REFERENCE.findall(text):
        if not target.startswith(("#", "data:image/")):
            raise InputError(
                logo,
                None,
                f"links to {target[:80]!r}; an SVG logo may only hold its images inline "
                "(data:image/...), or use a PNG",
            )


def load_branding(path: Path | None = None) -> Branding:
    """The branding in the config file, or the defaults when there is no file."""
    path = path or config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Branding()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, None, f"cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, None, f"invalid TOML: {exc}") from None
    table = data.get("report", data)
    if not isinstance(table, dict):
        raise InputError(path, "report", "expected a table")
    known = {f.name for f in fields(Branding)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            if key != "report":
                raise InputError(path, f"report.{key}", f"unknown setting (known: {sorted(known)})")
            continue
        if not isinstance(value, str):
            raise InputError(path, f"report.{key}", "expected text")
        values[key] = value
    if values.get("logo"):
        logo = Path(values["logo"]).expanduser()
        values["logo"] = logo if logo.is_absolute() else (path.parent / logo)
    else:
        values.pop("logo", None)
    return check(Branding(**values), path, "report.")


def with_flags(branding: Branding, **flags: Any) -> Branding:
    """Flags given on the command line win over the file."""
    given = {k: v for k, v in flags.items() if v is not None}
    if "logo" in given:
        given["logo"] = Path(given["logo"]).expanduser().resolve()
    return check(replace(branding, **given), None, "--")
