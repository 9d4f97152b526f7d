"""What every study reads, built once per config and passed explicitly: the posts and the
rejects, the government posts, the account registry with its time zones, the
document-term matrix, the theme scores and the planted truth of a generated corpus.

Derived parts (the matrix, each codebook's theme scores) are computed the first time a
study asks for them and are functions of the data and the config alone, so no study
depends on which ran before it.

Example
-------
>>> import govsocial.core.schema as schema
>>> from govsocial.workflow.config import Config
>>> posts = schema.conform({"post_id": ["1", "2"], "platform": ["twitter"] * 2, "text": ["a", "b"],
...                         "account_type": ["government", "citizen"]})
>>> StudyData(Config(), posts, posts.iloc[:0]).gov["post_id"].tolist()
['1']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import numpy as np
import pandas as pd

from ..core.exceptions import InputError
from ..data.synth.truth import PlantedTruth, load_truth
from .pseudonyms import PseudonymKey

if TYPE_CHECKING:
    from ..analysis.themes import Codebook
    from ..text import Tokenizer
    from ..text.dtm import DocTermMatrix
    from .config import Config

__all__ = ["StudyData", "month_of"]


def month_of(series: pd.Series) -> pd.Series:
    """The UTC calendar month (``YYYY-MM``) of each timestamp.

    Example
    -------
    >>> month_of(pd.Series(pd.to_datetime(["2023-01-31T23:30:00+00:00"]))).tolist()
    ['2023-01']
    """
    return series.dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period("M").astype(str)


def _read(config: Config) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the config's exports (``[input]``) into posts and rejects."""
    from ..data.readers import read_posts

    cfg = config.input
    missing = [p for p in cfg.paths if not Path(p).exists() and not set("*?[") & set(p)]  # globs: read_posts
    if missing:
        raise InputError(
            "input file not found",
            source=missing[0],
            hint="check [input] paths in the config (relative to the config file)",
        )
    kwargs: dict[str, Any] = {"format": cfg.format, "unregistered": cfg.unregistered}
    if cfg.registry:
        kwargs["registry"] = cfg.registry
    if cfg.columns:
        kwargs["columns"] = dict(cfg.columns)
    if cfg.platform:
        kwargs["platform"] = cfg.platform
    posts, rejects = read_posts(list(cfg.paths), **kwargs)
    if cfg.government == "all":  # e.g. a file of agency posts only, without a registry
        posts["account_type"] = pd.Categorical(
            ["government"] * len(posts), categories=posts["account_type"].cat.categories
        )
    return posts, rejects


@dataclass
class StudyData:
    """The data of one config. Build it with :meth:`load`; studies only read it.

    Example
    -------
    >>> import govsocial.core.schema as schema
    >>> from govsocial.workflow.config import Config
    >>> posts = schema.conform({"post_id": ["1"], "platform": ["twitter"], "text": ["a"], "account_id": ["9"]})
    >>> StudyData(Config(), posts, posts.iloc[:0]).counts()
    {'loaded': 1, 'rejected': 0, 'government_posts': 0}
    """

    config: Config
    posts: pd.DataFrame
    rejects: pd.DataFrame
    registry: pd.DataFrame | None = None
    truth: PlantedTruth | None = None
    key: PseudonymKey = field(default_factory=lambda: PseudonymKey(None, "none"))
    _themes: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _codebooks: dict[str, Codebook] = field(default_factory=dict, repr=False)

    @classmethod
    def load(
        cls, config: Config, key: PseudonymKey | None = None, log: Callable[[str], None] = lambda message: None
    ) -> "StudyData":
        """Read the exports, the registry and the planted truth that ``config`` names;
        ``key`` keys the pseudonyms of citizens' post ids (none: they are left out)."""
        from ..data.accounts import load_registry

        posts, rejects = _read(config)
        log(f"  loaded {len(posts):,} posts, rejected {len(rejects):,}")
        registry = load_registry(config.input.registry) if config.input.registry else None
        return cls(config, posts, rejects, registry, load_truth(config.input.truth), key or PseudonymKey(None, "none"))

    # ------------------------------------------------------------------ posts
    @cached_property
    def gov(self) -> pd.DataFrame:
        """Government posts, reposts excluded."""
        posts = self.posts
        keep = (posts["account_type"] == "government") & ~posts["is_repost"].fillna(False).astype(bool)
        return posts[keep].reset_index(drop=True)

    @cached_property
    def originals(self) -> pd.DataFrame:
        """Every post but reposts (what the topic model reads)."""
        return self.posts[~self.posts["is_repost"].fillna(False).astype(bool)].reset_index(drop=True)

    @property
    def timezones(self) -> dict[str, str]:
        """Account id → IANA time zone, from the registry's ``timezone`` column."""
        if self.registry is None:
            return {}
        known = self.registry.dropna(subset=["account_id", "timezone"])
        return dict(zip(known["account_id"].astype(str), known["timezone"].astype(str)))

    @property
    def agency_names(self) -> pd.Series:
        """Account name of each account id."""
        return self.posts.drop_duplicates("account_id").set_index("account_id")["account_name"]

    @cached_property
    def tokenizer(self) -> Tokenizer:
        """The run's one tokenizer: the matrix and every codebook's theme scores use it. The
        ``[text]`` section has no tokenizer options, so it has the default settings.

        Example
        -------
        >>> from govsocial.workflow.config import Config
        >>> import govsocial.core.schema as schema
        >>> StudyData(Config(), schema.empty_posts(), schema.empty_posts()).tokenizer("Roads closed")
        ['road', 'close']
        """
        from ..text import Tokenizer

        return Tokenizer()

    @cached_property
    def matrix(self) -> DocTermMatrix:
        """The document-term matrix of :attr:`originals` (``[text]`` pruning, :attr:`tokenizer`);
        display forms are the posts' most frequent surface forms."""
        from ..text.dtm import Vectorizer

        return Vectorizer(
            tokenizer=self.tokenizer, min_df=int(self.config.text.min_df), max_df=float(self.config.text.max_df)
        ).from_posts(self.originals)

    # ------------------------------------------------------------------ themes
    def codebook(self, entry: str) -> Codebook:
        """The codebook a config entry names (a packaged name or a resolved path)."""
        if entry not in self._codebooks:
            from ..analysis.themes import load_codebook

            self._codebooks[entry] = load_codebook(entry)
        return self._codebooks[entry]

    def themes(self, entry: str | None = None) -> pd.DataFrame:
        """Theme probabilities of the government posts by the codebook ``entry`` (default:
        the config's first), indexed by post_id; the same for every study that asks. The
        seeded (zero-shot) scorer's — or, for the codebook of ``[validation]`` coded posts
        with ``train = true``, the semi-supervised scorer's trained on those posts; scored
        with the run's :attr:`tokenizer`."""
        entry = entry or self.config.themes.primary
        if entry not in self._themes:
            scorer = self.scorer(entry)
            if scorer.method == "semi":
                scorer.fit(self.gov, self.gov_labels().tolist())
            else:
                scorer.fit(self.gov)
            self._themes[entry] = scorer.predict_proba(self.gov)
        return self._themes[entry]

    def scorer(self, entry: str, method: str | None = None) -> Any:
        """The unfitted theme scorer the run uses for ``entry`` (``method`` overrides its choice).

        Example
        -------
        >>> import govsocial.core.schema as schema
        >>> from govsocial.workflow.config import Config
        >>> posts = schema.conform({"post_id": ["1"], "platform": ["x"], "text": ["a"]})
        >>> StudyData(Config(), posts, posts.iloc[:0]).scorer("oecd").method
        'seeded'
        """
        from ..analysis.themes import ThemeScorer

        v = self.config.validation
        trained = v.labels is not None and v.train and entry == self.validation_entry
        return ThemeScorer(
            self.codebook(entry),
            method or ("semi" if trained else "seeded"),
            n_iter=int(self.config.themes.n_iter),
            tokenizer=self.tokenizer,
            random_state=self.config.seed,
        )

    @property
    def validation_entry(self) -> str:
        """The config entry of the codebook that ``[validation]`` coded posts are labelled in."""
        name = self.config.validation.codebook
        if name is None:
            return self.config.themes.primary
        return next(e for e in self.config.themes.codebooks if self.codebook(e).name == name)

    @cached_property
    def coded(self) -> pd.DataFrame:
        """The ``[validation]`` coded posts: ``post_id, label`` (labels as theme names), government
        posts only. A sheet's unknown label, repeated post or post that is not a government
        post of these data is an :class:`InputError` naming its row; rows left uncoded are
        skipped (counted in ``coded.attrs["uncoded"]``)."""
        from ..analysis.themes import read_coding_sheet

        path = self.config.validation.labels
        if path is None:
            raise InputError(
                "no coded posts: [validation] labels is not set",
                source=str(self.config.name),
                field="validation.labels",
                hint='add [validation] labels = "coded.csv"',
            )
        coded, problems = read_coding_sheet(path, self.codebook(self.validation_entry), posts=self.gov, strict=False)
        empty = problems["problem"].str.contains("is not coded", regex=False)
        if (~empty).any():
            first = problems[~empty].iloc[0]
            hint = (
                "code only government posts of these data (a sheet from `govsocial code sample` on them)"
                if "not in the posts table" in str(first["problem"])
                else f"fix the rows listed by: govsocial code check {path}"
            )
            raise InputError(
                f"{first['problem']} ({int((~empty).sum())} problem(s) in all)",
                source=str(path),
                line=int(first["row"]),
                field=str(first["field"]),
                hint=hint,
            )
        coded.attrs["uncoded"] = int(empty.sum())
        return coded

    def coded_predictions(self) -> pd.DataFrame:
        """The coded government posts (``post_id, label``) with ``predicted``: the theme the run's
        scorer gives each — out of fold (k-fold cross-fitting, ``[validation] folds``) when that
        scorer is trained on the coded posts, so no prediction saw its own label."""
        if "_coded_predictions" not in self.__dict__:
            from ..analysis.themes import cross_fit

            entry, labels = self.validation_entry, self.gov_labels()
            coded = labels.notna().to_numpy()
            if self.scorer(entry).method == "semi":
                predicted = cross_fit(
                    self.scorer(entry),
                    self.gov,
                    labels.tolist(),
                    folds=self.config.validation.folds,
                    random_state=self.config.seed,
                )[coded]
            else:
                predicted = self.theme_labels(entry).to_numpy(dtype=object)[coded]
            self.__dict__["_coded_predictions"] = pd.DataFrame(
                {"post_id": labels.index[coded], "label": labels[coded].to_numpy(dtype=object), "predicted": predicted}
            )
        return self.__dict__["_coded_predictions"]

    def gov_labels(self) -> pd.Series:
        """The coded label of each government post (``None`` where uncoded), indexed by post_id."""
        labels = self.coded.set_index("post_id")["label"]
        ids = self.gov["post_id"].astype(str)
        return pd.Series([labels.get(i) for i in ids], index=pd.Index(ids, name="post_id"), dtype=object)

    def theme_labels(self, entry: str | None = None) -> pd.Series:
        """The most probable theme of each government post, indexed by post_id."""
        proba = self.themes(entry)
        return pd.Series(np.asarray(proba.columns)[proba.to_numpy().argmax(axis=1)], index=proba.index)

    # ------------------------------------------------------------------ privacy
    @cached_property
    def gov_handles(self) -> set[str]:
        """Lower-cased handles of government accounts (shown as written in quoted text)."""
        gov = self.posts[self.posts["account_type"] == "government"]
        return {str(h).lower() for h in gov["account_name"].dropna()} if "account_name" in gov.columns else set()

    def safe_text(self, texts: pd.Series) -> pd.Series:
        """Texts fit for a report: personal information redacted, citizens' handles masked."""
        from ..text.privacy import redact_column

        posts = self.posts
        replies = posts.loc[posts["reply_to_post_id"].notna() | posts["reply_to_account_id"].notna(), "post_id"]
        # names after an opening greeting are redacted in replies, as redact_posts does
        red = redact_column(texts.fillna("").astype(str), names=texts.index.isin(replies))[0]
        handles = self.gov_handles
        return red.map(
            lambda t: re.sub(r"@(\w+)", lambda m: m.group(0) if m.group(1).lower() in handles else "@user", t)
        )

    def counts(self) -> dict[str, int]:
        """Loaded, rejected and government posts, for manifests."""
        return {
            "loaded": int(len(self.posts)),
            "rejected": int(len(self.rejects)),
            "government_posts": int(len(self.gov)),
        }
