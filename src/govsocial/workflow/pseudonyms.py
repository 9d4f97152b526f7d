"""What may identify a citizen in a run's outputs: the pseudonym key, and keyed
pseudonyms of citizens' post ids.

A citizen's post id leads straight to the citizen on Twitter or Mastodon, so row-level
outputs carry a keyed pseudonym of it (HMAC-SHA256 with a secret key, the same key
giving the same pseudonym in every run) when a key is configured, and no id otherwise.
The key comes from, in this order: ``--pseudonym-key-file``, the config's
``[output] pseudonym_key_file``, or the environment variable ``GOVSOCIAL_PSEUDONYM_KEY``.

Example
-------
>>> key = resolve_pseudonym_key(environ={"GOVSOCIAL_PSEUDONYM_KEY": "s3cret"})
>>> key.source, pseudonymise_ids(["1609389853357637644"], key.key)[0]
('$GOVSOCIAL_PSEUDONYM_KEY', 'post_2c8c05baed8b197cb1f5')
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..core.exceptions import InputError
from ..text.privacy import pseudonymise_ids

__all__ = ["ENV_VAR", "PseudonymKey", "resolve_pseudonym_key", "pseudonymise_ids"]

ENV_VAR = "GOVSOCIAL_PSEUDONYM_KEY"


@dataclass(frozen=True)
class PseudonymKey:
    """A secret key (``None``: no key configured) and where it came from (never the key).

    Example
    -------
    >>> PseudonymKey(None, "none").describe()
    "no pseudonym key configured: citizens' post ids are left out"
    """

    key: bytes | None
    source: str

    def describe(self) -> str:
        """One line for a manifest or report: what happened to citizens' post ids.

        Example
        -------
        >>> PseudonymKey(b"k", "key file k.txt").describe()
        "citizens' post ids replaced by keyed pseudonyms (HMAC-SHA256; key from key file k.txt)"
        """
        if self.key is None:
            return "no pseudonym key configured: citizens' post ids are left out"
        return f"citizens' post ids replaced by keyed pseudonyms (HMAC-SHA256; key from {self.source})"


def _read_key_file(path: str | Path, where: str) -> bytes:
    path = Path(path)
    try:
        key = path.read_bytes().strip()
    except OSError as exc:
        raise InputError(
            f"cannot read the pseudonym key file: {exc.strerror or exc}",
            source=str(path),
            field=where,
            hint="give a readable file holding the secret key (keep it out of the results)",
        ) from None
    if not key:
        raise InputError(
            "the pseudonym key file is empty",
            source=str(path),
            field=where,
            hint='write a long random secret into it, e.g. python -c "import secrets; print(secrets.token_hex(32))"',
        )
    return key


def resolve_pseudonym_key(
    key_file: str | Path | None = None,
    config_key_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> PseudonymKey:
    """The pseudonym key: from ``key_file`` (the command line), else ``config_key_file``
    (the config), else the environment variable :data:`ENV_VAR`, else none.

    Example
    -------
    >>> resolve_pseudonym_key(environ={}).key is None
    True
    """
    if key_file:
        return PseudonymKey(_read_key_file(key_file, "--pseudonym-key-file"), f"key file {Path(key_file).name}")
    if config_key_file:
        return PseudonymKey(
            _read_key_file(config_key_file, "output.pseudonym_key_file"), f"key file {Path(config_key_file).name}"
        )
    environ = os.environ if environ is None else environ
    value = environ.get(ENV_VAR, "")
    if value.strip():
        return PseudonymKey(value.strip().encode("utf-8"), f"${ENV_VAR}")
    return PseudonymKey(None, "none")
