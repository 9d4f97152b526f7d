"""The experiments: one function per research question, driven by a TOML config, each
writing tables (CSV), figures (PNG), ``summary.md`` and ``manifest.json`` into a folder;
:func:`govsocial.workflow.runner.run` runs the chosen ones into ``<results>/<experiment>/`` and
writes the report.

Example
-------
>>> cfg = load_config(None)
>>> cfg["run"]["experiments"]
['uses', 'topics', 'engagement', 'responsiveness', 'risks']
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..core.bootstrap import cluster_totals, resample_totals
from ..core.exceptions import InputError
from ..core.provenance import Manifest
from ..core.validation import check_random_state
from ..output.tables import write_csv
from .config import DEFAULTS
from .config import load_config as _load_config
from .pseudonyms import PseudonymKey, pseudonymise_ids

__all__ = ["DEFAULTS", "EXPERIMENTS", "load_config", "run_experiment"]


def load_config(path: str | Path | None, **overrides: Any) -> dict[str, Any]:
    """A config (:func:`govsocial.workflow.config.load_config`) whose experiments are checked
    against :data:`EXPERIMENTS`: the defaults (the bundled corpus) updated by a TOML
    file; paths in the file are relative to the file's folder; unknown sections, keys
    or experiments are errors.

    Example
    -------
    >>> load_config(None, run={"experiments": ["uses"]})["run"]["experiments"]
    ['uses']
    """
    return _load_config(path, experiments=EXPERIMENTS, **overrides)


# --------------------------------------------------------------------------- shared state
@dataclass
class Context:
    """Everything the experiments share, computed once per run (no global state)."""

    config: dict[str, Any]
    log: Callable[[str], None] = print
    cache: dict[str, Any] = field(default_factory=dict)
    key: PseudonymKey = field(default_factory=lambda: PseudonymKey(None, "none"))

    @property
    def seed(self) -> int:
        return int(self.config["run"]["seed"])

    @property
    def n_boot(self) -> int:
        return int(self.config["run"]["n_boot"])

    @cached_property
    def loaded(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        from ..data.readers import read_posts

        cfg = self.config["input"]
        missing = [p for p in cfg["paths"] if not Path(p).exists() and not set("*?[") & set(p)]  # globs: read_posts
        if missing:
            raise InputError("input file not found", source=missing[0],
                             hint="check [input] paths in the config (relative to the config file)")
        kwargs: dict[str, Any] = {"format": cfg["format"], "unregistered": cfg["unregistered"]}
        if cfg.get("registry"):
            kwargs["registry"] = cfg["registry"]
        if cfg.get("government") not in (None, "all"):
            raise InputError(f"input.government must be \"all\" or left out; got {cfg['government']!r}",
                             field="input.government")
        if cfg.get("columns"):
            kwargs["columns"] = dict(cfg["columns"])
        if cfg.get("platform"):
            kwargs["platform"] = cfg["platform"]
        posts, rejects = read_posts(cfg["paths"], **kwargs)
        if cfg.get("government") == "all":  # e.g. a file of agency posts only, without a registry
            posts["account_type"] = pd.Categorical(["government"] * len(posts),
                                                   categories=posts["account_type"].cat.categories)
        self.log(f"  loaded {len(posts):,} posts, rejected {len(rejects):,}")
        return posts, rejects

    @property
    def posts(self) -> pd.DataFrame:
        return self.loaded[0]

    @cached_property
    def gov(self) -> pd.DataFrame:
        posts = self.posts
        keep = (posts["account_type"] == "government") & ~posts["is_repost"].fillna(False).astype(bool)
        return posts[keep].reset_index(drop=True)

    @cached_property
    def truth(self) -> tuple[pd.DataFrame, dict[str, Any]] | None:
        folder = self.config["input"].get("truth")
        if not folder or not (Path(folder) / "truth.csv.gz").exists():
            return None
        truth = pd.read_csv(Path(folder) / "truth.csv.gz", dtype={"post_id": str, "account_id": str,
                                                                   "addressed_account_id": str}).set_index("post_id")
        effects = json.loads((Path(folder) / "effects.json").read_text())
        return truth, effects

    def codebook(self, entry: str) -> Any:
        """The codebook a config entry names (a packaged name or a resolved path), loaded once."""
        key = f"codebook:{entry}"
        if key not in self.cache:
            from ..analysis.themes import load_codebook

            self.cache[key] = load_codebook(entry)
        return self.cache[key]

    def themes(self, codebook: str) -> pd.DataFrame:
        """Theme probabilities of the government posts, indexed by post_id (cached per codebook)."""
        key = f"themes:{codebook}"
        if key not in self.cache:
            from ..analysis.themes import ThemeScorer

            scorer = ThemeScorer(self.codebook(codebook), "seeded", n_iter=int(self.config["themes"]["n_iter"]),
                                 random_state=self.seed).fit(self.gov)
            self.cache[key] = scorer.predict_proba(self.gov)
        return self.cache[key]

    def theme_labels(self, codebook: str = "oecd") -> pd.Series:
        """The most probable theme of each government post, indexed by post_id."""
        proba = self.themes(codebook)
        return pd.Series(np.asarray(proba.columns)[proba.to_numpy().argmax(axis=1)], index=proba.index)

    @cached_property
    def gov_handles(self) -> set[str]:
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
        return red.map(lambda t: re.sub(r"@(\w+)", lambda m: m.group(0) if m.group(1).lower() in handles
                                        else "@user", t))


# --------------------------------------------------------------------------- helpers
def _cluster_shares(labels: np.ndarray, accounts: np.ndarray, categories: list[str], n_boot: int,
                    rng: np.random.Generator) -> pd.DataFrame:
    """Shares of each category with percentile intervals from resampling accounts."""
    index = {c: j for j, c in enumerate(categories)}
    onehot = np.zeros((len(labels), len(categories)))
    onehot[np.arange(len(labels)), [index[v] for v in labels]] = 1.0
    # one account (or none known): resample posts
    counts = cluster_totals(onehot, accounts, single_by_rows=True)
    point = counts.sum(axis=0) / counts.sum()
    if n_boot:
        draws = resample_totals(counts, n_boot, rng)
        boot = draws / draws.sum(axis=1, keepdims=True)
        low, high = np.percentile(boot, [2.5, 97.5], axis=0)
    else:
        low = high = np.full(len(categories), np.nan)
    return pd.DataFrame({"theme": categories, "estimate": point, "low": low, "high": high,
                         "posts": counts.sum(axis=0).astype(int)})


def _shares_by(groups: np.ndarray, labels: np.ndarray, accounts: np.ndarray, categories: list[str], n_boot: int,
               rng: np.random.Generator, name: str) -> pd.DataFrame:
    """:func:`_cluster_shares` within each group, stacked: ``<name>, theme, estimate, low, high, posts``."""
    parts = []
    for group in sorted(set(groups)):
        mask = groups == group
        part = _cluster_shares(labels[mask], accounts[mask], categories, n_boot, rng)
        part.insert(0, name, group)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _save(fig: Any, path: Path) -> str:
    fig.savefig(path, dpi=110)
    return path.name


def _month(series: pd.Series) -> pd.Series:
    return series.dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period("M").astype(str)


@dataclass
class Section:
    """What an experiment hands to the report."""

    key: str
    title: str
    question: str
    methods: str
    summary: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    truth: list[dict[str, Any]] = field(default_factory=list)
    folder: Path | None = None  # where its files are (a temporary folder until the run commits)


# --------------------------------------------------------------------------- experiments
def exp_uses(ctx: Context, out: Path) -> Section:
    """Uses: share of government posts in each theme, overall, per agency and per month."""
    from ..output.plotting import interval_figure, lines_figure

    sec = Section("uses", "1. What agencies use social media for",
                  "What share of agencies' posts provides information, delivers services, engages, asks for "
                  "input, responds or collaborates?",
                  "Each government post (reposts excluded) is scored against a codebook by govsocial's seeded "
                  "theme scorer: keyword evidence from the codebook's seed terms, phrases and structural cues, "
                  "with a keyword-seeded LDA fitted on the posts, then self-training (docs/themes.md). Codebooks: "
                  "OECD (2014) uses of social media by governments; DePaula, Dincelli & Harrison (2018). Shares "
                  "have 95 % intervals from resampling accounts.")
    rng = check_random_state(ctx.seed)
    gov = ctx.gov
    for entry in ctx.config["themes"]["codebooks"]:
        book = ctx.codebook(entry)
        codebook, names = book.name, book.names  # outputs are named by the codebook's own (checked) name
        labels = ctx.theme_labels(entry).to_numpy()
        overall = _cluster_shares(labels, gov["account_id"].to_numpy(), names, ctx.n_boot, rng)
        write_csv(overall, out / f"{codebook}_shares.csv")
        sec.tables.append(f"{codebook}_shares.csv")
        agency = gov["account_name"].fillna(gov["account_id"]).fillna("(account unknown)").astype(str).to_numpy()
        accounts = gov["account_id"].astype("string").fillna("(unknown)").to_numpy(dtype=object)
        # per agency: intervals from resampling the agency's posts; per month: from resampling accounts
        per_agency = _shares_by(agency, labels, accounts, names, ctx.n_boot, rng, "agency")
        write_csv(per_agency, out / f"{codebook}_shares_by_agency.csv")
        sec.tables.append(f"{codebook}_shares_by_agency.csv")
        sec.figures.append(_save(interval_figure(overall, label="theme", xlabel="share of government posts",
                                                 title=f"Uses ({codebook} codebook), 95 % intervals"),
                                 out / f"{codebook}_shares.png"))
        if gov["created_at"].notna().any():
            dated = gov["created_at"].notna().to_numpy()
            monthly = _shares_by(_month(gov["created_at"]).to_numpy()[dated], labels[dated], accounts[dated],
                                 names, ctx.n_boot, rng, "month").rename(columns={"estimate": "share"})
            write_csv(monthly, out / f"{codebook}_shares_by_month.csv")
            sec.tables.append(f"{codebook}_shares_by_month.csv")
            sec.figures.append(_save(lines_figure(monthly, x="month", y="share", group="theme",
                                                  ylabel="share of the month's government posts",
                                                  title=f"Uses over time ({codebook})"),
                                     out / f"{codebook}_by_month.png"))
        top = overall.sort_values("estimate", ascending=False).iloc[0]
        sec.summary.append(f"{codebook}: the most common use is {top['theme'].replace('_', ' ')} "
                           f"({top['estimate']:.0%} of {len(gov):,} government posts, 95 % interval "
                           f"{top['low']:.0%}–{top['high']:.0%}).")
        if codebook == "oecd" and ctx.truth is not None:
            sec.summary.append(_scorer_agreement(ctx, labels))
            planted = ctx.truth[1]["realised_theme_shares"]
            for row in overall.itertuples():
                if row.theme in planted:
                    diff = row.estimate - planted[row.theme]
                    sec.truth.append({"experiment": "uses", "quantity": f"share of posts: {row.theme}",
                                      "planted": planted[row.theme], "estimate": row.estimate,
                                      "interval": f"{row.low:.3f}–{row.high:.3f}",
                                      "recovered": abs(diff) <= 0.03, "criterion": "within 3 points"})
    if ctx.truth is None:
        sec.caveats.append("Theme scores describe wording. How often the scorer is right was not measured on these "
                           "data (no hand-coded posts were given); on other coded corpora its accuracy varies "
                           "(docs/benchmarks.md). Code a random sample of these posts and compare "
                           "(ThemeScorer.validate) before reading the shares as more than wording.")
    else:
        sec.caveats.append("Theme scores describe wording. The agreement with the planted themes above is measured "
                           "on this generated corpus, whose posts are written from the codebook's own definitions: "
                           "an upper bound for real posts.")
    return sec


def _scorer_agreement(ctx: Context, labels: np.ndarray) -> str:
    """Macro-F1 of the scored themes against the planted ones, measured on this corpus."""
    from ..analysis.themes import classification_agreement

    planted = ctx.truth[0]["theme"].reindex(ctx.gov["post_id"].astype(str)).to_numpy()  # type: ignore[index]
    known = pd.notna(planted)
    if not known.any():
        return "No post of these data has a planted theme; the scorer's agreement was not measured."
    out = classification_agreement(planted[known], labels[known], n_boot=min(ctx.n_boot, 200),
                                   random_state=ctx.seed)["summary"].set_index("metric").loc["macro_f1"]
    return (f"Measured on these data: the scored themes agree with the {int(known.sum()):,} planted themes at "
            f"macro-F1 {out['estimate']:.3f} (95 % interval {out['low']:.3f}–{out['high']:.3f}, bootstrap over posts).")


def exp_topics(ctx: Context, out: Path) -> Section:
    """Topics: a K sweep, the chosen model's topics, prevalence over time, government- vs citizen-led."""
    from ..output.plotting import lines_figure, select_k_figure
    from ..text.dtm import Vectorizer
    from ..topics.models import MODELS
    from ..topics.selection import select_k
    from ..topics.tables import (
        doc_topics,
        representative_posts,
        topic_labels,
        topic_terms,
    )

    cfg = ctx.config["topics"]
    sec = Section("topics", "2. The topic landscape",
                  "What do agencies and citizens post about, and which topics do agencies lead?",
                  f"Posts are tokenised (hashtags split, emoji named, personal information redacted) and a "
                  f"{cfg['model'].upper()} topic model — the Dirichlet multinomial mixture for short texts (Yin & Wang "
                  "2014) by default — is fitted for several K and seeds; K is chosen by mean c_npmi coherence "
                  "(Röder et al. 2015) unless the config fixes it, with diversity and stability across seeds shown "
                  "beside it. Topics are labelled by their most probable words and their FREX words (Bischof & "
                  "Airoldi 2012) together, as stm's labelTopics does: FREX words alone can name a topic by words "
                  "its posts seldom use.")
    posts = ctx.posts[~ctx.posts["is_repost"].fillna(False).astype(bool)].reset_index(drop=True)
    dtm = Vectorizer(min_df=int(ctx.config["text"]["min_df"]), max_df=float(ctx.config["text"]["max_df"])
                     ).fit_transform(posts)
    model_cls = MODELS[cfg["model"]]
    base = model_cls(n_iter=int(cfg["n_iter"])) if "n_iter" in model_cls().get_params() else model_cls()
    sweep = select_k(base, dtm, ks=[int(k) for k in cfg["ks"]], seeds=[int(s) for s in cfg["seeds"]],
                     top_n=int(cfg["top_n"]), split_seed=ctx.seed)
    write_csv(sweep.drop(columns="fit_seconds"), out / "k_sweep.csv")
    sec.tables.append("k_sweep.csv")
    sec.figures.append(_save(select_k_figure(sweep), out / "k_sweep.png"))
    k = int(cfg["k"]) if cfg.get("k") else int(sweep.groupby("k")["coherence"].mean().idxmax())
    edge = None if cfg.get("k") else _edge_of_grid(k, [int(v) for v in cfg["ks"]])
    if edge:
        ctx.log(f"[{ctx.config['name']}] warning: {edge}")
    params = {"n_components": k, "random_state": ctx.seed}
    if "n_iter" in base.get_params():
        params["n_iter"] = int(cfg["n_iter"])
    model = model_cls(**params).fit(dtm)
    labels = topic_labels(model, n=3)
    terms = pd.concat([topic_terms(model, top_n=int(cfg["top_n"]), by=by, dtm=dtm).assign(ranking=by)
                       for by in ("prob", "frex")], ignore_index=True)
    terms["label"] = terms["topic"].map(dict(enumerate(labels)))
    write_csv(terms[["topic", "label", "ranking", "rank", "display", "prob", "frex"]], out / "topic_terms.csv")
    sec.tables.append("topic_terms.csv")
    reps = representative_posts(model, dtm, n=2)
    reps["text"] = ctx.safe_text(posts.set_index("post_id")["text"].reindex(reps["post_id"])).to_numpy()
    reps.insert(1, "label", reps["topic"].map(dict(enumerate(labels))))
    write_csv(reps.drop(columns="post_id"), out / "representative_posts.csv")
    sec.tables.append("representative_posts.csv")
    theta = doc_topics(model, dtm)
    used = [k_ for k_ in range(k) if (theta["topic"] == f"topic_{k_}").any()]
    info = posts.set_index("post_id").loc[theta.index, ["account_type", "created_at"]]
    frame = pd.DataFrame({"topic": theta["topic"].str.replace("topic_", "").astype(int).to_numpy(),
                          "gov": (info["account_type"] == "government").to_numpy(),
                          "month": _month(info["created_at"]).to_numpy()})
    frame["label"] = frame["topic"].map(dict(enumerate(labels)))
    lead = frame.groupby(["topic", "label"]).agg(posts=("gov", "size"), government_share=("gov", "mean")
                                                 ).reset_index()
    first = frame.groupby(["topic", "gov"])["month"].min().unstack()
    lead["led_by"] = np.where(lead["government_share"] >= 0.5, "government", "citizens")
    lead["first_month_government"] = lead["topic"].map(first.get(True, pd.Series(dtype=str)))
    lead["first_month_citizens"] = lead["topic"].map(first.get(False, pd.Series(dtype=str)))
    write_csv(lead.sort_values("posts", ascending=False), out / "topic_leadership.csv")
    sec.tables.append("topic_leadership.csv")
    dated = info["created_at"].notna().to_numpy()
    if dated.any():
        prevalence = frame[dated].assign(label=frame["topic"].astype(str) + ": " + frame["label"])
        prevalence = prevalence.groupby(["month", "label"]).size().rename("posts").reset_index()
        prevalence["share"] = prevalence["posts"] / prevalence.groupby("month")["posts"].transform("sum")
        write_csv(prevalence, out / "topic_prevalence_by_month.csv")
        sec.tables.append("topic_prevalence_by_month.csv")
        sec.figures.append(_save(lines_figure(prevalence, x="month", y="share", group="label", top=8,
                                              ylabel="share of the month's posts",
                                              title="Prevalence of the eight largest topics"),
                                 out / "topic_prevalence.png"))
    sec.summary.append(f"K = {k} ({'fixed in the config' if cfg.get('k') else 'highest mean coherence in the sweep'}"
                       f"); {len(used)} topics hold posts; {int((lead['led_by'] == 'government').sum())} are led "
                       f"by agencies (most of their posts are agencies').")
    if edge:
        sec.summary.append(f"Warning: {edge}")
    if ctx.truth is not None:
        from ..topics.evaluate import agreement

        planted = ctx.truth[0].reindex(theta.index)["topic"]
        ok = planted.notna().to_numpy()
        nmi = agreement(planted[ok].to_numpy(), theta["topic"].to_numpy()[ok])["nmi"]
        sec.truth.append({"experiment": "topics", "quantity": "NMI of topics with the planted topics",
                          "planted": 1.0, "estimate": nmi, "interval": "", "recovered": nmi >= 0.3,
                          "criterion": "NMI ≥ 0.3 (all posts, incl. chatter without topic words)"})
    ctx.cache["topic_of_post"] = pd.Series((frame["topic"].astype(str) + ": " + frame["label"]).to_numpy(),
                                           index=theta.index)
    sec.caveats.append("Topic models find word co-occurrence, not meaning; labels list the most probable and the "
                       "FREX words, and the sweep shows how the picture changes with K.")
    return sec


def _edge_of_grid(k: int, ks: list[int]) -> str | None:
    """A warning when the chosen K is the smallest or largest K tried (None otherwise)."""
    if len(set(ks)) < 2 or min(ks) < k < max(ks):
        return None
    side = "smallest" if k == min(ks) else "largest"
    return (f"K = {k} is the {side} K tried ({sorted(set(ks))}): the best K may lie outside the grid; widen "
            "[topics] ks and run again, or fix k.")


def exp_engagement(ctx: Context, out: Path) -> Section:
    """Engagement: Bonsón metrics per agency and theme; NB regression IRRs in a forest plot."""
    from ..analysis.engagement import bonson_metrics, engagement_regression
    from ..output.plotting import forest_figure, interval_figure

    sec = Section("engagement", "3. Which uses draw citizens in",
                  "Which themes attract likes, shares and replies, once account size, links and hashtags are "
                  "accounted for?",
                  "Popularity, commitment and virality metrics of Bonsón & Ratkai (2013) per agency and theme, "
                  "with intervals from resampling accounts; negative binomial regressions (log link, NB2) of "
                  "likes, shares and replies on the posts' scored OECD theme with controls for followers, "
                  "links, hashtags, length, hour and weekend, standard errors clustered by account. "
                  "Incidence-rate ratios compare a post wholly of a theme with one providing information.")
    gov = ctx.gov
    proba = ctx.themes("oecd")
    labels = ctx.theme_labels("oecd")
    by_theme = bonson_metrics(gov, by=labels, n_boot=ctx.n_boot, random_state=ctx.seed)
    write_csv(by_theme, out / "bonson_by_theme.csv")
    by_agency = bonson_metrics(gov, by="account_name", n_boot=ctx.n_boot, random_state=ctx.seed)
    write_csv(by_agency, out / "bonson_by_agency.csv")
    sec.tables += ["bonson_by_theme.csv", "bonson_by_agency.csv"]
    e = by_theme[by_theme["metric"] == "E"].sort_values("estimate", ascending=False)
    sec.figures.append(_save(interval_figure(e.rename(columns={"group": "theme"}), label="theme",
                                             xlabel="engagement index E (per 1,000 followers)",
                                             title="Engagement index by theme, 95 % intervals"),
                             out / "engagement_by_theme.png"))
    # the scored theme of each post (one-hot): in checks against planted effects this was less
    # attenuated than regressing on the probabilities; mentions are left out of the controls
    # because replying to or tagging someone is part of what responding and collaborating are
    onehot = pd.get_dummies(labels).astype(float).reindex(columns=list(proba.columns), fill_value=0.0)
    controls = ["log_followers_10k", "has_link", "has_hashtag", "length_100", "hour_morning", "hour_afternoon",
                "hour_evening", "weekend"]
    rows = []
    for outcome in ("likes", "shares", "replies"):
        table = engagement_regression(gov, onehot, outcome=outcome, reference="providing_information",
                                      controls=controls)
        table.insert(0, "outcome", outcome)
        rows.append(table)
    irr = pd.concat(rows, ignore_index=True)
    write_csv(irr, out / "irr.csv")
    sec.tables.append("irr.csv")
    themes_only = irr[irr["term"].isin(proba.columns)]
    sec.figures.append(_save(forest_figure(themes_only, title="Incidence-rate ratios vs providing information"),
                             out / "irr_forest.png"))
    best = themes_only[themes_only["outcome"] == "replies"].sort_values("irr", ascending=False).iloc[0]
    sec.summary.append(f"Replies: posts {best['term'].replace('_', ' ')} draw {best['irr']:.2f}× the replies of "
                       f"informational posts (95 % interval {best['low']:.2f}–{best['high']:.2f}).")
    if ctx.truth is not None:
        planted = ctx.truth[1]["engagement"]["theme"]
        for row in themes_only.itertuples():
            value = planted[row.outcome].get(row.term)
            if value is None:
                continue
            true_irr = float(np.exp(value - planted[row.outcome]["providing_information"]))
            sec.truth.append({"experiment": "engagement", "quantity": f"IRR {row.outcome}: {row.term}",
                              "planted": true_irr, "estimate": row.irr, "interval": f"{row.low:.3f}–{row.high:.3f}",
                              "recovered": bool(row.low <= true_irr <= row.high), "criterion": "inside the 95 % interval"})
    sec.caveats.append("Theme probabilities come from a scorer, not from coders; their errors pull the ratios "
                       "towards 1. With few accounts, clustered intervals are optimistic.")
    return sec


def exp_responsiveness(ctx: Context, out: Path) -> Section:
    """Immediacy and responsiveness: requests, response rates and latency, KM curves."""
    from ..analysis.conversation import responses, responsiveness
    from ..output.plotting import km_figure

    sec = Section("responsiveness", "4. Immediacy and responsiveness",
                  "How often, and how fast, do agencies answer citizens' questions and complaints?",
                  "Citizen posts that reply to or mention an agency are classified by wording; questions and "
                  "complaints are requests. A request is answered when the agency replies to it. Unanswered "
                  "requests are censored at the end of the data, and the time to response is estimated by "
                  "Kaplan & Meier (1958), so slow agencies are not made to look fast by dropping them. Latency is "
                  "also counted in business hours (weekdays 9–17) of the agency's time zone.")
    timezones = {}
    registry = ctx.config["input"].get("registry")
    if registry and Path(registry).exists():
        reg = pd.read_csv(registry, dtype=str)
        if {"account_id", "timezone"} <= set(reg.columns):
            timezones = dict(zip(reg["account_id"], reg["timezone"]))
    table = responses(ctx.posts, timezones=timezones)
    if table.empty:
        sec.summary.append("No citizen requests to agencies were found in these data.")
        return sec
    names = ctx.posts.drop_duplicates("account_id").set_index("account_id")["account_name"]
    table["agency"] = table["addressed_account_id"].map(names).fillna(table["addressed_account_id"])
    write_csv(_citizen_rows(table, ctx.key), out / "requests.csv")
    summary = responsiveness(table, by="agency")
    write_csv(summary, out / "responsiveness_by_agency.csv")
    sec.tables += ["requests.csv", "responsiveness_by_agency.csv"]
    if "topic_of_post" in ctx.cache:
        by_topic = responsiveness(table, by=ctx.cache["topic_of_post"])
        write_csv(by_topic, out / "responsiveness_by_topic.csv")
        sec.tables.append("responsiveness_by_topic.csv")
    parent = ctx.posts.set_index("post_id")["reply_to_post_id"]
    request_theme = table["post_id"].map(parent).map(ctx.theme_labels("oecd"))
    by_theme = responsiveness(table.assign(theme=request_theme.fillna("(a mention, no post)")), by="theme")
    write_csv(by_theme, out / "responsiveness_by_theme.csv")
    sec.tables.append("responsiveness_by_theme.csv")
    overall = responsiveness(table, by=None).iloc[0]
    sec.figures.append(_save(km_figure(table, by="agency", title="Time to response (Kaplan–Meier)"),
                             out / "km_curves.png"))
    sec.summary.append(f"{len(table):,} requests; {overall['response_rate']:.0%} answered (95 % interval "
                       f"{overall['rate_low']:.0%}–{overall['rate_high']:.0%}); Kaplan–Meier median time to response "
                       f"{overall['km_median_h']:.1f} h; {overall['answered_24h']:.0%} answered within 24 h.")
    if ctx.truth is not None:
        truth, effects = ctx.truth
        agencies = {a["account_id"]: a for a in effects["agencies"]}
        for agency_id, part in table.groupby("addressed_account_id"):
            spec = agencies.get(str(agency_id))
            if spec is None:
                continue
            p = np.where(part["request_type"] == "question", spec["response_prob_question"],
                         spec["response_prob_complaint"])
            expected, n = float(p.mean()), len(part)
            se = float(np.sqrt((p * (1 - p)).sum()) / n)
            rate = float(part["answered"].mean())
            sec.truth.append({"experiment": "responsiveness", "quantity": f"response rate: {spec['handle']}",
                              "planted": expected, "estimate": rate,
                              "interval": f"± {3 * se + 1.5 / n:.3f}", "recovered": abs(rate - expected) <= 3 * se + 1.5 / n,
                              "criterion": "within 3 standard errors"})
    sec.caveats.append("Requests are found by wording rules (docs/engagement.md); an answer by phone or direct "
                       "message is invisible here.")
    return sec


def _citizen_rows(table: pd.DataFrame, key: PseudonymKey) -> pd.DataFrame:
    """Requests as they may be published: a keyed pseudonym of the citizen's post id (no id
    without a key), the day instead of the exact time, and neither the citizen's account
    nor the agency's reply id (a reply's id leads to the post it answers)."""
    rows = table.drop(columns=["post_id", "account_id", "response_post_id", "created_at"], errors="ignore")
    rows.insert(0, "date", table["created_at"].dt.tz_convert("UTC").dt.strftime("%Y-%m-%d").to_numpy())
    if key.key is not None:
        rows.insert(0, "request", pseudonymise_ids(table["post_id"], key.key))
    return rows


def exp_risks(ctx: Context, out: Path) -> Section:
    """Risks: privacy exposure, disputes and corrections, sentiment of citizen replies."""
    from ..analysis.conversation import addressed_posts
    from ..analysis.perception import risk_indicators, sentiment, sentiment_by
    from ..output.plotting import interval_figure, lines_figure

    sec = Section("risks", "5. Risks: privacy, quality of information, perception",
                  "How much personal information do citizens expose to agencies, how often is agencies' "
                  "information disputed or corrected, and how do citizens feel?",
                  "Personal information is detected by govsocial.text.privacy (e-mail, phone, tax file and Medicare "
                  "numbers, cards, street addresses) — only counts are reported. Disputes are replies that say "
                  "the agency's information is wrong; corrections are agencies' posts that correct or clarify. "
                  "Sentiment is VADER's (Hutto & Gilbert 2014), a transparent lexicon method, validated in "
                  "docs/benchmarks.md.")
    posts = ctx.posts
    scores = sentiment(posts)
    risks = risk_indicators(posts, scores=scores)
    names = posts.drop_duplicates("account_id").set_index("account_id")["account_name"]
    risks.insert(1, "agency", risks["account_id"].map(names))
    write_csv(risks.drop(columns="account_id"), out / "risk_indicators.csv")
    sec.tables.append("risk_indicators.csv")
    addressed = addressed_posts(posts)
    citizen = posts[posts["post_id"].isin(set(addressed["post_id"]))]
    if len(citizen):
        parent = posts.set_index("post_id")["reply_to_post_id"]
        theme = citizen["post_id"].map(parent).map(ctx.theme_labels("oecd"))
        by_theme = sentiment_by(citizen, pd.Series(theme.to_numpy(), index=citizen["post_id"].to_numpy()),
                                scores=scores.reindex(citizen["post_id"]), n_boot=ctx.n_boot, random_state=ctx.seed)
        write_csv(by_theme, out / "sentiment_by_theme.csv")
        sec.tables.append("sentiment_by_theme.csv")
        if len(by_theme) and "negative_share_low" in by_theme.columns:
            sec.figures.append(_save(interval_figure(by_theme.rename(columns={
                "negative_share": "estimate", "negative_share_low": "low", "negative_share_high": "high"}),
                label="group", xlabel="share of citizens' replies with negative sentiment",
                title="Negative replies by theme of the agency's post"), out / "negative_by_theme.png"))
        month = _month(citizen["created_at"])
        monthly = pd.DataFrame({"month": month.to_numpy(), "negative": (scores.reindex(citizen["post_id"])[
            "label"] == "negative").to_numpy(), "group": "citizens' posts to agencies"})
        monthly = monthly.groupby(["month", "group"])["negative"].mean().rename("share").reset_index()
        write_csv(monthly, out / "negative_share_by_month.csv")
        sec.figures.append(_save(lines_figure(monthly, x="month", y="share", group="group",
                                              ylabel="negative share", title="Negative sentiment over time"),
                                 out / "negative_by_month.png"))
    totals = risks.groupby("indicator")[["numerator", "denominator"]].sum()
    if "posts_with_personal_information" in totals.index:
        pii = totals.loc["posts_with_personal_information"]
        sec.summary.append(f"{int(pii['numerator']):,} of {int(pii['denominator']):,} citizen posts to agencies "
                           f"({pii['numerator'] / max(pii['denominator'], 1):.0%}) carry personal information.")
    if ctx.truth is not None:
        truth = ctx.truth[0]
        corrections = int(totals.loc["corrections_share", "numerator"]) if "corrections_share" in totals.index else 0
        planted = int((truth["is_correction"] == 1).sum())
        sec.truth.append({"experiment": "risks", "quantity": "agency corrections found", "planted": planted,
                          "estimate": corrections, "interval": "", "recovered": corrections == planted,
                          "criterion": "all found"})
        disputes = int(totals.loc["disputed_replies_share", "numerator"])
        planted_d = int((truth["is_dispute"] == 1).sum())
        sec.truth.append({"experiment": "risks", "quantity": "disputing replies found", "planted": planted_d,
                          "estimate": disputes, "interval": "", "recovered": abs(disputes - planted_d) <= 0.1 * planted_d,
                          "criterion": "within 10 %"})
    sec.caveats.append("A lexicon reads wording, not sarcasm or context; use sentiment shares to compare groups "
                       "and periods.")
    return sec


EXPERIMENTS: dict[str, Callable[[Context, Path], Section]] = {
    "uses": exp_uses, "topics": exp_topics, "engagement": exp_engagement, "responsiveness": exp_responsiveness,
    "risks": exp_risks,
}


def _inputs(ctx: Context) -> list[str]:
    """Every file the run reads: exports, registry, planted truth."""
    cfg = ctx.config["input"]
    files = list(cfg["paths"]) + [p for p in [cfg.get("registry")] if p]
    if cfg.get("truth"):
        files += [str(Path(cfg["truth"]) / name) for name in ("truth.csv.gz", "effects.json")]
    return files


def _codebook_files(ctx: Context) -> dict[str, str]:
    """Codebook name -> its TOML file (packaged ones inside the installed package)."""
    from importlib import resources

    from ..analysis.themes import available_codebooks

    files = {}
    for entry in ctx.config["themes"]["codebooks"]:
        packaged = entry in available_codebooks() and not Path(entry).suffix
        path = resources.files("govsocial.analysis.themes") / "codebooks" / f"{entry}.toml" if packaged else Path(entry)
        files[ctx.codebook(entry).name] = str(path)
    return files


def run_experiment(name: str, ctx: Context, out: Path) -> Section:
    """Run one experiment into the folder ``out`` (made by the caller; :func:`run` gives a
    temporary folder that it moves into place when the whole run has completed): tables,
    figures, summary.md, manifest.json.

    Example
    -------
    >>> sorted(EXPERIMENTS)[:2]
    ['engagement', 'responsiveness']
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(experiment=name, config=ctx.config, seeds={"seed": ctx.seed}, inputs=_inputs(ctx),
                        codebooks=_codebook_files(ctx), privacy=ctx.key.describe())
    section = EXPERIMENTS[name](ctx, out)
    section.folder = out
    lines = [f"# {section.title}", "", f"**Question.** {section.question}", "", f"**Method.** {section.methods}",
             "", "**Findings.**", "", *[f"- {s}" for s in section.summary], ""]
    if section.truth:
        ok = sum(bool(r["recovered"]) for r in section.truth)
        lines += [f"**Ground-truth check.** {ok} of {len(section.truth)} planted quantities recovered.", ""]
        write_csv(pd.DataFrame(section.truth), out / "ground_truth.csv")
        section.tables.append("ground_truth.csv")
    lines += ["**Caveats.**", "", *[f"- {c}" for c in section.caveats], ""]
    (out / "summary.md").write_text("\n".join(lines), encoding="utf-8")
    posts, rejects = ctx.loaded
    manifest.counts = {"loaded": int(len(posts)), "rejected": int(len(rejects)),
                       "government_posts": int(len(ctx.gov))}
    manifest.write(out)
    return section
