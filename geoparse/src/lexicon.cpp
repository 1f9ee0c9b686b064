#include "lexicon.hpp"

#include "incidentmap/text/demonyms.hpp"

namespace incidentmap::gazetteer::geoparse {

const std::unordered_set<std::string_view>& connectors() {
    static const std::unordered_set<std::string_view> s = {
        "of",  "de",  "del", "la", "le", "les", "los", "las", "upon", "on", "am",  "an",
        "der", "den", "al",  "el", "du", "des", "da",  "dos", "do",   "di", "sur", "en",
        "y",   "and", "the", "im", "in", "ob",  "bei", "sul", "sous", "au", "aux"};
    return s;
}

const std::unordered_set<std::string>& stop_words() {
    static const std::unordered_set<std::string> s = {
        "january",      "february",   "march",        "april",        "may",
        "june",         "july",       "august",       "september",    "october",
        "november",     "december",   "monday",       "tuesday",      "wednesday",
        "thursday",     "friday",     "saturday",     "sunday",       "taliban",
        "hamas",        "hezbollah",  "houthi",       "houthis",      "wagner",
        "fano",         "isis",       "daesh",        "kremlin",      "pentagon",
        "president",    "minister",   "governor",     "mayor",        "general",
        "colonel",      "captain",    "sergeant",     "lieutenant",   "king",
        "queen",        "prince",     "princess",     "pope",         "sheikh",
        "emir",         "chancellor", "senator",      "congressman",  "mr",
        "mrs",          "ms",         "dr",           "sir",          "lord",
        "lady",         "god",        "allah",        "jesus",        "christ",
        "internet",     "police",     "army",         "navy",         "parliament",
        "ministry",     "council",    "court",        "university",   "church",
        "hospital",     "street",     "road",         "airport",      "republic",
        "state",        "city",       "county",       "district",     "province",
        "region",       "oblast",     "north",        "south",        "east",
        "west",         "northern",   "southern",     "eastern",      "western",
        "central",      "union",      "national",     "federal",      "international",
        "department",   "office",     "agency",       "party",        "news",
        "press",        "times",      "post",         "journal",      "tribune",
        "herald",       "daily",      "weekly",       "today",        "world",
        "earth",        "university", "college",      "school",       "center",
        "centre",       "hall",       "house",        "senate",       "congress",
        "committee",    "commission", "association",  "group",        "company",
        "bank",         "club",       "team",         "league",       "cup",
        "olympic",      "olympics",   "christmas",    "easter",       "ramadan",
        "tv",           "radio",      "web",          "online",       "ap",
        "reuters",      "afp",        "dpa",          "ok",           "am",
        "pm",           "bbc",        "cnn",          "islam",        "muslim",
        "christian",    "jewish",     "catholic",     "orthodox",     "sunni",
        "shia",         "main",       "mount",        "lake",         "river",
        "bay",          "sea",        "ocean",        "gulf",         "island",
        "islands",      "coast",      "valley",       "park",         "beach",
        "victoria",     "wall",       "white",        "black",        "green",
        "red",          "blue",       "brown",        "young",        "page",
        "price",        "bush",       "clinton",      "obama",        "trump",
        "biden",        "johnson",    "smith",        "jackson",      "lincoln",
        "washington's", "friendship", "opportunity",  "independence", "liberty",
        "unity",        "hope",       "harmony",      "progress",     "mission",
        "security",     "defence",    "defense",      "health",       "justice",
        "northeast",    "northwest",  "southeast",    "southwest",    "arab",
        "arabs",        "passover",   "thanksgiving", "hanukkah",     "halloween"};
    return s;
}

const std::unordered_set<std::string_view>& location_prepositions() {
    static const std::unordered_set<std::string_view> s = {
        "in",      "at",      "near",   "from",    "to",         "outside",
        "across",  "into",    "toward", "towards", "around",     "through",
        "between", "of",      "via",    "inside",  "throughout", "within",
        "off",     "nearby",  "and",    "visit",   "visited",    "reach",
        "reached", "entered", "left",   "leaving", "outskirts",  "downtown",
        "suburb",  "suburbs", "city",   "town",    "village",    "capital"};
    return s;
}

const std::unordered_set<std::string_view>& qualifiers() {
    static const std::unordered_set<std::string_view> s = {
        "North",     "South",        "East",         "West",         "Northern",     "Southern",
        "Eastern",   "Western",      "Central",      "Greater",      "Upper",        "Lower",
        "Downtown",  "Metropolitan", "Northeastern", "Northwestern", "Southeastern", "Southwestern",
        "Occupied",  "Rural",        "Coastal",      "Mainland",     "Northeast",    "Northwest",
        "Southeast", "Southwest",    "In",           "At",           "Near",         "From",
        "To",        "Outside",      "Across",       "Into",         "Across",       "Around",
        "Inside",    "Across",       "Throughout",   "Across",       "Neighbouring", "Neighboring"};
    return s;
}

const std::unordered_set<std::string_view>& speech_verbs() {
    static const std::unordered_set<std::string_view> s = {
        "said",       "says",       "say",        "announced",  "announces",  "claimed",
        "claims",     "stated",     "states",     "demanded",   "demands",    "offered",
        "offers",     "proposed",   "proposes",   "agreed",     "agrees",     "accused",
        "accuses",    "denied",     "denies",     "warned",     "warns",      "insisted",
        "insists",    "emphasized", "emphasised", "emphasizes", "promised",   "promises",
        "rejected",   "rejects",    "refused",    "refuses",    "threatened", "threatens",
        "wants",      "wanted",     "hopes",      "hoped",      "believes",   "believed",
        "argues",     "argued",     "responded",  "responds",   "will",       "would",
        "could",      "can",        "should",     "must",       "may",        "might",
        "has",        "have",       "had",        "is",         "was",        "also",
        "quit",       "quits",      "pledged",    "pledges",    "vowed",      "vows",
        "urged",      "urges",      "called",     "calls",      "condemned",  "condemns",
        "welcomed",   "welcomes",   "blamed",     "blames",     "signed",     "signs",
        "recognized", "recognised", "imposed",    "imposes",    "sent",       "sends",
        "launched",   "launches",   "invaded",    "invades",    "supports",   "supported",
        "backed",     "backs",      "sanctioned", "expelled",   "reported",   "reports",
        "confirmed",  "confirms",   "declared",   "declares",   "decided",    "decides",
        "asked",      "asks",       "told",       "tells",      "approved",   "approves",
        "vowed",      "vows",       "indicated",  "indicates",  "did",        "does",
        "needs",      "needed",     "plans",      "planned",    "continued",  "continues",
        "follows",    "followed",   "demanded",   "appealed",   "appeals"};
    return s;
}

const std::unordered_map<std::string_view, std::string_view>& demonyms() {
    static const std::unordered_map<std::string_view, std::string_view> m = [] {
        std::unordered_map<std::string_view, std::string_view> words;
        for (const auto& d : text::demonyms()) {
            if (!d.abbreviation) {
                words.emplace(d.word, d.country);
            }
        }
        return words;
    }();
    return m;
}

const std::unordered_set<std::string_view>& function_words() {
    static const std::unordered_set<std::string_view> s = {
        "the",   "a",     "an",    "we",    "she",   "he",   "it",     "they",  "i",
        "you",   "our",   "my",    "his",   "her",   "its",  "their",  "this",  "that",
        "these", "those", "there", "here",  "no",    "yes",  "not",    "for",   "as",
        "if",    "but",   "or",    "so",    "then",  "than", "when",   "while", "what",
        "who",   "why",   "how",   "all",   "any",   "some", "each",   "every", "one",
        "ive",   "ill",   "id",    "im",    "youre", "were", "theyre", "dont",  "cant",
        "wont",  "its",   "lets",  "thats", "whats", "hes",  "shes",   "mr",    "mrs"};
    return s;
}

const std::unordered_set<std::string_view>& person_titles() {
    static const std::unordered_set<std::string_view> s = {
        "mr",          "mrs",          "ms",
        "miss",        "dr",           "sgt",
        "rep",         "sen",          "gov",
        "lt",          "capt",         "cpl",
        "pvt",         "det",          "officer",
        "deputy",      "judge",        "justice",
        "sheriff",     "chief",        "mayor",
        "pastor",      "rev",          "father",
        "sister",      "brother",      "coach",
        "professor",   "prof",         "gen",
        "col",         "maj",          "adm",
        "president",   "senator",      "governor",
        "councilman",  "councilwoman", "commissioner",
        "trooper",     "attorney",     "superintendent",
        "principal",   "director",     "spokesman",
        "spokeswoman", "secretary",    "uncle",
        "aunt",        "saint",        "st"};
    return s;
}

const std::unordered_set<std::string_view>& institution_words() {
    static const std::unordered_set<std::string_view> s = {
        "police",        "fire",        "sheriff",    "sheriffs",    "county",      "city",
        "high",          "middle",      "elementary", "school",      "schools",     "public",
        "department",    "dept",        "board",      "council",     "commission",  "chamber",
        "university",    "college",     "community",  "regional",    "municipal",   "memorial",
        "historical",    "museum",      "library",    "hospital",    "medical",     "health",
        "state",         "national",    "general",    "district",    "courthouse",  "court",
        "superior",      "circuit",     "house",      "senate",      "legislature", "assembly",
        "bureau",        "office",      "division",   "authority",   "agency",      "coalition",
        "association",   "society",     "foundation", "center",      "centre",      "airport",
        "international", "regional",    "metro",      "area",        "region",      "town",
        "township",      "village",     "mayor",      "attorney",    "attorneys",   "prosecutor",
        "census",        "army",        "navy",       "air",         "military",    "government",
        "officials",     "health",      "water",      "utilities",   "transit",     "highway",
        "patrol",        "troopers",    "zoo",        "symphony",    "chapter",     "branch",
        "campus",        "observatory", "arts",       "performing",  "workforce",   "supreme",
        "federal",       "civic",       "economic",   "development", "business",    "planning",
        "zoning",        "housing",     "parks",      "recreation",  "library",     "post",
        "times",         "tribune",     "herald",     "journal",     "gazette",     "news",
        "daily",         "press",       "register",   "observer",    "courier",     "examiner"};
    return s;
}

const std::unordered_set<std::string_view>& street_words() {
    static const std::unordered_set<std::string_view> s = {
        "street", "st",     "road", "rd",    "drive", "dr",      "avenue", "ave",
        "lane",   "ln",     "way",  "place", "court", "ct",      "trail",  "boulevard",
        "blvd",   "circle", "pike", "bend",  "creek", "terrace", "square", "parkway"};
    return s;
}

const std::vector<StateAbbreviation>& state_abbreviations() {
    static const std::vector<StateAbbreviation> v = {
        {"W.Va.", "West Virginia", false}, {"W. Va.", "West Virginia", false},
        {"N.Y.", "New York", false},       {"N.J.", "New Jersey", false},
        {"N.H.", "New Hampshire", false},  {"N.M.", "New Mexico", false},
        {"N.C.", "North Carolina", false}, {"N.D.", "North Dakota", false},
        {"S.C.", "South Carolina", false}, {"S.D.", "South Dakota", false},
        {"R.I.", "Rhode Island", false},   {"D.C.", "District of Columbia", false},
        {"Ala.", "Alabama", false},        {"Ariz.", "Arizona", false},
        {"Ark.", "Arkansas", true},        {"Calif.", "California", false},
        {"Colo.", "Colorado", false},      {"Conn.", "Connecticut", false},
        {"Del.", "Delaware", true},        {"Fla.", "Florida", false},
        {"Ga.", "Georgia", false},         {"Ill.", "Illinois", false},
        {"Ind.", "Indiana", true},         {"Kan.", "Kansas", false},
        {"Kans.", "Kansas", false},        {"Ky.", "Kentucky", false},
        {"La.", "Louisiana", true},        {"Md.", "Maryland", false},
        {"Mass.", "Massachusetts", true},  {"Mich.", "Michigan", false},
        {"Minn.", "Minnesota", false},     {"Miss.", "Mississippi", true},
        {"Mo.", "Missouri", true},         {"Mont.", "Montana", false},
        {"Neb.", "Nebraska", false},       {"Nebr.", "Nebraska", false},
        {"Nev.", "Nevada", false},         {"Okla.", "Oklahoma", false},
        {"Ore.", "Oregon", false},         {"Oreg.", "Oregon", false},
        {"Pa.", "Pennsylvania", false},    {"Penn.", "Pennsylvania", false},
        {"Tenn.", "Tennessee", false},     {"Tex.", "Texas", false},
        {"Vt.", "Vermont", false},         {"Va.", "Virginia", false},
        {"Wash.", "Washington", true},     {"Wis.", "Wisconsin", false},
        {"Wisc.", "Wisconsin", false},     {"Wyo.", "Wyoming", false}};
    return v;
}

bool emitted_demonym(std::string_view lower) {
    const text::Demonym* d = text::find_demonym(lower);
    return d != nullptr && d->names_country;
}

const std::unordered_set<std::string_view>& region_words() {
    static const std::unordered_set<std::string_view> s = {
        "region", "oblast",     "province",   "state", "county",    "district",    "governorate",
        "raion",  "prefecture", "department", "krai",  "territory", "municipality"};
    return s;
}

const std::unordered_set<std::string_view>& auxiliaries() {
    static const std::unordered_set<std::string_view> s = {
        "has",   "have", "had",    "is",   "was", "will",  "would",
        "could", "can",  "should", "must", "may", "might", "also"};
    return s;
}

const std::unordered_set<std::string>& near_cues() {
    static const std::unordered_set<std::string> s = {"near", "outside", "around", "outskirts"};
    return s;
}

const std::unordered_set<std::string>& near_cue_fillers() {
    static const std::unordered_set<std::string> s = {"the",          "a",
                                                      "an",           "capital",
                                                      "city",         "town",
                                                      "village",      "port",
                                                      "northern",     "southern",
                                                      "eastern",      "western",
                                                      "central",      "key",
                                                      "strategic",    "besieged",
                                                      "frontline",    "regional",
                                                      "of",           "and",
                                                      "or",           "cities",
                                                      "towns",        "villages",
                                                      "both",         "southeastern",
                                                      "northeastern", "southwestern",
                                                      "northwestern", "industrial",
                                                      "coastal",      "nearby",
                                                      "small",        "big",
                                                      "major"};
    return s;
}

} // namespace incidentmap::gazetteer::geoparse
