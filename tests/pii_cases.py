"""A labelled test set for the personal-information detectors (written for govsocial).

``CASES`` is a list of ``(text, [(type, value), ...])``. Positives put each kind of
value in several sentence contexts; about half the cases are hard negatives:
dates, times, prices, reference and case numbers, hashtags with digits, business
numbers, postcodes, version numbers, and numbers that look like cards, tax file or
Medicare numbers but fail their checksums. All values are invented; phone numbers
come from ranges reserved for fiction; numbers passing a check digit were drawn at random
and checked (``CONTEXT_NEGATIVES``). Names are found only when asked (``names=True``), as
the addressee of a greeting that opens a reply (``NAME_POSITIVES``, ``NAME_NEGATIVES``).
"""

from __future__ import annotations

CONTEXTS = [
    "{v}",
    "Please call me on {v} thanks",
    "@HealthDept my details: {v}",
    "you can reach me at {v} anytime after 5",
    "Still waiting!! ({v}) nobody has called back",
    "{v} is the best way to contact me",
]

POSITIVES = {
    "email": [
        "jo.citizen@example.com",
        "sam_t88@mail.example.com",
        "kirra.w+gov@example.net",
        "ANH.LE@EXAMPLE.ORG",
        "m.rossi@inbox.example.net",
        "lachlan1999@example.com",
        "priya.patel@sub.example.co.uk",
        "o'brien@example.com",
    ],
    "phone": [
        "0491 570 156",
        "0491570159",
        "+61 491 570 110",
        "(02) 5550 1234",
        "02 5550 1234",
        "03-5550-9876",
        "+61 2 5550 4321",
        "1800 020 080",
        "1300 555 123",
        "13 11 14",
        "07700 900123",
        "07700 900 456",
        "+44 7700 900123",
        "0161 496 0000",
        "(555) 555-0123",
        "555-555-0199",
        "+1 555 555 0100",
        "+1 (555) 555-0142",
        "+64 21 555 0123",
        "+91 98765 43210",
    ],
    "tfn": ["123 456 782", "876 543 210", "459 599 230"],
    "medicare": ["2123 45670 1", "2123456701", "3950 12349 1"],
    "card": [
        "4111 1111 1111 1111",
        "5555-5555-5555-4444",
        "4012888888881881",
        "3782 822463 10005",
        "6011 1111 1111 1117",
    ],
    "address": [
        "12 Wattle Street",
        "4/18 Banksia Ave",
        "Unit 3, 27 Station Road",
        "105 Gum Tree Drive",
        "7 Ironbark Cl",
        "88 George St, Kelbrook",
        "22B Ocean Parade, Dunford NSW 2450",
        "301 King Street",
    ],
}

TFN_CONTEXT = ["my TFN is {v}", "TFN: {v}", "tax file number {v} was rejected"]
TFN_BARE = ["123456782", "876543210"]

HARD_NEGATIVES = [
    "Lodge your return by 31/10/2023",
    "Clinic open 9:30am-4:30pm on 12/03/2024",
    "Ref 2023-04-12",
    "Fees start at $1,250.00 per year",
    "Only $49.95 this week",
    "#COVID19 cases fell 12% in 2023",
    "Our ABN is 51 824 753 556",
    "Postcode 2000 residents",
    "version 3.2.1 of the app",
    "Call 000 in an emergency",
    "In 2022-23 we helped 1,204,556 people",
    "Term 2 starts 24 April",
    "Open 24/7",
    "Level 3, 50 people max",
    "Case number 123456789",
    "Reference CN-2023-0012345",
    "Invoice 8823 1123",
    "Route 370 buses every 15 minutes",
    "1 in 5 Australians",
    "Bushfire danger period 1 Oct - 31 Mar",
    "Read section 4.2.1 of the act",
    "Tweet 1630000000000000001 was deleted",
    "ISBN 978-3-16-148410-0",
    "Temperature hit 45.2 degrees",
    "See https://health.gov.example/2023/04/12/update",
    "Stage 4 restrictions",
    "Vote in 2025",
    "Rates rise 3.85% from 1 July",
    "Rego #ABC123 expires",
    "Pay $2,400 by 30 June",
    "#Budget2024 is out",
    "@user123 thanks for the update",
    "email us via the form",
    "the phone line is busy",
    "Gate 12 at 10:15",
    "Card ending 1111",
    "4111 1111 1111 1112",
    "5555 5555 5555 5555",
    "123 456 789",
    "111 111 112",
    "2123 45671 1",
    "7123 45670 1",
    "Over 10,000,000 doses",
    "45 minutes wait at 3pm",
    "Lots 12-18 are sold",
    "Area 51",
    "A 5 km detour",
    "Room 204 at 2:30",
    "Ages 5-12",
    "Year 12 exams",
    "scores of 98.5",
    "000 123 456 isn't real",
    "PO Box 123",
    "5 Things you need to know",
    "Top 10 tips for winter",
    "3 Easy Steps to apply",
    "10 Ways To Save Water",
    "Call us: 1234",
    "Phone 555 0123",
    "Our number is on the website",
    "Meet at Park Road oval",
    "Street party on Saturday",
    "Level 2 restrictions from 1 December",
    "12 Days of Christmas",
    "2 Hours Free Parking",
    "Between 9 and 5 on weekdays",
    "Flight QF 1234",
    "Parcel tracking 33PA12345678901",
    "Serial SN-4481-2290-11",
    "Bill #000123456",
    "Permit 2024/00871",
    "Ticket 44-2231",
    "1.5 million people",
    "Claims up 20 per cent",
    "Sign up @ the library",
    "jo at example dot com",
    "user@localhost",
    "@HealthDept @TransportDept",
    "#StaySafe2023",
    "The 1990s",
    "Since 1901",
    "At 12:00:00 UTC",
    "2024-01-15T09:30:00Z",
    "15.01.2024",
    "Score 3-2",
    "v2.0.1 release notes",
    "Figures as at 30/6/2024",
    "$12.5m grant",
    "7.30pm news",
    "From 6am-9pm daily",
    "Win 1 of 3 prizes",
    "Section 18C",
    "Bill 2023 passed",
    "A 1-in-100 year flood",
    "Gates open 8.30",
    "Lotto 4 12 19 33 40 41",
    "Apply for one of 250 places",
    "Ward 7B",
    "Bed 12",
    "Dose 1 and dose 2",
    "Phase 2 of 4",
    "PM2.5 levels",
    "H5N1 risk low",
    "Covid-19 boosters",
    "5G towers",
    "Studio 10",
    "Platform 9",
    "Channel 7 news",
]


# Numbers that look like identifiers and pass their check digits but are labelled as
# something else, or sit where context says they are not personal (issue 10).
CONTEXT_NEGATIVES = [
    "Invoice 130045 is overdue",
    "Population grew to 134000 last year",
    "Call 101 ref 5219237547",
    "Crime reference 5219237547, officers attended",
    "Please quote crime ref 6738062023 when you call",
    "Incident no. 2665600858 has been closed",
    "Case number 6678706310 was referred to CID",
    "Order 2692866723 has shipped",
    "Tracking 5836 3105 2286 3630 shows it delivered",
    "Booking ref 6100566776 confirmed",
    "Job ref 368 486 325 is with the crew",
    "Ticket 826 737 583 closed",
    "Consignment 5512973156 is at the depot",
    "Receipt 5183 7454 0431 8121 attached",
    "Invoice 626 850 342 paid",
    "Lotto numbers 2 7 13 21 34 40",
    "Results: 4 13 22 19 31",
    "Dated 13.12.24 to 20.12.24",
    "App version 13.11.14 is out",
    "Over 131 000 people visited",
    "Order 131450 dispatched",
    "Population 1321 12 in 2021",
    "Serial 130 045 printed",
    "Room 1304 on level 13",
    "Attendance hit 139500 this season",
    "Claim 13 per cent of 2024",
    "Postcodes 2000 to 2999",
    "The bill was $130,045.50",
    "#Budget130045 is trending",
    "Route 13 buses every 12 minutes",
]

# Hard positives: the same shapes where they are personal (issue 10).
CONTEXT_POSITIVES = [
    ("+61 412 345 678", [("phone", "+61 412 345 678")]),
    ("+61 491 570 003", [("phone", "+61 491 570 003")]),  # the nine digits after +61 pass the TFN checksum
    ("Text me on +61 491 570 011 please", [("phone", "+61 491 570 011")]),
    ("+61 491 570 038 is my mobile", [("phone", "+61 491 570 038")]),
    ("my NZ number +64 491 570 046", [("phone", "+64 491 570 046")]),
    ("Call 131114 for help", [("phone", "131114")]),
    ("Ring us on 131 450 anytime", [("phone", "131 450")]),
    ("Phone 13 22 81 today", [("phone", "13 22 81")]),
    ("For help: 13 11 14", [("phone", "13 11 14")]),
    ("Call 101 or ring 0161 496 0000", [("phone", "0161 496 0000")]),
    ("My medicare no. is 2123 45670 1", [("medicare", "2123 45670 1")]),
    ("Medicare card 6738062023 lost", [("medicare", "6738062023")]),
    ("my TFN is 368 486 325", [("tfn", "368 486 325")]),
    ("card 5836 3105 2286 3630 was charged twice", [("card", "5836 3105 2286 3630")]),
    ("+61 (0)4 9157 0156 is my mobile", [("phone", "+61 (0)4 9157 0156")]),
    ("call +44 (0)20 7946 0958", [("phone", "+44 (0)20 7946 0958")]),
    ("0491-570-156 is me", [("phone", "0491-570-156")]),
]

# Agencies' replies that name the citizen: (text, names). Found with names=True only.
NAME_POSITIVES = [
    ("Hi Terry, thanks for letting us know.", ["Terry"]),
    ("Hello Andy", ["Andy"]),
    ("Thanks Sarah!", ["Sarah"]),
    ("Dear Mr Smith, your application is approved", ["Smith"]),
    ("@jo_b Hi Priya, the road is now open.", ["Priya"]),
    ("@kel_res @CouncilNews Hello Mohammed, we've passed this on", ["Mohammed"]),
    ("Hey Siobhán - the pool reopens Monday", ["Siobhán"]),
    ("Thanks Mary-Jane O'Brien, fixed now", ["Mary-Jane O'Brien"]),
    ("Good morning Liam! The clinic opens at 9", ["Liam"]),
    ("G'day Kirra, sorry for the wait", ["Kirra"]),
    ("Hi Dr Nguyen, please DM us", ["Nguyen"]),
    ("Thank you Zoë. We'll check", ["Zoë"]),
    ("Sorry Ahmed, that service has moved", ["Ahmed"]),
    ("Cheers Tom 👍", ["Tom"]),
    ("Hi Terry we've logged the pothole", ["Terry"]),
    ("Dear Ms Rossi thank you for your email", ["Rossi"]),
    ("Hi Ana and Luis, both forms are received", ["Ana", "Luis"]),
    ("Thanks Jack & Chloe!", ["Jack", "Chloe"]),
    ("Morning Sam: trains are running", ["Sam"]),
    ("Hi, Fatima. Your request is closed.", ["Fatima"]),
    ("Apologies Ben, we've fixed the link", ["Ben"]),
    ("Hi Ngaio!", ["Ngaio"]),
    ("@user_3f2a Hi Olivia Chen, we'll call you back", ["Olivia Chen"]),
    ("Hello Mrs Papadopoulos", ["Papadopoulos"]),
    ("Hey Jordan — good news, it's fixed", ["Jordan"]),
    ("Thanks Aroha, please check your inbox", ["Aroha"]),
    ("Hi Terry, call us on 13 22 81", ["Terry"]),
]
NAME_NEGATIVES = [
    "Hi all, roads are open",
    "Hello everyone!",
    "Thanks Team!",
    "Hey Love the new park",
    "Hi there, you can do this online",
    "Good morning Kelbrook Council!",
    "Thanks NSW Police!",
    "Thanks SES volunteers",
    "Hi Reading the update now",
    "Hey Finally got my rebate",
    "Hi Can you help?",
    "Thanks So much",
    "Thank you again!",
    "Hello Monday!",
    "Morning All",
    "Dear Sir/Madam, please find attached",
    "Dear Customer, your bill is ready",
    "Hey Quick question about bins",
    "Hi Is the pool open?",
    "G'day Thanks for the update",
    "Welcome Back to school",
    "Sorry To hear that",
    "Hi Just wondering about rates",
    "Thanks ABC News",
    "Hello Kelbrook Residents",
    "Cheers Legends!",
    "Minister Terry Smith opened the bridge",
    "Our thanks to Sarah Jones",
    "Terry said hi",
    "Hi @jo_b, see the link",
    "Hello Kitty exhibition opens at the museum",
    "Hey Heading to the beach?",
    "Hi Anyone know when bins go out?",
    "Thanks Heaps for the fast fix",
    "Dear Sir or Madam",
    "Hi Folks, lane closures tonight",
]


def build_cases() -> list[tuple[str, list[tuple[str, str]]]]:
    cases: list[tuple[str, list[tuple[str, str]]]] = []
    for kind, values in POSITIVES.items():
        for i, value in enumerate(values):
            contexts = (
                CONTEXTS
                if kind not in ("address",)
                else [
                    "{v}",
                    "I live at {v}",
                    "send it to {v} please",
                    "the pothole outside {v} is huge",
                    "My address is {v}, thanks",
                    "{v} again",
                ]
            )
            if kind == "tfn":
                contexts = CONTEXTS + TFN_CONTEXT
            for j, context in enumerate(contexts):
                if (i + j) % 2 == 0 or kind in ("tfn", "medicare", "card"):
                    cases.append((context.format(v=value), [(kind, value)]))
    for value in TFN_BARE:
        for context in TFN_CONTEXT:
            cases.append((context.format(v=value), [("tfn", value)]))
    # two kinds in one message
    cases.append(
        (
            "Email jo.citizen@example.com or call 0491 570 156",
            [("email", "jo.citizen@example.com"), ("phone", "0491 570 156")],
        )
    )
    cases.append(
        ("I'm at 12 Wattle Street, ring 02 5550 1234", [("address", "12 Wattle Street"), ("phone", "02 5550 1234")])
    )
    cases.extend(CONTEXT_POSITIVES)
    for text, names in NAME_POSITIVES:
        cases.append((text, [("name", n) for n in names] + ([("phone", "13 22 81")] if "13 22 81" in text else [])))
    for text in CONTEXT_NEGATIVES + NAME_NEGATIVES:
        cases.append((text, []))
    for text in HARD_NEGATIVES:
        cases.append((text, []))
        cases.append((f"@TransportDept {text.lower()} right?", []))
    return cases


CASES = build_cases()
