"""Codebooks: packaged ones load; a malformed one names the theme and the field."""

import pytest

from govsocial.analysis.themes import CUES, available_codebooks, load_codebook
from govsocial.core.exceptions import InputError


def test_packaged_codebooks_load_with_definitions_and_seeds():
    for name in available_codebooks():
        book = load_codebook(name)
        assert book.citation and len(book) >= 3
        for theme in book.themes:
            assert theme.definition and theme.terms
            assert set(theme.cues) <= set(CUES)


def test_oecd_has_the_six_uses():
    assert load_codebook("oecd").names == [
        "providing_information",
        "delivering_services",
        "engaging_stakeholders",
        "sourcing_ideas",
        "responding_to_requests",
        "collaborating",
    ]


def test_user_codebook_round_trip(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        'name = "mine"\n[themes.asking]\nlabel = "Asking"\ndefinition = "Asks."\n'
        'seeds = ["survey"]\ncues = { asks_question = 1 }\n'
    )
    book = load_codebook(path)
    assert book.name == "mine" and book["asking"].cues == {"asks_question": 1.0}
    assert book.seeds() == {"asking": ["survey"]}


@pytest.mark.parametrize(
    "body, field",
    [
        ('[themes.a]\nlabel = "A"\n', "themes.a.definition"),
        ('[themes.a]\nlabel = "A"\ndefinition = "d"\nseeds = "survey"\n', "themes.a.seeds"),
        (
            '[themes.a]\nlabel = "A"\ndefinition = "d"\nseeds = ["x"]\ncues = { is_retweet = 1 }\n',
            "themes.a.cues.is_retweet",
        ),
        ('[themes.a]\nlabel = "A"\ndefinition = "d"\nseedz = ["x"]\n', "themes.a.seedz"),
        ('[themes.a]\nlabel = "A"\ndefinition = "d"\n', "themes.a.seeds"),
        ('title = "no themes"\n', "themes"),
    ],
)
def test_malformed_codebook_names_theme_and_field(tmp_path, body, field):
    path = tmp_path / "bad.toml"
    path.write_text(body)
    with pytest.raises(InputError) as info:
        load_codebook(path)
    assert info.value.field == field and str(path) in str(info.value)


def test_unknown_name_and_bad_toml(tmp_path):
    with pytest.raises(ValueError, match="no packaged codebook 'nope'"):
        load_codebook("nope")
    path = tmp_path / "broken.toml"
    path.write_text("[themes\n")
    with pytest.raises(InputError, match="not valid TOML"):
        load_codebook(path)


def test_every_seed_survives_the_tokeniser():
    """A seed that the default tokeniser removes (a stopword) can never match; phrases cover those."""
    import govsocial as gs

    tokenizer = gs.Tokenizer()
    dead = [
        (name, theme.name, seed)
        for name in available_codebooks()
        for theme in load_codebook(name).themes
        for seed in theme.seeds
        if not tokenizer(seed.rstrip("*"))
    ]
    assert not dead, dead
