"""Topics: a K sweep, the chosen model's topics, their prevalence over time, and which
topics agencies lead.

Example
-------
>>> STUDY.name
'topics'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..data import month_of
from .base import Outputs, Study

if TYPE_CHECKING:
    from ..config import Config
    from ..data import StudyData

__all__ = ["STUDY", "agency_led", "edge_of_grid", "run"]


def _methods(config: Config) -> str:
    return (
        f"Posts are tokenised (hashtags split, emoji named, personal information redacted) and a "
        f"{config.topics.model.upper()} topic model — the Dirichlet multinomial mixture for short texts (Yin & "
        "Wang 2014) by default — is fitted for several K and seeds"
        + (
            ", with a background word distribution that takes the words every topic uses (Chemudugunta, "
            "Smyth & Steyvers 2006)"
            if config.topics.background
            else ""
        )
        + "; K is chosen by mean c_npmi coherence "
        "(Röder et al. 2015) unless the config fixes it, with diversity and stability across seeds shown "
        "beside it. Topics are labelled by their most probable words and their FREX words (Bischof & "
        "Airoldi 2012) together, as stm's labelTopics does: FREX words alone can name a topic by words "
        "its posts seldom use."
    )


def edge_of_grid(k: int, ks: list[int]) -> str | None:
    """A warning when the chosen K is the smallest or largest K tried (None otherwise).

    Example
    -------
    >>> edge_of_grid(8, [8, 16, 24])[:29]
    'K = 8 is the smallest K tried'
    >>> edge_of_grid(16, [8, 16, 24]) is None
    True
    """
    if len(set(ks)) < 2 or min(ks) < k < max(ks):
        return None
    side = "smallest" if k == min(ks) else "largest"
    return (
        f"K = {k} is the {side} K tried ({sorted(set(ks))}): the best K may lie outside the grid; widen "
        "[topics] ks and run again, or fix k."
    )


def _fit(data: StudyData, config: Config, out: Outputs) -> tuple[Any, int, str | None]:
    """The K sweep into ``out``, then the model at the chosen (or fixed) K."""
    from sklearn.base import clone

    from ...output.plotting import select_k_figure
    from ...topics.models import MODELS
    from ...topics.selection import select_k

    cfg = config.topics
    model_cls = MODELS[cfg.model]
    base = model_cls(n_iter=cfg.n_iter) if "n_iter" in model_cls().get_params() else model_cls()
    if cfg.background:  # the config check made sure the model has the parameter
        base.set_params(background=True)
    sweep = select_k(base, data.matrix, ks=list(cfg.ks), seeds=list(cfg.seeds), top_n=cfg.top_n, split_seed=config.seed)
    out.tables["k_sweep.csv"] = sweep.drop(columns="fit_seconds")
    out.figures["k_sweep.png"] = select_k_figure(sweep)
    k = cfg.k if cfg.k else int(sweep.groupby("k")["coherence"].mean().idxmax())
    edge = None if cfg.k else edge_of_grid(k, list(cfg.ks))
    # the sweep's model (its n_iter, background) at the chosen K and the run's seed
    return clone(base).set_params(n_components=k, random_state=config.seed).fit(data.matrix), k, edge


def _describe(data: StudyData, model: Any, labels: list[str], top_n: int, out: Outputs) -> None:
    """Topic terms (probable and FREX words) and representative posts, redacted."""
    from ...topics.tables import representative_posts, topic_terms

    dtm, posts = data.matrix, data.originals
    terms = pd.concat(
        [topic_terms(model, top_n=top_n, by=by, dtm=dtm).assign(ranking=by) for by in ("prob", "frex")],
        ignore_index=True,
    )
    terms["label"] = terms["topic"].map(dict(enumerate(labels)))
    out.tables["topic_terms.csv"] = terms[["topic", "label", "ranking", "rank", "display", "prob", "frex"]]
    reps = representative_posts(model, dtm, n=2)
    reps["text"] = data.safe_text(posts.set_index("post_id")["text"].reindex(reps["post_id"])).to_numpy()
    reps.insert(1, "label", reps["topic"].map(dict(enumerate(labels))))
    out.tables["representative_posts.csv"] = reps.drop(columns="post_id")


def _leadership(frame: pd.DataFrame) -> pd.DataFrame:
    """Per topic: posts, the government's share, who leads, each side's first month."""
    lead = frame.groupby(["topic", "label"]).agg(posts=("gov", "size"), government_share=("gov", "mean")).reset_index()
    first = frame.groupby(["topic", "gov"])["month"].min().unstack()
    lead["led_by"] = np.where(lead["government_share"] >= 0.5, "government", "citizens")
    lead["first_month_government"] = lead["topic"].map(first.get(True, pd.Series(dtype=str)))
    lead["first_month_citizens"] = lead["topic"].map(first.get(False, pd.Series(dtype=str)))
    return lead.sort_values("posts", ascending=False)


def agency_led(frame: pd.DataFrame, n_boot: int, random_state: Any = None, level: float = 0.95) -> dict[str, Any]:
    """The number of topics led by agencies (at least half their posts government posts, as in
    ``topic_leadership.csv``) with a percentile interval from ``n_boot`` resamples of the
    accounts, each with all its posts (its posts when there is one account), the posts'
    topics held fixed: ``estimate, low, high, level, n`` (posts) and ``n_accounts``.
    ``frame`` has a ``topic``, ``gov`` (bool) and ``account_id`` per post.

    Example
    -------
    >>> f = pd.DataFrame({"topic": [0, 0, 1, 1, 1], "gov": [True, True, False, False, True],
    ...                   "account_id": ["g", "g", "c", "d", "h"]})
    >>> r = agency_led(f, 200, random_state=0)
    >>> r["estimate"], r["n"], r["n_accounts"], r["low"] <= 1 <= r["high"]
    (1, 5, 4, True)
    """
    from ...core.bootstrap import cluster_totals, resample_totals

    topics = np.unique(frame["topic"].to_numpy())
    k = np.searchsorted(topics, frame["topic"].to_numpy())
    values = np.zeros((len(frame), 2 * len(topics)))
    values[np.arange(len(frame)), k] = 1.0  # the post's topic …
    values[np.arange(len(frame)), len(topics) + k] = frame["gov"].to_numpy(dtype=float)  # … when an agency's
    accounts = frame["account_id"].astype("string").fillna("(unknown)").to_numpy(dtype=object)

    def led(counts: np.ndarray) -> np.ndarray:
        posts, gov = counts[..., : len(topics)], counts[..., len(topics) :]
        return ((posts > 0) & (gov >= 0.5 * posts)).sum(axis=-1)

    totals = cluster_totals(values, accounts, single_by_rows=True)
    low = high = float("nan")
    if n_boot:
        from ...core.validation import check_random_state

        draws = led(resample_totals(totals, n_boot, check_random_state(random_state)))
        tail = (1 - level) / 2  # counts: quantiles that are draws, not interpolated
        low, high = (int(v) for v in np.quantile(draws, [tail, 1 - tail], method="inverted_cdf"))
    return {
        "estimate": int(led(values.sum(axis=0))),
        "low": low,
        "high": high,
        "level": level,
        "n": len(frame),
        "n_accounts": len(set(accounts)),
    }


def _probable(label: str) -> str:
    """The probable-words half of a "prob: … | frex: …" label (short enough for a panel title)."""
    return label.split(" | ")[0].removeprefix("prob: ")


def _prevalence(data: StudyData, config: Config, model: Any, labels: list[str], out: Outputs) -> None:
    """Monthly topic shares of agencies' and the public's posts, with account-cluster bootstrap
    intervals that carry the model's posterior draws too (:func:`govsocial.prevalence`)."""
    from ...output.topic_figures import prevalence_figure
    from ...topics.prevalence import prevalence

    posts = data.originals
    posts = posts[posts["created_at"].notna().to_numpy()]  # a month per post: undated posts are left out
    gov = (posts["account_type"] == "government").to_numpy()
    tables = {
        who: prevalence(
            model, posts[mask], by="month", dtm=data.matrix, n_boot=config.run.n_boot, random_state=config.seed
        )
        for who, mask in (("agencies", gov), ("public", ~gov))
        if mask.any()
    }
    if not tables:
        return
    table = pd.concat(tables, names=["who"]).reset_index("who").reset_index(drop=True)
    table.insert(3, "label", table["topic"].map(dict(enumerate(labels))))
    out.tables["topic_prevalence_by_month.csv"] = table.rename(columns={"group": "month"})
    overall = table.assign(w=table["estimate"] * table["n"]).groupby("topic")["w"].sum()
    largest = list(overall.sort_values(ascending=False, kind="stable").index[:6])
    out.figures["topic_prevalence.png"] = prevalence_figure(
        table[table["topic"].isin(largest)],
        hue="who",
        labels={k: f"{k}: {_probable(labels[k])}" for k in largest},
        title="Monthly share of posts: the six largest topics, agencies and the public (95% intervals)",
    )


def run(data: StudyData, config: Config) -> Outputs:
    """Topics of every post but reposts; hands ``topic_of_post`` (post_id → "k: label") on.

    Example
    -------
    >>> import inspect
    >>> list(inspect.signature(run).parameters)
    ['data', 'config']
    """
    from ...topics.evaluate import agreement
    from ...topics.tables import doc_topics, topic_labels

    out = Outputs()
    model, k, edge = _fit(data, config, out)
    labels = topic_labels(model, n=3)
    _describe(data, model, labels, config.topics.top_n, out)
    theta = doc_topics(model, data.matrix)
    used = [k_ for k_ in range(k) if (theta["topic"] == f"topic_{k_}").any()]
    info = data.originals.set_index("post_id").loc[theta.index, ["account_id", "account_type", "created_at"]]
    frame = pd.DataFrame(
        {
            "topic": theta["topic"].str.replace("topic_", "").astype(int).to_numpy(),
            "gov": (info["account_type"] == "government").to_numpy(),
            "month": month_of(info["created_at"]).to_numpy(),
            "account_id": info["account_id"].to_numpy(),
        }
    )
    frame["label"] = frame["topic"].map(dict(enumerate(labels)))
    lead = _leadership(frame)
    out.tables["topic_leadership.csv"] = lead
    if info["created_at"].notna().any():
        _prevalence(data, config, model, labels, out)
    how = "fixed in the config" if config.topics.k else "highest mean coherence in the sweep"
    led = agency_led(frame, config.run.n_boot, config.seed)
    out.summary.append(
        f"K = {k} ({how}); {len(used)} topics hold the {led['n']:,} posts; {led['estimate']} {'is' if led['estimate'] == 1 else 'are'} led by agencies "
        f"(at least half their posts are agencies'; 95 % interval {led['low']}–{led['high']} topics, from "
        f"resampling the {led['n_accounts']:,} accounts with all their posts, each post's topic held fixed)."
    )
    if edge:
        out.warnings.append(edge)
        out.summary.append(f"Warning: {edge}")
    if data.truth is not None:
        planted = data.truth.planted("topic", theta.index)
        ok = planted.notna().to_numpy()
        out.truth += data.truth.topic_agreement(agreement(planted[ok].to_numpy(), theta["topic"].to_numpy()[ok])["nmi"])
    out.values["topic_of_post"] = pd.Series(
        (frame["topic"].astype(str) + ": " + frame["label"]).to_numpy(), index=theta.index
    )
    out.caveats.append(
        "Topic models find word co-occurrence, not meaning; labels list the most probable and the "
        "FREX words, and the sweep shows how the picture changes with K."
    )
    return out


STUDY = Study(
    "topics",
    "2. The topic landscape",
    "What do agencies and citizens post about, and which topics do agencies lead?",
    _methods,
    run,
)
