"""Sentence frames of the synthetic corpus.

Government frames are written from the definitions of the six OECD (2014)
uses of social media by governments; citizen frames from the kinds of
messages citizens send agencies (questions, complaints, praise, disputes) and
from ordinary chatter. Slots in braces are filled by the generator:

``{n}`` ``{n2}`` ``{n3}`` topic nouns, ``{v}`` topic verb, ``{a}`` topic adjective,
``{place}`` ``{place2}`` invented places, ``{day}`` weekday, ``{date}`` ``{date2}``
dates, ``{time}`` ``{time2}`` clock times, ``{num}`` a number, ``{url}`` agency link,
``{partner}`` another agency's handle, ``{agency}`` the addressed agency's handle,
``{citizen}`` the citizen's handle, ``{month}`` a month, ``{street}`` a street.
"""

from __future__ import annotations

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
        "Reminder: {a} {n} and {n2} changes in {place} from {day} {date}. Check the latest {n3} updates before you go. {url}",
        "Did you know? Information on {a} {n} and {n2} is now available for {place} residents. {url}",
        "UPDATE: {a} {n} across {place} and {place2}. The {n2} advice remains in place until {day}. More info: {url}",
        "New figures show {num}% of {place} households are affected by {a} {n}. Here is what the {n2} changes mean for you {url}",
        "What you need to know about {a} {n} this {month}: {n2}, {n3} and what to expect. {url}",
        "From {date}, new {n} and {n2} rules apply. Read the details and key dates on our website.",
        "Our {n} guide for {month} is out now, covering {n2}, {n3} and {a} {n}. Learn more {url}",
        "The latest {n} report for {place} is now published. Key facts on {n2} and {n3} inside {url}",
        "Important information for {place}: {a} {n} advice has been updated today. Stay informed about {n2} {url}",
        "{n} fact sheet: everything about {a} {n2} in one place, now translated into 10 languages {url}",
    ],
    "delivering_services": [
        "You can now {v} your {n} online in minutes. Log in to apply, pay or check your {n2} status: {url}",
        "Need to {v} your {n}? Skip the queue and do it online any time {url}",
        "Applications for {a} {n} are now open. Check your eligibility and apply online before {date}: {url}",
        "Book your {n} appointment at our {place} service centre or online today {url}",
        "Our new online {n} service lets you {v} and track your {n2} from your phone {url}",
        "{a} {n} payments: apply now through your online account and get your {n2} sorted {url}",
        "Save time: renew, pay or update your {n} details online with our digital service {url}",
        "The {place} service centre now offers same-day {n} and {n2} appointments. Book a time {url}",
        "Use the online calculator to check what {n} support you can get, then apply in one step {url}",
    ],
    "engaging_stakeholders": [
        "Join us at the {place} community forum on {day} to talk about {n} and {n2}. All welcome!",
        "We are hosting a live Q&A on {a} {n} this {day} at {time}. Bring your questions for our {n2} team",
        "Great to meet {place} residents and local groups at today's {n} information session. Thanks to everyone who came along",
        "Thank you to the {place} volunteers and community groups supporting our {n} work this week",
        "Come and chat with our {n} team at the {place} market stall this weekend, we would love to see you",
        "Proud to celebrate our {place} community and the people behind {a} {n} this week",
        "Congratulations to the {place} {n} award winners announced today! A fantastic effort by all",
        "Meet our {n} staff: {num} years serving {place} families and still loving every day of it",
    ],
    "sourcing_ideas": [
        "Have your say on the {a} {n} plan for {place}. Take our short survey before {date}: {url}",
        "We want to hear your ideas on {n} and {n2}. Share your feedback online: {url}",
        "Consultation is now open on {a} {n} changes. Submissions close {date} {url}",
        "Do you have information about the {n} in {place}? Anyone with {n2} details or footage is asked to contact us {url}",
        "Tell us what matters to you about {n} in {place}. Your feedback will shape our {n2} strategy {url}",
        "Help us improve our {n} services: complete the five-minute {n2} survey {url}",
        "Can you help? We are asking the public for information about {a} {n} near {place} on {date}",
        "Vote for your priority: which {n} project should we fund in {place} next year? Submit your ideas {url}",
    ],
    "collaborating": [
        "We are working with {partner} and {place} community groups to deliver {a} {n} for local families",
        "Proud to partner with {partner} on the {n} and {n2} project in {place}",
        "Together with {partner} we have launched a joint {n} program. Local residents co-designed the {n2} plan",
        "In partnership with {partner}, our teams are co-designing new {n} services with the {place} community",
        "Our joint taskforce with {partner} on {a} {n} met today. Thanks to all partners for the collaboration",
        "A shared {n} hub, run with {partner} and local organisations, opens in {place} on {date}",
        "Working together with {partner}, universities and community partners to co-create {a} {n} solutions",
    ],
}

RESPONSE_FRAMES = [
    "{citizen} Hi, thanks for getting in touch. Information on {a} {n} for your area is here: {url}",
    "{citizen} Sorry to hear about the {n} issue. Can you please DM us the details and we will look into it",
    "{citizen} Hi, the {n} {n2} should be resolved by {day}. Thanks for your patience",
    "{citizen} Thanks for letting us know. We have passed this on to our {n} team who will follow up with you",
    "{citizen} Hi there, you can {v} your {n} online at {url} or call our {n2} line",
    "{citizen} Thanks for your question. Yes, the {a} {n} applies in {place}. Details: {url}",
    "{citizen} Apologies for the wait. Please send us a direct message with your {n} reference and we will help",
]

CORRECTION_FRAMES = [
    "CORRECTION: our earlier post about {n} in {place} had the wrong date. The {n2} starts on {date}, not {date2}. Apologies for any confusion",
    "Clarification: the {a} {n} update we shared earlier applies to {place} only, not {place2}. Sorry for the mix-up",
]

# Templated posts repeated with a place, street, number or date changed.
# portfolio -> [(theme, template)]
TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "health": [
        ("delivering_services", "Flu vaccination clinic at {place} Community Centre on {date}, {time} to {time2}. No appointment needed, just bring your Medicare card. {url}"),
        ("providing_information", "Emergency department wait times at {place} Hospital are currently about {num} hours. Please see your GP or pharmacist for anything non-urgent."),
    ],
    "tax": [
        ("providing_information", "Tax Time reminder: lodge your tax return by 31 October or use a registered tax agent. Only {num} days to go. {url}"),
        ("providing_information", "SCAM ALERT: we are aware of fake calls to {place} residents claiming to be from the tax office. Hang up and report it: {url}"),
    ],
    "transport": [
        ("providing_information", "ROAD CLOSURE: {street} in {place} will be closed from {time} {date} for resurfacing works. Detours in place, please allow extra travel time."),
        ("providing_information", "Trains are not running between {place} and {place2} due to urgent track repairs. Replacement buses are running, allow an extra {num} minutes."),
    ],
    "emergency": [
        ("providing_information", "Emergency Warning for {place}: a bushfire is burning out of control near {place2}. If you are not prepared, leave now. Monitor conditions {url}"),
        ("providing_information", "Flood Watch for the {place} River catchment. Never drive through floodwater. Check road conditions before you travel {url}"),
        ("sourcing_ideas", "Police are appealing for information about a stolen vehicle in {place} on {date}. Anyone with information or dashcam footage is urged to contact Crime Stoppers {url}"),
    ],
    "education": [
        ("providing_information", "School holidays start {date}! Term {num} resumes on {date2}. Have a safe and happy break, {place} families."),
        ("delivering_services", "Applications for fee-free TAFE courses at the {place} campus close on {date}. Apply online now {url}"),
    ],
    "environment": [
        ("providing_information", "Bin collection in {place} is running one day late this week due to the public holiday. Please leave your bins out as usual."),
        ("providing_information", "Water restrictions Level {num} apply in {place} from {date}. Find out what you can and cannot do: {url}"),
    ],
    "housing": [
        ("engaging_stakeholders", "Community drop-in session on the {place} housing development, {date} from {time}. Come along and ask our team your questions."),
        ("sourcing_ideas", "The {place} planning proposal is on public exhibition until {date}. View the documents and make a submission: {url}"),
    ],
    "employment": [
        ("engaging_stakeholders", "Jobs expo in {place} on {date}! Over {num} employers hiring on the day. Register free: {url}"),
        ("providing_information", "Payments over the holiday period: payments due on {date} will be paid early. Check your payment date online {url}"),
    ],
}

# citizen kinds -> (sentiment, frames); requests are the first two kinds
CITIZEN_FRAMES: dict[str, tuple[str, list[str]]] = {
    "question": ("neutral", [
        "{agency} how do I {v} my {n}? The website mentions {n2} but I cannot find the {n3} form",
        "{agency} Hi, when will the {n} in {place} reopen? Been trying to find out for days",
        "{agency} is the {a} {n} still available in {place}? I need to {v} before {day}",
        "{agency} quick question, do I need a {n} to {v} the {n2}?",
        "{agency} can someone tell me if the {n} {n2} rules apply to {place}? thanks",
        "{agency} where can I find the {n} form for {n2}? Is there a phone number?",
    ]),
    "complaint": ("negative", [
        "{agency} waited {num} weeks for my {n} and still nothing. This is ridiculous",
        "{agency} your {n} website keeps crashing when I try to {v} my {n2}. Fix it please",
        "{agency} the {n} in {place} has been a mess for months. Nobody answers the phone",
        "{agency} absolutely hopeless {n} service. {num} hours on hold to sort out my {n2}",
        "{agency} still no reply about my {n} complaint. Terrible, I am so frustrated",
    ]),
    "praise": ("positive", [
        "Thanks {agency}, really helpful {n} info",
        "Great work by the {n} team in {place}, thank you",
        "Love this! The new {n} {n2} is so much easier. Well done",
        "{agency} thank you so much for sorting out my {n} so quickly, brilliant service",
    ]),
    "dispute": ("negative", [
        "That is not correct, the {n} in {place} is still closed. Please update your information",
        "This is misleading. The {n} {n2} changed last {month}, your post is out of date",
        "Wrong. Nobody told us about the {n} changes and the website says something different",
        "{agency} your post is incorrect, the {n} does not apply to {place}. Please fix it",
    ]),
    "chatter": ("neutral", [
        "anyone else stuck in the {n} near {place} this morning",
        "finally sorted my {n} {n2} today",
        "{a} {n} in {place} again. typical {month}",
        "reading about the {n} and {n2} changes, not sure what it means for us in {place}",
        "heading to {place} for the {n} on {day}, who else is going",
    ]),
}

PII_FRAMES = {
    "email": ["My email is {email}", "email me at {email}", "you can reach me on {email}"],
    "phone": ["Please call me on {phone}", "my number is {phone}", "call back on {phone} thanks"],
    "address": ["I live at {address}", "the issue is outside {address}", "send it to {address}"],
}
