"""Word lists for the synthetic corpus generator.

Everything here was written for govsocial; the accounts, places and people are
invented. Place names are built from syllables; phone numbers and e-mail
domains are drawn from ranges reserved for fiction and documentation.
"""

from __future__ import annotations

# --------------------------------------------------------------------------- topics
# portfolio -> topic -> (nouns, verbs, adjectives, hashtag stems)
# Nouns shared by two topics of one portfolio make topics overlap on purpose.
#
# The word lists in this module are data tables, wrapped by hand at 120 columns; the
# `fmt: off` / `fmt: on` pairs keep the formatter from putting one word per line.

# fmt: off
PORTFOLIOS: dict[str, dict[str, tuple[list[str], list[str], list[str], list[str]]]] = {
    "health": {
        "vaccination": (
            ["vaccine", "booster", "dose", "clinic", "immunisation", "flu", "jab", "pharmacy", "appointment",
             "eligibility", "vaccination", "shot", "measles", "whooping", "cough", "GP", "nurse", "schedule",
             "record", "certificate", "protection", "strain"],
            ["book", "protect", "vaccinate", "immunise", "schedule", "get"],
            ["free", "seasonal", "annual", "eligible", "updated", "walk-in"],
            ["FluVax", "VaccinesWork", "GetVaccinated"],
        ),
        "hospitals": (
            ["hospital", "emergency", "department", "ward", "patient", "surgery", "waiting", "list", "bed",
             "ambulance", "paramedic", "doctor", "nurse", "appointment", "elective", "outpatient", "visitor",
             "triage", "theatre", "discharge", "specialist", "care"],
            ["admit", "treat", "visit", "transfer", "discharge", "wait"],
            ["urgent", "elective", "regional", "public", "critical", "busy"],
            ["OurHospitals", "EDWaitTimes", "HealthSystem"],
        ),
        "mental_health": (
            ["wellbeing", "support", "counselling", "helpline", "anxiety", "depression", "stress", "crisis",
             "service", "psychologist", "youth", "loneliness", "resilience", "mind", "conversation", "peer",
             "carer", "suicide", "prevention", "headspace", "therapy", "care"],
            ["talk", "reach", "support", "listen", "check", "cope"],
            ["mental", "confidential", "free", "emotional", "social", "personal"],
            ["MentalHealthMatters", "RUOK", "ReachOut"],
        ),
    },
    "tax": {
        "returns": (
            ["return", "deduction", "lodgment", "refund", "income", "receipt", "agent", "myGov", "deadline",
             "claim", "expense", "assessment", "notice", "statement", "employer", "payslip", "record",
             "records", "interest", "penalty", "extension", "lodge"],
            ["lodge", "claim", "deduct", "check", "keep", "file"],
            ["annual", "personal", "online", "late", "correct", "prefilled"],
            ["TaxTime", "LodgeOnline", "TaxReturn"],
        ),
        "business": (
            ["business", "GST", "BAS", "payroll", "invoice", "ABN", "employer", "super", "contractor",
             "quarter", "cash", "flow", "registration", "payment", "plan", "debt", "instalment", "records",
             "bookkeeping", "turnover", "threshold", "concession"],
            ["register", "report", "pay", "invoice", "apply", "manage"],
            ["small", "quarterly", "registered", "sole", "digital", "overdue"],
            ["SmallBusiness", "GSTTips", "BizTax"],
        ),
        "scams": (
            ["scam", "impersonation", "call", "text", "message", "link", "fraud", "identity", "theft",
             "password", "caller", "threat", "arrest", "voucher", "gift", "card", "scammer", "report",
             "warning", "details", "account", "phishing"],
            ["hang", "report", "verify", "ignore", "protect", "delete"],
            ["fake", "suspicious", "fraudulent", "urgent", "threatening", "genuine"],
            ["ScamAlert", "StopCheckProtect", "ScamWatch"],
        ),
    },
    "transport": {
        "roads": (
            ["road", "roadworks", "closure", "lane", "detour", "traffic", "intersection", "highway", "bridge",
             "speed", "limit", "crash", "motorist", "delay", "freeway", "exit", "resurfacing", "signal",
             "upgrade", "bypass", "works", "night"],
            ["close", "detour", "expect", "allow", "drive", "merge"],
            ["heavy", "temporary", "major", "single", "reduced", "overnight"],
            ["RoadClosure", "TrafficAlert", "DriveSafe"],
        ),
        "public_transport": (
            ["train", "bus", "tram", "ferry", "timetable", "service", "platform", "station", "fare", "card",
             "commuter", "line", "replacement", "network", "stop", "route", "peak", "journey", "carriage",
             "delay", "disruption", "interchange"],
            ["travel", "ride", "tap", "plan", "replace", "run"],
            ["express", "frequent", "accessible", "late", "peak", "extra"],
            ["PublicTransport", "TrainUpdate", "BusNetwork"],
        ),
        "licensing": (
            ["licence", "registration", "rego", "renewal", "vehicle", "learner", "test", "permit", "plate",
             "driver", "demerit", "points", "fine", "inspection", "photo", "centre", "booking", "card",
             "transfer", "owner", "fee", "renewals"],
            ["renew", "book", "transfer", "pay", "update", "apply"],
            ["provisional", "expired", "digital", "heavy", "full", "valid"],
            ["RenewOnline", "DriverLicence", "RegoCheck"],
        ),
    },
    "emergency": {
        "bushfire": (
            ["fire", "bushfire", "smoke", "ember", "evacuation", "warning", "danger", "rating", "ban", "burn",
             "firefighter", "plan", "crew", "blaze", "containment", "brigade", "alert", "watch", "act",
             "property", "grass", "backburn"],
            ["evacuate", "leave", "prepare", "monitor", "contain", "burn"],
            ["total", "extreme", "catastrophic", "uncontrolled", "high", "severe"],
            ["FireWarning", "BushfireReady", "TotalFireBan"],
        ),
        "flood": (
            ["flood", "rain", "river", "storm", "creek", "sandbag", "water", "level", "peak", "road",
             "crossing", "rescue", "inundation", "warning", "gauge", "catchment", "evacuation", "centre",
             "volunteer", "damage", "runoff", "dam"],
            ["rise", "flood", "drive", "evacuate", "sandbag", "rescue"],
            ["flash", "moderate", "major", "heavy", "dangerous", "swollen"],
            ["FloodWarning", "IfItsFlooded", "StormSeason"],
        ),
        "policing": (
            ["police", "officer", "crime", "appeal", "witness", "footage", "investigation", "suspect",
             "incident", "station", "patrol", "theft", "burglary", "dashcam", "information", "report",
             "community", "safety", "arrest", "detective", "vehicle", "missing"],
            ["investigate", "appeal", "arrest", "patrol", "identify", "report"],
            ["missing", "stolen", "suspicious", "local", "serious", "urgent"],
            ["CrimeStoppers", "CommunitySafety", "PoliceAppeal"],
        ),
    },
    "education": {
        "schools": (
            ["school", "student", "teacher", "term", "enrolment", "classroom", "principal", "parent",
             "curriculum", "holiday", "uniform", "canteen", "excursion", "homework", "year", "playground",
             "attendance", "report", "learning", "literacy", "numeracy", "kindergarten"],
            ["enrol", "learn", "teach", "attend", "start", "return"],
            ["primary", "secondary", "public", "local", "new", "inclusive"],
            ["BackToSchool", "GreatTeachers", "PublicEducation"],
        ),
        "universities": (
            ["university", "scholarship", "course", "degree", "student", "loan", "campus", "research",
             "graduate", "fee", "HECS", "application", "semester", "TAFE", "apprenticeship", "skills",
             "training", "placement", "offer", "admission", "qualification", "certificate"],
            ["apply", "study", "graduate", "train", "enrol", "research"],
            ["tertiary", "vocational", "international", "higher", "postgraduate", "free"],
            ["FreeTAFE", "StudyHere", "SkillsForTheFuture"],
        ),
        "childcare": (
            ["childcare", "subsidy", "kindy", "preschool", "family", "parent", "educator", "centre", "fee",
             "session", "enrolment", "toddler", "child", "early", "learning", "vacancy", "waitlist",
             "playgroup", "outside", "hours", "care", "cost"],
            ["enrol", "apply", "play", "care", "reduce", "check"],
            ["affordable", "early", "universal", "funded", "flexible", "quality"],
            ["EarlyLearning", "ChildcareSubsidy", "KindyForAll"],
        ),
    },
    "environment": {
        "waste": (
            ["bin", "recycling", "waste", "rubbish", "collection", "landfill", "green", "organics", "hard",
             "plastic", "bottle", "container", "deposit", "compost", "litter", "dumping", "tip", "glass",
             "soft", "e-waste", "battery", "household"],
            ["recycle", "collect", "sort", "dump", "compost", "reduce"],
            ["kerbside", "weekly", "fortnightly", "illegal", "recyclable", "single-use"],
            ["RecycleRight", "WasteLess", "BinDay"],
        ),
        "water": (
            ["water", "restriction", "dam", "supply", "drought", "rainwater", "tank", "irrigation", "leak",
             "meter", "bill", "usage", "garden", "hose", "desalination", "catchment", "quality", "boil",
             "notice", "pipe", "main", "storage"],
            ["save", "restrict", "boil", "use", "fix", "supply"],
            ["drinking", "permanent", "level", "safe", "dry", "low"],
            ["SaveWater", "WaterWise", "DroughtResponse"],
        ),
        "parks": (
            ["park", "trail", "walk", "camping", "campground", "reserve", "wildlife", "koala", "ranger",
             "beach", "picnic", "dog", "track", "lookout", "bushwalk", "visitor", "bird", "habitat",
             "planting", "tree", "native", "weed"],
            ["explore", "walk", "camp", "plant", "protect", "visit"],
            ["national", "native", "coastal", "threatened", "scenic", "accessible"],
            ["ParksWeek", "LoveOurParks", "NatureWalks"],
        ),
    },
    "housing": {
        "social_housing": (
            ["housing", "home", "tenant", "rent", "waitlist", "application", "repair", "maintenance",
             "property", "dwelling", "homelessness", "shelter", "bond", "lease", "tenancy", "inspection",
             "community", "unit", "eviction", "crisis", "accommodation", "assistance"],
            ["apply", "rent", "repair", "house", "support", "build"],
            ["social", "public", "affordable", "emergency", "secure", "priority"],
            ["SocialHousing", "HomesForAll", "EndHomelessness"],
        ),
        "planning": (
            ["development", "application", "zoning", "planning", "permit", "council", "height", "density",
             "heritage", "submission", "proposal", "rezoning", "subdivision", "infrastructure", "precinct",
             "masterplan", "neighbourhood", "objection", "approval", "building", "amendment", "plan"],
            ["submit", "approve", "object", "rezone", "build", "assess"],
            ["draft", "proposed", "residential", "mixed-use", "local", "strategic"],
            ["HaveYourSay", "PlanningReform", "OurCityPlan"],
        ),
        "rental": (
            ["rent", "renter", "landlord", "bond", "lease", "tenancy", "increase", "agent", "inspection",
             "repair", "notice", "dispute", "tribunal", "property", "rights", "pet", "deposit", "contract",
             "vacancy", "market", "tenant", "advice"],
            ["rent", "lease", "terminate", "increase", "inspect", "negotiate"],
            ["private", "fixed-term", "periodic", "fair", "unfair", "rental"],
            ["RentersRights", "RentalReform", "KnowYourRights"],
        ),
    },
    "employment": {
        "jobs": (
            ["job", "jobseeker", "employment", "vacancy", "career", "resume", "interview", "training",
             "apprentice", "employer", "work", "hiring", "recruitment", "skills", "wage", "fair", "shift",
             "expo", "placement", "industry", "role", "workforce"],
            ["hire", "apply", "train", "recruit", "work", "find"],
            ["local", "casual", "full-time", "entry-level", "skilled", "flexible"],
            ["JobsExpo", "CareerReady", "NowHiring"],
        ),
        "welfare": (
            ["payment", "Centrelink", "benefit", "pension", "allowance", "claim", "income", "support",
             "concession", "card", "carer", "disability", "NDIS", "plan", "debt", "review", "appeal",
             "obligation", "myGov", "eligibility", "rate", "supplement"],
            ["claim", "receive", "report", "update", "appeal", "apply"],
            ["fortnightly", "eligible", "mutual", "overdue", "backdated", "indexed"],
            ["CostOfLiving", "SupportPayments", "NDISUpdate"],
        ),
        "workplace_safety": (
            ["workplace", "safety", "injury", "worker", "inspector", "hazard", "incident", "compensation",
             "claim", "employer", "heat", "asbestos", "scaffold", "site", "fatigue", "bullying", "harassment",
             "rights", "notice", "fine", "construction", "protection"],
            ["inspect", "report", "protect", "prevent", "comply", "enforce"],
            ["unsafe", "serious", "psychosocial", "hazardous", "mandatory", "safe"],
            ["WorkSafe", "SafetyFirst", "HomeSafe"],
        ),
    },
}
# fmt: on

PORTFOLIO_NAMES = {
    "health": ("Health", ["Department of Health", "Health Service", "Public Health Unit"]),
    "tax": ("Revenue", ["Revenue Office", "Taxation Office", "Revenue Service"]),
    "transport": ("Transport", ["Transport Authority", "Roads and Transport", "Transport Department"]),
    "emergency": ("Emergency", ["Emergency Services", "Fire and Rescue", "Police"]),
    "education": ("Education", ["Department of Education", "Education Directorate", "Skills and Education"]),
    "environment": ("Environment", ["Environment Agency", "Council Environment Team", "Parks and Water"]),
    "housing": ("Housing", ["Housing Authority", "Homes and Planning", "Housing Department"]),
    "employment": ("Jobs", ["Jobs and Skills", "Employment Services", "Fair Work Office"]),
}

LEVELS = ("federal", "state", "local")
TIMEZONES = ("Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane", "Australia/Adelaide", "Australia/Perth")

# --------------------------------------------------------------------------- places, people

# fmt: off
_PLACE_HEADS = ["Kel", "Mar", "Wal", "Bran", "Cor", "Dun", "Ash", "Bel", "Car", "Elm", "Glen", "Har", "Kin",
                "Lang", "Mill", "Nor", "Pen", "Red", "Stan", "Thorn", "War", "Yar", "Bur", "Cal", "Dar", "Ever"]
_PLACE_TAILS = ["brook", "ton", "ford", "dale", "wood", "field", "vale", "more", "bury", "haven", "ridge",
                "worth", "gong", "ong"]
PLACES: list[str] = [h + t for h in _PLACE_HEADS for t in _PLACE_TAILS]

STREET_NAMES = ["Wattle", "Banksia", "Jacaranda", "Station", "Church", "Victoria", "Albert", "Park", "High",
                "Bridge", "Mill", "King", "Queen", "George", "Elizabeth", "Railway", "Ocean", "Hill", "River",
                "Gum", "Acacia", "Boronia", "Pine", "Oak", "Myrtle", "Lilly", "Ironbark", "Waratah"]
STREET_TYPES = ["Street", "St", "Road", "Rd", "Avenue", "Ave", "Lane", "Drive", "Dr", "Court", "Place",
                "Crescent", "Parade"]

FIRST_NAMES = ["Olivia", "Jack", "Charlotte", "Noah", "Amelia", "Oliver", "Isla", "William", "Mia", "Leo",
               "Ava", "Henry", "Grace", "Thomas", "Chloe", "Lucas", "Zoe", "James", "Ruby", "Ethan", "Sophie",
               "Liam", "Emily", "Mason", "Harper", "Aarav", "Priya", "Wei", "Mei", "Hamid", "Fatima", "Ngoc",
               "Minh", "Giulia", "Marco", "Eleni", "Nikos", "Aroha", "Tane", "Sione", "Mele", "Darcy", "Kylie",
               "Shane", "Bronwyn", "Trent", "Narelle", "Jarrah", "Kirra", "Lachlan", "Tahlia", "Brodie",
               "Siobhan", "Declan", "Anh", "Raj", "Sunita", "Omar", "Layla", "Ivan"]
LAST_NAMES = ["Smith", "Nguyen", "Williams", "Brown", "Wilson", "Taylor", "Johnson", "White", "Martin",
              "Anderson", "Thompson", "Tran", "Walker", "Harris", "Lee", "Ryan", "Robinson", "Kelly", "King",
              "Davis", "Wright", "Evans", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Patel",
              "Singh", "Chen", "Wang", "Li", "Kaur", "Papadopoulos", "Rossi", "Murphy", "OBrien", "Mitchell",
              "Campbell", "Stewart", "Morris", "Cooper", "Hughes", "Edwards", "Turner", "Baker", "Phillips",
              "Lewis", "Young", "Scott", "Ahmed", "Hussain", "Le", "Pham", "Kowalski", "Novak", "Fraser",
              "Doyle", "McKenzie"]
HANDLE_WORDS = ["aussie", "mum", "dad", "footy", "coffee", "beach", "surf", "bush", "outback", "city", "local",
                "real", "the", "its", "just", "mr", "ms", "official", "life", "daily"]

# Reserved for fiction / documentation: AU 0491 570 xxx mobiles and (02) 5550 xxxx,
# UK 07700 900xxx, US 555-01xx; e-mail domains under example.* (RFC 2606).
EMAIL_DOMAINS = ["example.com", "example.net", "example.org", "mail.example.com", "inbox.example.net"]

EMOJI_POSITIVE = ["🙏", "👍", "😊", "❤️", "👏", "🎉", "💪"]
EMOJI_NEGATIVE = ["😡", "😤", "🙄", "😞", "👎", "😠"]
EMOJI_NEUTRAL = ["📢", "ℹ️", "📅", "👉", "⚠️", "📍", "🚧", "✅"]

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

# Everyday paraphrases used to vary ordinary (non-templated) posts, so that only
# real templates, retweets and copies are near-duplicates of each other.
SYNONYMS: dict[str, list[str]] = {
    "information": ["info", "details", "guidance"], "now": ["currently", "today", "right now"],
    "check": ["see", "look at", "review"], "open": ["available", "running", "on"],
    "apply": ["sign up", "register", "put in an application"], "help": ["assist", "support", "sort things out for"],
    "please": ["pls", "kindly", "please,"], "thanks": ["thank you", "cheers", "ta", "many thanks"],
    "thank": ["many thanks", "big thanks", "thank"], "ridiculous": ["absurd", "a joke", "unacceptable", "insane"],
    "website": ["site", "web page", "online portal"], "changes": ["updates", "changes", "new arrangements"],
    "new": ["latest", "updated", "brand new"], "residents": ["locals", "people", "community members"],
    "available": ["open", "on offer", "ready"], "find": ["locate", "get", "track down"],
    "still": ["yet", "even now", "STILL"], "quickly": ["fast", "promptly", "so fast"],
    "brilliant": ["excellent", "fantastic", "amazing", "top"], "wrong": ["incorrect", "not right", "false"],
    "nobody": ["no one", "not one person"], "told": ["informed", "warned", "notified"],
    "great": ["wonderful", "terrific", "awesome"], "today": ["this morning", "this afternoon", "today"],
    "week": ["fortnight", "weekend", "week"], "months": ["ages", "weeks", "a year"],
    "frustrated": ["fed up", "annoyed", "over it"], "terrible": ["awful", "hopeless", "shocking"],
    "latest": ["newest", "most recent", "current"], "important": ["key", "essential", "vital"],
    "families": ["households", "parents", "kids and parents"], "online": ["on the web", "via the app", "online"],
    "community": ["neighbourhood", "local area", "community"], "support": ["help", "assistance", "backing"],
    "details": ["info", "particulars", "specifics"], "need": ["have to", "must", "need to"],
    "team": ["staff", "crew", "people"], "update": ["refresh", "news", "update"],
    "share": ["send", "pass on", "post"], "plan": ["strategy", "proposal", "roadmap"],
    "want": ["would like", "wish", "hope"], "hear": ["get", "receive", "collect"],
    "looking": ["aiming", "hoping", "planning"], "issue": ["problem", "matter", "fault"],
    "answer": ["response", "reply", "answer"], "reply": ["response", "answer", "word back"],
    "days": ["ages", "a week", "weeks"], "mess": ["shambles", "disaster", "joke"],
}
FILLERS = ["really", "just", "honestly", "actually", "again", "please", "also", "so", "very", "btw", "now", "seriously",
           "anyway", "literally", "basically", "ok", "right", "!!", "...", "tbh"]
# fmt: on
