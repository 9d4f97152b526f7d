"""Immediacy and responsiveness: how often, and how fast, do agencies answer citizens'
questions and complaints?

Citizens' posts that reply to or mention an agency are classified by wording; questions
and complaints are requests, answered when the agency replies. Unanswered requests are
censored at the end of the data (Kaplan & Meier 1958); latency is also counted in
business hours of each agency's time zone (from the account registry).

Usage (from the repository root)::

    python experiments/responsiveness.py [CONFIG]   # default: experiments/configs/bundled.toml

Prints response rates per agency, then writes results/<config>/responsiveness/ and the report.
"""

from _question import config_for, write_results

import govsocial as gs

config = config_for("responsiveness")

# 1. read: the config's exports and the registry, with each agency's time zone
data = gs.StudyData.load(config)

# 2. score: requests to agencies and whether (and when) each was answered
requests = gs.responses(data.posts, timezones=data.timezones)
requests["agency"] = requests["addressed_account_id"].map(data.agency_names)

# 3. estimate: response rate with intervals, Kaplan-Meier median time to response
by_agency = gs.responsiveness(requests, by="agency")  # long: group, measure, estimate, low, high, level, n
rates = by_agency[by_agency["measure"] == "response_rate"]
print(rates.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
print(by_agency.pivot(index="group", columns="measure", values="estimate").round(2).to_string())

# 4. tables (requests without citizens' ids, by agency, theme and topic), figure, report
write_results(config)
