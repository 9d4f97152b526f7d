import pandas as pd
import pytest

import govsocial as gs
from govsocial.core.exceptions import SchemaError


def test_registry_marks_government_accounts_by_id_and_handle(fixtures):
    files = [fixtures / n for n in ("twitter_v2_page.json", "twitter_v1.json", "crowdtangle.csv", "mastodon.json")]
    posts, _ = gs.read_posts(files, registry=fixtures / "registry.csv")
    kinds = posts.groupby("account_name")["account_type"].first().astype(str).to_dict()
    assert kinds["KelbrookHealth"] == "government"  # by id
    assert kinds["MarfordTransport"] == "government"  # by handle, platform alias X, leading @ and case ignored
    assert kinds["DunfordRoads"] == "government"
    assert kinds["StanbrookHousing"] == "government"
    assert kinds["kinfordcouncil"] == "government"  # mastodon handle
    assert kinds["AshdaleCouncil"] == "unknown"  # a government page missing from the registry stays unknown
    assert kinds["jo_citizen42"] == "unknown"
    org = posts.groupby("account_name")["organisation"].first()
    assert org["DunfordRoads"] == "Dunford Roads" and pd.isna(org["jo_citizen42"])


def test_unregistered_accounts_are_citizens_only_when_asked(fixtures):
    posts, _ = gs.read_posts(
        fixtures / "twitter_v2_page.json", registry=fixtures / "registry.csv", unregistered="citizen"
    )
    assert posts.set_index("account_name")["account_type"].astype(str).to_dict() == {
        "KelbrookHealth": "government",
        "jo_citizen42": "citizen",
        "surfdad77": "citizen",
        "MarfordTransport": "government",
    }


def test_handles_on_another_platform_do_not_match(fixtures):
    reg = pd.DataFrame({"platform": ["facebook"], "handle": ["KelbrookHealth"]})
    posts, _ = gs.read_posts(fixtures / "twitter_v2_page.json", registry=reg)
    assert (posts["account_type"] == "unknown").all()


def test_registry_problems_are_listed_with_lines(tmp_path):
    path = tmp_path / "reg.csv"
    path.write_text(
        "platform,account_id,handle,account_type\ntwitter,1,,government\n,2,,\ntwitter,,,\ntwitter,1,,robot\n"
    )
    with pytest.raises(SchemaError) as info:
        gs.load_registry(path)
    text = str(info.value)
    assert "empty 'platform' on line(s) 3" in text
    assert "neither 'account_id' nor 'handle' on line(s) 4" in text
    assert "government or citizen on line(s) 5" in text
    assert "duplicated" in text
    with pytest.raises(SchemaError, match="'platform' is missing"):
        gs.load_registry(pd.DataFrame({"handle": ["x"]}))
    with pytest.raises(gs.InputError, match="not found"):
        gs.load_registry(tmp_path / "nope.csv")


def test_registry_can_name_citizen_accounts(fixtures):
    reg = pd.DataFrame(
        {
            "platform": ["twitter", "twitter"],
            "handle": ["kelbrookhealth", "jo_citizen42"],
            "account_type": ["government", "citizen"],
        }
    )
    posts, _ = gs.read_posts(fixtures / "twitter_v2_page.json", registry=reg)
    kinds = posts.set_index("account_name")["account_type"].astype(str)
    assert kinds["jo_citizen42"] == "citizen" and kinds["surfdad77"] == "unknown"
