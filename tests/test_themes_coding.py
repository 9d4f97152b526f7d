"""The hand-coding round trip (issue 12, point 1), through the command line and the public API:
a sheet is written, filled by the test, read back and checked, two coders compared."""

import pandas as pd
import pytest

import govsocial as gs
from govsocial.cli import main

TEMPLATES = [
    "Road closed on Main St today, more information online",
    "Have your say: take our survey on the new park",
    "Apply online for your parking permit now",
    "Thank you to everyone who came to the open day",
    "Working with our partners on the flood plan",
    "@resident sorry to hear that, please send us the details",
]
# 30 distinct posts (each template with a distinct ending), one with an e-mail address
TEXTS = [f"{TEMPLATES[i % 6]} #{i}" for i in range(29)] + ["Write to jo.bloggs@example.org about the survey"]
THEMES = gs.load_codebook("oecd").names


def _posts_file(tmp_path):
    posts = gs.conform(
        {
            "post_id": [f"p{i}" for i in range(len(TEXTS))],
            "platform": ["x"] * len(TEXTS),
            "text": TEXTS,
            "account_type": ["government"] * len(TEXTS),
            "is_repost": [False] * len(TEXTS),
        }
    )
    path = tmp_path / "posts.parquet"
    posts.to_parquet(path)
    return path


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _fill(path, labels):
    sheet = _read(path)
    sheet["label"] = [labels.get(p, "") for p in sheet["post_id"]]
    sheet.to_csv(path, index=False)


def test_sample_writes_a_sheet_of_distinct_posts_with_the_codebook_alongside(tmp_path, capsys):
    posts = _posts_file(tmp_path)
    out = tmp_path / "sheet.csv"
    assert main(["code", "sample", str(posts), "--n", "8", "--seed", "3", "--out", str(out)]) == 0
    sheet = _read(out)
    ids = [p for p in sheet["post_id"] if p]
    assert len(ids) == 8 and len(set(ids)) == 8
    assert set(ids) <= {f"p{i}" for i in range(len(TEXTS))}
    assert (sheet["label"] == "").all()
    assert [c for c in sheet["code"] if c] == THEMES  # the labels the coder may use, in codebook order
    assert all(t == TEXTS[int(p[1:])] for p, t in zip(sheet["post_id"], sheet["text"]) if p and p != "p29")
    again = tmp_path / "again.csv"
    main(["code", "sample", str(posts), "--n", "8", "--seed", "3", "--out", str(again)])
    assert again.read_bytes() == out.read_bytes()  # same inputs and seed, same sheet


def test_sheet_texts_are_redacted():
    sheet = gs.coding_sheet(TEXTS, len(TEXTS), codebook="oecd", random_state=0)
    assert len([p for p in sheet["post_id"] if p]) == len(TEXTS)
    assert not sheet["text"].str.contains("example.org").any()


def test_check_reports_each_problem_by_row(tmp_path, capsys):
    posts = _posts_file(tmp_path)
    sheet = tmp_path / "sheet.csv"
    main(["code", "sample", str(posts), "--n", "6", "--seed", "1", "--out", str(sheet)])
    frame = _read(sheet)
    ids = [p for p in frame["post_id"] if p]
    frame.loc[: len(ids) - 1, "label"] = [THEMES[0], "gossip", "", THEMES[2], THEMES[3], THEMES[4]]
    extra = pd.DataFrame([{"post_id": ids[0], "label": THEMES[1]}, {"post_id": "nope", "label": THEMES[1]}])
    pd.concat([frame, extra]).fillna("").to_csv(sheet, index=False)
    capsys.readouterr()
    assert main(["code", "check", str(sheet), "--posts", str(posts)]) == 1
    out = capsys.readouterr().out
    n_rows = len(frame)  # the rows the test wrote before the two extra ones (header is row 1)
    assert "4 posts coded, 4 problem(s)" in out
    assert "row 3, field 'label': unknown label 'gossip'" in out
    assert f"row 4, field 'label': post {ids[2]} is not coded" in out
    assert f"row {n_rows + 2}, field 'post_id': post {ids[0]} is listed again (first on row 2)" in out
    assert f"row {n_rows + 3}, field 'post_id': post nope is not in the posts table" in out
    with pytest.raises(gs.InputError, match="line 3"):
        gs.read_coding_sheet(sheet, "oecd")


def test_two_coders_krippendorffs_binary_example(tmp_path, capsys):
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section A: two
    observers, binary data, ten units; the paper computes alpha = 0.095."""
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    names = [THEMES[0], THEMES[3]]
    for who, values in (("a", a), ("b", b)):
        pd.DataFrame(
            {
                "post_id": [f"u{i}" for i in range(10)],
                "text": [f"unit {i}" for i in range(10)],
                "label": [names[v] for v in values],
            }
        ).to_csv(tmp_path / f"{who}.csv", index=False)
    out = gs.coder_agreement(tmp_path / "a.csv", tmp_path / "b.csv")
    assert out["alpha"] == pytest.approx(1 - 19 * 4 / 84) and round(out["alpha"], 3) == 0.095
    assert out["n"] == 10 and out["disagreements"]["post_id"].tolist() == ["u0", "u2", "u5", "u8"]
    capsys.readouterr()
    dis = tmp_path / "dis.csv"
    assert main(["code", "check", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "--disagreements", str(dis)]) == 0
    assert "alpha (nominal) 0.095 over 10 posts" in capsys.readouterr().out
    assert _read(dis)["coder_b"].tolist() == [names[1], names[1], names[1], names[0]]


def test_coarser_labels_and_active_sampling_after_a_first_round(tmp_path):
    posts = _posts_file(tmp_path)
    first = tmp_path / "first.csv"
    three = ["information", "engagement", "intelligence_gathering"]
    assert (
        main(["code", "sample", str(posts), "--n", "12", "--seed", "0", "--labels", *three, "--out", str(first)]) == 0
    )
    assert [c for c in _read(first)["code"] if c] == three
    truth = {f"p{i}": three[[0, 2, 0, 1, 1, 1][i % 6]] for i in range(len(TEXTS))}
    _fill(first, truth)
    coded, problems = gs.read_coding_sheet(first, labels=three)
    assert problems.empty and dict(zip(coded["post_id"], coded["label"])) == {
        p: truth[p] for p in _read(first)["post_id"] if p
    }
    second = tmp_path / "second.csv"
    assert (
        main(
            [
                "code",
                "sample",
                str(posts),
                "--n",
                "5",
                "--strategy",
                "active",
                "--labels",
                *three,
                "--coded",
                str(first),
                "--seed",
                "0",
                "--out",
                str(second),
            ]
        )
        == 0
    )
    new = [p for p in _read(second)["post_id"] if p]
    assert len(new) == 5 and not set(new) & set(coded["post_id"])


def test_active_sheet_without_a_scorer_scores_zero_shot_and_skips_coded():
    posts = gs.conform(
        {
            "post_id": [f"p{i}" for i in range(len(TEXTS))],
            "platform": ["x"] * len(TEXTS),
            "text": TEXTS,
            "account_type": ["government"] * len(TEXTS),
            "is_repost": [False] * len(TEXTS),
        }
    )
    sheet = gs.coding_sheet(posts, 4, "active", codebook="oecd", coded=["p0", "p1"], random_state=0)
    ids = [p for p in sheet["post_id"] if p]
    assert len(set(ids)) == 4 and not {"p0", "p1"} & set(ids)
    with pytest.raises(ValueError, match="strategy must be one of"):
        gs.coding_sheet(posts, 4, "uncertain")


def test_filled_sheet_validates_a_scorer_through_a_mapping(tmp_path):
    """Sheet -> filled labels (three coarse classes) -> validation of the six-theme scorer."""
    to_three = {
        "providing_information": "information",
        "delivering_services": "information",
        "engaging_stakeholders": "engagement",
        "responding_to_requests": "engagement",
        "collaborating": "engagement",
        "sourcing_ideas": "intelligence_gathering",
    }
    three = ["information", "engagement", "intelligence_gathering"]
    sheet = tmp_path / "sheet.csv"
    gs.write_coding_sheet(
        gs.coding_sheet(TEXTS, 10, codebook="oecd", labels={c: "" for c in three}, random_state=2), sheet
    )
    truth = {str(i): three[[0, 2, 0, 1, 1, 1][i % 6]] for i in range(len(TEXTS))}
    _fill(sheet, truth)
    coded, problems = gs.read_coding_sheet(sheet, labels=three)
    assert problems.empty and len(coded) == 10
    scorer = gs.ThemeScorer("oecd", "seeded", random_state=0).fit(TEXTS)
    posts = [TEXTS[int(p)] for p in coded["post_id"]]
    out = scorer.validate(posts, coded["label"].tolist(), mapping=to_three, n_boot=0)
    confusion = out["confusion"]
    assert int(confusion.to_numpy().sum()) == 10
    gold_counts = pd.Series([truth[p] for p in coded["post_id"]]).value_counts()
    assert all(int(confusion.loc[c].sum()) == n for c, n in gold_counts.items())  # rows: the coder's labels


def test_sheets_hold_no_citizen_post_ids_or_handles():
    """A sheet drawn from a mixed posts table holds government posts only, and mentions of
    accounts other than government ones are masked (counted against what the test wrote)."""
    n = 40
    citizen = [i % 2 == 1 for i in range(n)]
    texts = [
        f"@cityhall @jane_doe{i} is the park open? #{i}" if c else f"@jane_doe{i} thanks, the park is open #{i}"
        for i, c in enumerate(citizen)
    ]
    posts = gs.conform(
        {
            "post_id": [f"c{i}" if c else f"g{i}" for i, c in enumerate(citizen)],
            "platform": ["x"] * n,
            "text": texts,
            "account_name": ["jane" if c else "cityhall" for c in citizen],
            "account_type": ["citizen" if c else "government" for c in citizen],
        }
    )
    for strategy in ("random", "active"):
        sheet = gs.coding_sheet(posts, 10, strategy=strategy, random_state=0)
        rows = sheet[sheet["post_id"] != ""]
        assert len(rows) == 10 and rows["post_id"].str.startswith("g").all()
        assert not rows["text"].str.contains("jane_doe").any()
        assert rows["text"].str.startswith("@user thanks").all()
    with pytest.raises(gs.InputError, match="no government post"):
        gs.coding_sheet(posts[posts["account_type"] == "citizen"], 5)
