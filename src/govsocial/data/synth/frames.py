"""Sentence frames of the synthetic corpus: what the agencies write.

Government frames are written from the definitions of the six OECD (2014)
uses of social media by governments; the citizens' frames (questions,
complaints, praise, disputes, chatter) are in :mod:`.citizen_frames` and
importable from here as well. Slots in braces are filled by the generator:

``{n}`` ``{n2}`` ``{n3}`` topic nouns, ``{v}`` topic verb, ``{a}`` topic adjective,
``{place}`` ``{place2}`` invented places, ``{day}`` weekday, ``{date}`` ``{date2}``
dates, ``{time}`` ``{time2}`` clock times, ``{num}`` a number, ``{url}`` agency link,
``{partner}`` another agency's handle, ``{agency}`` the addressed agency's handle,
``{citizen}`` the citizen's handle, ``{month}`` a month, ``{street}`` a street.
"""

from __future__ import annotations

from .citizen_frames import CITIZEN_CLOSERS as CITIZEN_CLOSERS  # importable from here as before the split
from .citizen_frames import CITIZEN_FRAMES as CITIZEN_FRAMES
from .citizen_frames import CITIZEN_OPENERS as CITIZEN_OPENERS
from .citizen_frames import CITIZEN_TOPIC_CLAUSES as CITIZEN_TOPIC_CLAUSES
from .citizen_frames import PII_FRAMES as PII_FRAMES

THEMES = (
    "providing_information",
    "delivering_services",
    "engaging_stakeholders",
    "sourcing_ideas",
    "responding_to_requests",
    "collaborating",
)

# Expected share of each use among an agency's own (non-reply) posts; agencies
# vary around these (see generator). responding_to_requests arises from replies.
BASE_THEME_SHARES = {
    "providing_information": 0.42,
    "delivering_services": 0.20,
    "engaging_stakeholders": 0.14,
    "sourcing_ideas": 0.13,
    "collaborating": 0.11,
}

GOV_FRAMES: dict[str, list[str]] = {
    "providing_information": [
        "[Changes to|New rules for|Updates on] {a} {n} and {n2} [start|apply|begin] in {place} from {day} {date}. [Check|Read] the latest {n3} [updates|advice] before you go. {url}",
        "Did you know? [Information|Advice|Guidance] on {a} {n} and {n2} is now available for {place} [residents|families|locals]. {url}",
        "{a} {n} [across|in] {place} and {place2}. The {n2} [advice|warning|notice] [remains in place|stays] until {day}. [More info|Details]: {url}",
        "New figures show {num}% of {place} [households|residents|people] are affected by {a} {n}. [Here is|This is] what the {n2} changes mean for you {url}",
        "What you need to know about {a} {n} this {month}: {n2}, {n3} and what to expect. {url}",
        "From {date}, [new|updated|revised] {n} and {n2} rules apply. [Read|See|Check] the details and key dates on our website.",
        "Our {n} [guide|factsheet|explainer] for {month} is out now, covering {n2}, {n3} and {a} {n}. {url}",
        "The latest {n} [report|review|evaluation] for {place} is [now published|out today|public]. Key facts on {n2} and {n3} inside {url}",
        "[Important|Key] information for {place}: {a} {n} advice has been updated [today|this morning|this week]. Stay informed about {n2} {url}",
        "{n} [fact sheet|explainer|summary]: everything about {a} {n2} in one place, [now translated into {num} languages|in plain English|with a short video] {url}",
    ],
    "delivering_services": [
        "You can now {v} your {n} online in [minutes|a few clicks|one go]. Log in to apply, pay or check your {n2} status: {url}",
        "Need to {v} your {n}? Skip the [queue|wait|trip] and do it online [any time|24/7|from home] {url}",
        "Applications for {a} {n} are now open. Check your eligibility and apply online before {date}: {url}",
        "Book your {n} appointment at our {place} service centre or online [today|this week|now] {url}",
        "Our new online {n} service lets you {v} and track your {n2} from your [phone|laptop|tablet] {url}",
        "{a} {n} payments: apply now through your online account and get your {n2} [sorted|done|paid] {url}",
        "[Renew|Update|Manage], pay or change your {n} details online with our digital service {url}",
        "The {place} service centre now offers same-day {n} and {n2} appointments. Book a time {url}",
        "Use the online [calculator|checker|tool] to see what {n} support you can get, then apply in one step {url}",
    ],
    "engaging_stakeholders": [
        "Join us at the {place} [community forum|town hall|open day] on {day} to talk about {n} and {n2}. All welcome!",
        "We are hosting a live Q&A on {a} {n} this {day} at {time}. Bring your questions for our {n2} team",
        "Great to meet {place} [residents|families|business owners] and local groups at today's {n} [information session|pop-up|meeting]",
        "Thank you to the {place} [volunteers|community groups|staff] supporting our {n} work this [week|month|season]",
        "Come and chat with our {n} team at the {place} [market stall|library|festival] this weekend, we would love to see you",
        "Proud to celebrate our {place} community and the people behind {a} {n} this [week|month]",
        "Congratulations to the {place} {n} award winners [announced today|named this week|at last night's ceremony]! A fantastic effort by all",
        "Meet our {n} staff: {num} years serving {place} families and still [loving every day of it|going strong|learning every day]",
    ],
    "sourcing_ideas": [
        "Have your say on the {a} {n} plan for {place}. Take our short survey before {date}: {url}",
        "We want to hear your ideas on {n} and {n2}. Share your [feedback|thoughts|views] online: {url}",
        "Consultation is now open on {a} {n} changes. Submissions close {date} {url}",
        "Do you have information about the {n} in {place}? Anyone with {n2} details or footage is asked to contact us {url}",
        "Tell us what matters to you about {n} in {place}. Your feedback will shape our {n2} [strategy|plan|priorities] {url}",
        "Help us improve our {n} services: complete the [five-minute|short|quick] {n2} survey {url}",
        "Can you help? We are asking the public for information about {a} {n} near {place} on {date}",
        "Vote for your priority: which {n} project should we fund in {place} next year? Submit your ideas {url}",
    ],
    "collaborating": [
        "We are working with {partner} and {place} community groups to deliver {a} {n} for local [families|residents|businesses]",
        "Proud to partner with {partner} on the {n} and {n2} project in {place}",
        "Together with {partner} we have launched a joint {n} program. Local residents co-designed the {n2} plan",
        "In partnership with {partner}, our teams are co-designing new {n} services with the {place} community",
        "Our joint taskforce with {partner} on {a} {n} met [today|this week|in {place}]. Thanks to all partners for the collaboration",
        "A shared {n} hub, run with {partner} and local organisations, opens in {place} on {date}",
        "Working together with {partner}, universities and community partners to co-create {a} {n} solutions",
    ],
}

# Topic clauses: most ordinary posts carry one, so that what a post is *about*
# (its topic words) is as visible as what it is *for* (the theme's frame).
TOPIC_CLAUSES = [
    "{N} and {n2} [matter|count] for every {n3}.",
    "[Think|Remember|Ask about] {n}, {n2} and {a} {n3}.",
    "[Key|Main] [points|issues]: {n}, {n2}, {n3}.",
    "This [covers|affects|includes] {a} {n}, {n2} and {n3}.",
    "{N}, {n2}, {n3}: [all in one place|we have you covered|here is the detail].",
]

# Optional openings and closings by theme: with the bracketed alternatives in
# the frames they keep ordinary posts from looking templated.
OPENERS: dict[str, list[str]] = {
    "providing_information": [
        "Heads up:",
        "FYI:",
        "Good to know:",
        "Update:",
        "Latest:",
        "Reminder:",
        "Important:",
        "News:",
        "ICYMI:",
        "Please note:",
    ],
    "delivering_services": [
        "Now available:",
        "Good news:",
        "New:",
        "Quick tip:",
        "Save time:",
        "Easy:",
        "Did you know?",
        "Handy:",
    ],
    "engaging_stakeholders": [
        "Join us!",
        "Save the date:",
        "Come along!",
        "Thank you!",
        "Shout-out:",
        "What a day!",
        "Big thanks.",
        "Mark your calendar:",
    ],
    "sourcing_ideas": [
        "Your say:",
        "We need your help.",
        "Tell us!",
        "Calling all residents:",
        "Have your say!",
        "Over to you:",
        "Help wanted:",
        "Feedback please:",
    ],
    "collaborating": [
        "Better together.",
        "Partnership news:",
        "Working together:",
        "Teamwork!",
        "Joint effort:",
        "Together:",
        "Collaboration update:",
    ],
}
CLOSERS: dict[str, list[str]] = {
    "providing_information": [
        "Stay informed.",
        "Share with family and friends.",
        "Please pass this on.",
        "Stay safe.",
        "Keep an eye on our page for updates.",
        "Questions? Check the FAQs.",
    ],
    "delivering_services": [
        "It only takes a few minutes.",
        "No need to visit in person.",
        "Available 24/7.",
        "Have your documents ready.",
        "Help is available if you get stuck.",
    ],
    "engaging_stakeholders": [
        "See you there!",
        "Everyone is welcome.",
        "Free entry.",
        "Bring the whole family.",
        "We love hearing from you.",
    ],
    "sourcing_ideas": [
        "Every voice counts.",
        "Your ideas matter.",
        "All feedback is anonymous.",
        "It takes five minutes.",
        "Tell your neighbours too.",
    ],
    "collaborating": [
        "Great things happen when we work together.",
        "Thanks to all our partners.",
        "More to come.",
        "Proud of this team effort.",
        "Stronger together.",
    ],
}

# Canned replies: agencies reuse them with the citizen's handle (and at most a
# topic word) changed, so they form near-duplicate groups ``canned:<k>``.
RESPONSE_FRAMES = [
    "{citizen} Hi, thanks for getting in touch. You can find the information for your area on our website: {url}",
    "{citizen} Sorry to hear about this. Can you please DM us the details and we will look into it for you",
    "{citizen} Hi, this should be resolved by the end of the week. Thanks for your patience while our {n} team works on it",
    "{citizen} Thanks for letting us know. We have passed this on to our {n} team who will follow up with you directly",
    "{citizen} Hi there, you can do this online at {url} or call our customer service line during business hours",
    "{citizen} Thanks for your question. Yes, this applies in your area too. All the details are on our website: {url}",
    "{citizen} Apologies for the wait. Please send us a direct message with your reference number and we will help",
]

CORRECTION_FRAMES = [
    "CORRECTION: our earlier post about {n} in {place} had the wrong date. The {n2} starts on {date}, not {date2}. Apologies for any confusion",
    "Clarification: the {a} {n} update we shared earlier applies to {place} only, not {place2}. Sorry for the mix-up",
]

# Templated posts repeated with a place, street, number or date changed.
# portfolio -> [(theme, template)]
TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "health": [
        (
            "delivering_services",
            "Flu vaccination clinic at {place} Community Centre on {date}. No appointment needed, just bring your Medicare card and arrive before the clinic closes. {url}",
        ),
        (
            "providing_information",
            "Emergency department wait times at {place} Hospital are currently about {num} hours. Please see your GP or pharmacist for anything non-urgent.",
        ),
    ],
    "tax": [
        (
            "providing_information",
            "Tax Time reminder: lodge your tax return by 31 October or use a registered tax agent. Only {num} days to go. {url}",
        ),
        (
            "providing_information",
            "SCAM ALERT: we are aware of fake calls to {place} residents claiming to be from the tax office. Hang up and report it: {url}",
        ),
    ],
    "transport": [
        (
            "providing_information",
            "ROAD CLOSURE: {street} in {place} will be closed from {date} for resurfacing works. Detours will be in place, please allow extra travel time and follow the signs.",
        ),
        (
            "providing_information",
            "Trains are not running between {place} and {place2} due to urgent track repairs. Replacement buses are running, allow an extra {num} minutes.",
        ),
    ],
    "emergency": [
        (
            "providing_information",
            "Emergency Warning for {place}: a bushfire is burning out of control near {place2}. If you are not prepared, leave now. Monitor conditions {url}",
        ),
        (
            "providing_information",
            "Flood Watch for the {place} River catchment. Never drive through floodwater. Check road conditions before you travel {url}",
        ),
        (
            "sourcing_ideas",
            "Police are appealing for information about a stolen vehicle in {place} on {date}. Anyone with information or dashcam footage is urged to contact Crime Stoppers {url}",
        ),
    ],
    "education": [
        (
            "providing_information",
            "School holidays start {date}! Term {num} resumes on {date2}. Have a safe and happy break, {place} families.",
        ),
        (
            "delivering_services",
            "Applications for fee-free TAFE courses at the {place} campus close on {date}. Apply online now {url}",
        ),
    ],
    "environment": [
        (
            "providing_information",
            "Bin collection in {place} is running one day late this week due to the public holiday. Please leave your bins out as usual.",
        ),
        (
            "providing_information",
            "Water restrictions Level {num} apply in {place} from {date}. Find out what you can and cannot do: {url}",
        ),
    ],
    "housing": [
        (
            "engaging_stakeholders",
            "Community drop-in session on the {place} housing development on {date}. Come along, see the plans and ask our housing team your questions.",
        ),
        (
            "sourcing_ideas",
            "The {place} planning proposal is on public exhibition until {date}. View the documents and make a submission: {url}",
        ),
    ],
    "employment": [
        (
            "engaging_stakeholders",
            "Jobs expo in {place} on {date}! Over {num} employers hiring on the day. Register free: {url}",
        ),
        (
            "providing_information",
            "Payments over the holiday period: payments due on {date} will be paid early. Check your payment date online {url}",
        ),
    ],
}

# the topic each template is about, in TEMPLATES order (its {n} slots, if any, are filled from it)
TEMPLATE_TOPICS: dict[str, list[str]] = {
    "health": ["vaccination", "hospitals"],
    "tax": ["returns", "scams"],
    "transport": ["roads", "public_transport"],
    "emergency": ["bushfire", "flood", "policing"],
    "education": ["schools", "universities"],
    "environment": ["waste", "water"],
    "housing": ["social_housing", "planning"],
    "employment": ["jobs", "welfare"],
}
