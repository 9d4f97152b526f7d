"""Sentence frames of the synthetic corpus's transparency: what agencies write when they
make their own work open to scrutiny.

Written from the definition of transparency in Bertot, Jaeger & Grimes (2010, "Using
ICTs to create a culture of transparency", Government Information Quarterly 27(3),
264–271) and the OECD (2014) primer: an agency publishes its data, its documents, its
decisions, its budget and spending, or how it performs, or an answer names the source it
rests on. An agency post that carries one of these sentences is transparent of that type
(see ``docs/corpus.md``). Frames with ``{url}`` are only used in posts that already carry
a link, so that adding a sentence never changes whether a post has one.

Slots beyond those of :mod:`.frames`: ``{money}`` ``{money2}`` an amount ("$4.2m"),
``{pct}`` a percentage, ``{count}`` a count ("1,284"), ``{small}`` a number from 2 to 9, ``{big}`` one from 10 to 99,
``{fy}`` a financial year ("2022-23"), ``{year}`` a year.
"""

from __future__ import annotations

#: the types of transparency, in the order of the codebook's themes
TYPES = ("data", "documents", "decisions", "budget", "performance", "cited_source")

# Frames of a sentence added to an ordinary agency post, by type.
SENTENCES: dict[str, list[str]] = {
    "data": [
        "The full {n} dataset for {place} is [now on|published on|free to download from] our open data portal {url}",
        "Download the [raw|full|complete] {n} data [as a spreadsheet|in CSV|by suburb]: {url}",
        "[We have published|We have released|Now public:] the {month} {n} figures: {count} {n2} records across {small} districts.",
        "Open data: every {n} record since {year} is now public, [updated monthly|refreshed each week|with a data dictionary].",
        "[See|Explore] the numbers yourself on our {n} data dashboard {url}",
        "The underlying {n} statistics are [released|published] as open data[, free to reuse| under an open licence| each quarter].",
        "Our {n} register is now a public dataset of {count} entries, [searchable by suburb|machine-readable|free to download].",
    ],
    "documents": [
        "Read the full {n} report (PDF, {big} pages): {url}",
        "The independent review of {a} {n} and our response are [published in full|now public|online for anyone to read].",
        "[Documents|Briefing papers|Records] on {n} released under Freedom of Information are [now online|in our disclosure log].",
        "The {n} evaluation report has been tabled in Parliament and is [publicly available|on the public record].",
        "[Read|See] the [policy document|strategy paper|audit report] in full {url}",
        "We have published the {n} audit findings [and our action plan|in full|with every recommendation].",
        "The {fy} annual report, including the {n} program, is [out|published|tabled] today.",
    ],
    "decisions": [
        "Decision: [Council|The board|Our executive] voted {small} to 1 on {date} to approve the {n} changes.",
        "The Minister has approved the {n} plan for {place}. [The decision and reasons are|The full reasons are] published {url}",
        "Minutes of the {date} {n} meeting are now public, including every [decision|resolution|vote].",
        "[We have decided|It has been decided] to [proceed with|pause|extend] the {n} trial; the decision paper is [online|public].",
        "Council resolved on {date} to adopt the new {n} policy. [Agenda and minutes|Meeting papers] are published.",
        "The outcome of the {n} review: [we will|the board will] [go ahead with|change] the plan. Read the decision {url}",
    ],
    "budget": [
        "Budget {fy}: {money} [is allocated|has been set aside] for {n} in {place}. [See the breakdown|Line by line] {url}",
        "We spent {money} on {n} last financial year[, itemised in our annual accounts|; every contract over $10,000 is listed].",
        "Where your money goes: {pct}% of our {n} budget funds front-line {n2}.",
        "[Grant recipients|Contracts] and [amounts|values] for the {n} program are published {url}",
        "The {n} project came in at {money}, {pct}% [under|over] budget. Full costings are [public|on our website].",
        "Our {fy} spending on {n}: {money}, up from {money2} the year before.",
    ],
    "performance": [
        "Our performance: {pct}% of {n} applications were processed within {small} days this quarter.",
        "[Quarterly|Monthly|Annual] results: we met {small} of our 10 {n} service targets. Full scorecard {url}",
        "Average wait for {n} fell to {big} minutes in {month}, against a target of 15.",
        "How we are tracking: {pct}% of {n} calls answered within [two minutes|the target time], [up|down] from last year.",
        "Our {n} service standards and how we performed against each are [published|online] {url}",
        "{pct}% of {n} complaints were resolved [at first contact|within 10 days] in {month}, our annual report shows.",
    ],
    "cited_source": [
        "(Source: {place} Bureau of Statistics, {month} release)",
        "[Figures|Numbers] from the Auditor-General's {n} report, page {big}.",
        "Source: {n} annual report {fy}, table {small}.",
        "[According to|As reported in] the {month} {n} survey by the {place} Statistics Office.",
        "(Data source: the national {n} census, {year})",
    ],
}

# Canned answers that cite their source (their own near-duplicate groups
# ``canned_source:<k>``); like the other canned replies, with and without a link.
SOURCE_RESPONSES = [
    "{citizen} Hi, the figure you asked about is from our {n} annual report, table {small}: {url}",
    "{citizen} Thanks for asking. The numbers come from the official {n} statistics, published here: {url}",
    "{citizen} Hi, according to the latest figures in our annual report (table {small}), this applies to your area too",
    "{citizen} Thanks for your question. Our source is the Auditor-General's report, page {big}, which sets out the details",
]

# Frames of the other modules that are transparent as written: (module table, key, index) -> type.
TRANSPARENT_FRAMES: dict[tuple[str, str, int], str] = {
    ("GOV_FRAMES", "providing_information", 3): "data",  # "New figures show {num}% of ..."
    ("GOV_FRAMES", "providing_information", 7): "documents",  # "The latest {n} report ... is now published"
    ("TEMPLATES", "health", 1): "performance",  # "Emergency department wait times ... are currently about"
    (
        "TEMPLATES",
        "housing",
        1,
    ): "documents",  # "The ... planning proposal is on public exhibition ... View the documents"
}
