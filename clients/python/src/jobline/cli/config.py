"""Where the CLI sends its requests, and with which key: flags, environment, config file, in that order.

The config file is TOML, ``$JOBLINE_CONFIG`` or ``$XDG_CONFIG_HOME/jobline/config.toml`` (``~/.config/...``)::

    url = "http://localhost:8080"          # the defaults
    api_key = "jl_..."

    [profiles.prod]                        # picked with --profile prod or JOBLINE_PROFILE=prod
    url = "https://jobline.example.com"
    api_key = "jl_..."

A profile named on the command line beats the environment (as ``aws --profile`` does), so ``--profile prod`` sends
prod's key to prod's URL whatever ``JOBLINE_URL``/``JOBLINE_API_KEY`` say. One named by ``JOBLINE_PROFILE`` ranks
with the file, below the environment.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from .exits import CliError

DEFAULT_URL = "http://localhost:8080"
_KEYS = ("url", "api_key")


@dataclass(frozen=True)
class Settings:
    url: str
    url_source: str
    api_key: str | None
    api_key_source: str | None
    config_path: Path

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}


def config_path(environ: Mapping[str, str]) -> Path:
    if environ.get("JOBLINE_CONFIG"):
        return Path(environ["JOBLINE_CONFIG"]).expanduser()
    base = environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "jobline" / "config.toml"


def load_file(path: Path) -> dict[str, Any]:
    """The file's tables, or {} when there is no file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise CliError(f"cannot read the config file {path}: {error.strerror}") from None
    toml = _toml_module()
    if toml is None:
        raise CliError(f"reading {path} needs Python 3.11 or the package tomli (pip install tomli)")
    try:
        return toml.loads(text)
    except toml.TOMLDecodeError as error:
        raise CliError(f"the config file {path} is not valid TOML: {error}") from None


def _toml_module() -> Any:
    try:
        import tomllib
        return tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli
            return tomli
        except ModuleNotFoundError:
            return None


def resolve(*, url: str | None, profile: str | None, environ: Mapping[str, str],
            file: Mapping[str, Any], path: Path) -> Settings:
    """The settings from the first layer that has each one: --url, --profile, environment, JOBLINE_PROFILE's
    profile, the file's top level, the default URL."""
    layers: list[tuple[str, Mapping[str, Any]]] = [("--url", {"url": url})]
    if profile:
        layers.append((f"profile {profile} of {path}", _profile(file, profile, path)))
    layers.append(("environment", {"url": environ.get("JOBLINE_URL"), "api_key": environ.get("JOBLINE_API_KEY")}))
    env_profile = environ.get("JOBLINE_PROFILE")
    if env_profile and not profile:
        layers.append((f"profile {env_profile} of {path} (JOBLINE_PROFILE)", _profile(file, env_profile, path)))
    layers.append((str(path), {key: file.get(key) for key in _KEYS}))
    layers.append(("default", {"url": DEFAULT_URL}))

    found: dict[str, tuple[Any, str]] = {}
    for source, values in layers:
        for key in _KEYS:
            value = values.get(key)
            if key not in found and value not in (None, ""):
                if not isinstance(value, str):
                    raise CliError(f"'{key}' in {source} must be a string")
                found[key] = (value, source)
    url, url_source = found["url"]
    api_key, api_key_source = found.get("api_key", (None, None))
    return Settings(url.rstrip("/"), url_source, api_key, api_key_source, path)


def _profile(file: Mapping[str, Any], name: str, path: Path) -> Mapping[str, Any]:
    profiles = file.get("profiles") or {}
    if name not in profiles:
        known = ", ".join(sorted(profiles)) or "none"
        raise CliError(f"no profile '{name}' in {path} (profiles: {known})")
    return profiles[name]
