#include "resolve.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>

// Resolution. A candidate starts from its prior and the cues of its own mention (its base
// score); then the other names of the document vote for countries, admin1 and admin2 regions
// and nearby places, each with how likely its own candidates are, and the votes are taken
// again from the re-scored candidates (Georgia the state among Atlanta and Chicago, Palestine
// the Texas town among Anderson County's other towns). Each mention then takes its best
// candidate, and a name repeated without cues of its own keeps its first sense.

namespace incidentmap::gazetteer::geoparse {

namespace {

// Weights of the country, admin1 and admin2 votes, the softness of the first votes (when only
// priors and cues speak) and of the second; two rounds.
constexpr double k_wc = 2.5;
constexpr double k_wa = 3.5;
constexpr double k_w2 = 4.0; // a county and a town in it ("Paris and Henry County")
constexpr double k_t0 = 3.0;
constexpr double k_t = 1.0;
constexpr int k_iters = 2;
constexpr double k_wd = 2.0;      // weight of nearby places of other names
constexpr double k_sigma = 100.0; // km at which a neighbour's weight falls to 1/e
constexpr double k_kind = 1.0;    // weight of the share of regions among the other names
// A candidate in a country of the deployment's focus: about what a named country adds in the
// vote (k_wc * log 2 ~ 1.7), so that the focus decides between namesakes of equal standing but
// not against a name's own cues ("X, Region" adds 5).
constexpr double k_focus = 2.0;

// One candidate place of a mention.
struct ScoredPlace {
    const Place* place = nullptr;
    double base = 0.0;  // its prior and the cues of its own mention
    double score = 0.0; // the base and the votes of the document's other names
};

// A mention being resolved.
struct MentionScores {
    std::vector<ScoredPlace> places;
    std::size_t group = 0;    // the first mention of the same name: mentions of one name vote once
    bool region_name = false; // some candidate is a country or admin1
    double top_base = -1e18;  // the best base score
};

// --- Base scores -----------------------------------------------------------------------------

bool in_focus(const std::vector<std::string>& focus, const Place& p) {
    return std::find(focus.begin(), focus.end(), p.country) != focus.end();
}

// The mention's parent ("X, Y": Y) names a country or admin1 region p is in.
bool in_parent(const Gazetteer& gz, const Mention& parent, const Place& p) {
    for (auto pp : parent.candidates) {
        const Place& q = gz.place(pp & 0x7fffffffu);
        if ((q.kind == PlaceKind::country && q.country == p.country) ||
            (q.kind == PlaceKind::admin1 && q.country == p.country && q.admin1 == p.admin1)) {
            return true;
        }
    }
    return false;
}

// Some candidate of the mention is a country or an admin1 region.
bool names_region(const Gazetteer& gz, const Mention& m) {
    bool region = false;
    for (auto posting : m.candidates) {
        const auto kind = gz.place(posting & 0x7fffffffu).kind;
        region = region || kind == PlaceKind::country || kind == PlaceKind::admin1;
    }
    return region;
}

// A city and its region of one name ("Kharkiv", "Donetsk"): news name the city unless they
// say region. True when p, reached by its main name, is the seat of an admin1 region among the
// mention's candidates ("Oklahoma" is no main name of Oklahoma City).
bool seat_of_a_candidate_region(const Gazetteer& gz, const Mention& m, std::uint32_t posting) {
    const Place& p = gz.place(posting & 0x7fffffffu);
    if (p.kind != PlaceKind::place || p.feature_code != "PPLA" || !(posting & 0x80000000u)) {
        return false;
    }
    return std::any_of(m.candidates.begin(), m.candidates.end(), [&](std::uint32_t other) {
        const Place& q = gz.place(other & 0x7fffffffu);
        return q.kind == PlaceKind::admin1 && q.country == p.country && q.admin1 == p.admin1;
    });
}

// The prior of a candidate and the cues of its own mention.
double base_score(const Gazetteer& gz, const Mention& m, const Mention* parent, bool region_name,
                  std::uint32_t posting, const std::vector<std::string>& focus) {
    const Place& p = gz.place(posting & 0x7fffffffu);
    double s = Gazetteer::prior(p) + ((posting & 0x80000000u) ? 0.3 : 0.0);
    if (in_focus(focus, p)) {
        s += k_focus;
    }
    if (p.kind == PlaceKind::admin2 && !(posting & 0x80000000u)) {
        s -= 1.0; // "Washington" is seldom the county of the name
    }
    // A town named like a country or region ("China, Maine", "California, Missouri") is
    // named after it; news mean the country or region unless much speaks for the town.
    if (region_name && (p.kind == PlaceKind::place || p.kind == PlaceKind::admin2)) {
        s -= seat_of_a_candidate_region(gz, m, posting) && !m.region_cue ? 0.0 : 1.5;
    }
    if (!m.demonym_country.empty() && p.country == m.demonym_country) {
        s += 3.0;
    }
    if (m.region_cue) {
        s += (p.kind == PlaceKind::admin1 || p.kind == PlaceKind::admin2) ? 4.0 : -1.0;
    }
    if (m.settlement_cue) {
        s += p.kind == PlaceKind::place ? 2.0 : -2.0;
    }
    if (parent && in_parent(gz, *parent, p)) {
        s += 5.0;
    }
    return s;
}

// The candidates of each mention with their base scores, and the mentions' groups.
std::vector<MentionScores> score_candidates(const Gazetteer& gz,
                                            const std::vector<Mention>& mentions,
                                            const std::vector<std::string>& focus) {
    std::vector<MentionScores> all(mentions.size());
    std::unordered_map<std::string, std::size_t> first_of;
    for (std::size_t k = 0; k < mentions.size(); ++k) {
        const auto& m = mentions[k];
        auto& r = all[k];
        r.group = first_of.emplace(m.norm, k).first->second;
        const Mention* parent =
            m.parent >= 0 ? &mentions[static_cast<std::size_t>(m.parent)] : nullptr;
        r.region_name = names_region(gz, m);
        for (auto posting : m.candidates) {
            const double s = base_score(gz, m, parent, r.region_name, posting, focus);
            r.places.push_back({&gz.place(posting & 0x7fffffffu), s, s});
            r.top_base = std::max(r.top_base, s);
        }
    }
    return all;
}

// --- Votes -----------------------------------------------------------------------------------

using Votes = std::unordered_map<std::string, double>; // by country, admin1 or admin2 key

// A likely town or county of a name: "Richmond" among London and Twickenham.
struct Support {
    geo::LonLat point;
    double weight;
};

// What the candidates of one name say, each by how likely it is.
struct NameVotes {
    Votes country;
    Votes admin1;
    Votes admin2;
    double region_share = 0.0;    // how likely the name is an admin1 region
    std::vector<Support> support; // its likely towns and counties
};

// The votes of all names of the document.
struct DocumentVotes {
    std::vector<NameVotes> of_name; // by mention, at the first mention of each name
    Votes country;                  // the sums over the names
    Votes admin1;
    Votes admin2;
    double region_total = 0.0;
    std::size_t groups = 0; // names that voted
};

// "CC.admin1.admin2" of a place in an admin2 region, or empty.
std::string admin2_key(const Place& p) {
    return p.admin2.empty() || p.admin1.empty() || p.kind == PlaceKind::country ||
                   p.kind == PlaceKind::admin1
               ? std::string()
               : p.country + "." + p.admin1 + "." + p.admin2;
}

// The votes of one name from the softmax of its scores at `temperature`. Only places of towns
// and counties support places nearby: a region's point says little of its extent.
NameVotes votes_of(const MentionScores& r, double temperature) {
    double top = r.places.front().score;
    for (const auto& c : r.places) {
        top = std::max(top, c.score);
    }
    double z = 0.0;
    for (const auto& c : r.places) {
        z += std::exp((c.score - top) / temperature);
    }
    NameVotes v;
    for (const auto& c : r.places) {
        const double q = std::exp((c.score - top) / temperature) / z;
        const Place& p = *c.place;
        if (p.kind == PlaceKind::admin1) {
            v.region_share += q;
        }
        if (q >= 0.1 && (p.kind == PlaceKind::place || p.kind == PlaceKind::admin2)) {
            v.support.push_back({p.point, q});
        }
        if (q < 1e-4) {
            continue;
        }
        v.country[p.country] += q;
        if (p.kind != PlaceKind::country && !p.admin1.empty()) {
            v.admin1[p.admin1_key()] += q;
        }
        if (auto key2 = admin2_key(p); !key2.empty()) {
            v.admin2[key2] += q;
        }
    }
    return v;
}

// The votes of every name (at its first mention) and their sums.
DocumentVotes tally(const std::vector<MentionScores>& all, double temperature) {
    DocumentVotes d;
    d.of_name.resize(all.size());
    for (std::size_t k = 0; k < all.size(); ++k) {
        if (all[k].group != k || all[k].places.empty()) {
            continue;
        }
        const NameVotes& v = d.of_name[k] = votes_of(all[k], temperature);
        for (const auto& [c, q] : v.country) {
            d.country[c] += q;
        }
        for (const auto& [a, q] : v.admin1) {
            d.admin1[a] += q;
        }
        for (const auto& [a, q] : v.admin2) {
            d.admin2[a] += q;
        }
        d.region_total += v.region_share;
        ++d.groups;
    }
    return d;
}

// --- Scores ----------------------------------------------------------------------------------

// The votes of the other names for key, log(1 + all - own), or none when no name voted for it.
std::optional<double> others_vote(const Votes& all, const Votes& own, const std::string& key) {
    auto it = all.find(key);
    if (it == all.end()) {
        return std::nullopt;
    }
    auto o = own.find(key);
    return std::log1p(std::max(0.0, it->second - (o == own.end() ? 0.0 : o->second)));
}

double km_between(geo::LonLat a, geo::LonLat b) {
    constexpr double deg = 3.14159265358979323846 / 180.0;
    const double x = (a.lon - b.lon) * std::cos((a.lat + b.lat) / 2.0 * deg);
    const double y = a.lat - b.lat;
    return std::sqrt(x * x + y * y) * 111.2;
}

// The support of the likely towns and counties of the other names near `point`.
double nearby_support(const DocumentVotes& d, std::size_t group, geo::LonLat point) {
    double near = 0.0;
    for (std::size_t g = 0; g < d.of_name.size(); ++g) {
        if (g == group) {
            continue;
        }
        for (const auto& sp : d.of_name[g].support) {
            const double d_km = km_between(point, sp.point);
            if (d_km < 4.0 * k_sigma) {
                near += sp.weight * std::exp(-d_km / k_sigma);
            }
        }
    }
    return near;
}

// A candidate's base score and the votes of the document's other names for it.
double rescore(const MentionScores& r, const ScoredPlace& c, const DocumentVotes& d) {
    const NameVotes& own = d.of_name[r.group];
    const Place& p = *c.place;
    double s = c.base;
    if (auto v = others_vote(d.country, own.country, p.country)) {
        s += k_wc * *v;
    }
    if (p.kind != PlaceKind::country && !p.admin1.empty()) {
        if (auto v = others_vote(d.admin1, own.admin1, p.admin1_key())) {
            s += k_wa * *v;
        }
    }
    if (auto key2 = admin2_key(p); !key2.empty()) {
        if (auto v = others_vote(d.admin2, own.admin2, key2)) {
            s += k_w2 * *v;
        }
    }
    // A name among names of regions ("Texas, Oregon and Louisiana") is a region.
    if (p.kind == PlaceKind::admin1 && d.groups > 1) {
        s += k_kind * (d.region_total - own.region_share) / static_cast<double>(d.groups - 1);
    }
    if (!r.region_name && (p.kind == PlaceKind::place || p.kind == PlaceKind::admin2) &&
        c.base >= r.top_base - 6.0) {
        s += k_wd * std::log1p(nearby_support(d, r.group, p.point));
    }
    return s;
}

// --- Choice ----------------------------------------------------------------------------------

// The best candidate of a mention, its score and the runner-up's.
struct Choice {
    const Place* place = nullptr;
    double score = -1e18;
    double second = -1e18;
};

Choice best_of(const MentionScores& r) {
    Choice c;
    for (const auto& sp : r.places) {
        if (sp.score > c.score) {
            c.second = c.score;
            c.score = sp.score;
            c.place = sp.place;
        } else if (sp.score > c.second) {
            c.second = sp.score;
        }
    }
    return c;
}

Toponym toponym_of(const Document& doc, const Mention& m, const Place* place,
                   const Choice& choice) {
    Toponym t;
    t.begin = doc.tokens[m.first].b;
    t.end = m.end_byte;
    t.cp_begin = doc.tokens[m.first].cb;
    t.cp_end = m.end_cp;
    t.text = std::string(doc.text.substr(t.begin, t.end - t.begin));
    t.place = place;
    t.score = choice.score;
    t.margin = choice.second > -1e17 ? choice.score - choice.second : 10.0;
    t.metonymic = m.metonymic;
    t.demonym = m.demonym;
    t.near = m.near;
    t.region_cue = m.region_cue;
    t.unplaced = m.unplaced;
    return t;
}

// The toponyms of the mentions with their best candidates. One sense per discourse: a name
// repeated without its own cues keeps the first sense.
std::vector<Toponym> choose(const Document& doc, const std::vector<Mention>& mentions,
                            const std::vector<MentionScores>& all) {
    std::vector<Toponym> out;
    out.reserve(mentions.size());
    std::unordered_map<std::string, const Place*> resolved_by_name;
    for (std::size_t k = 0; k < mentions.size(); ++k) {
        const auto& m = mentions[k];
        const Choice choice = best_of(all[k]);
        if (choice.place == nullptr) {
            continue;
        }
        const Place* place = choice.place;
        auto prev = resolved_by_name.find(m.norm);
        if (prev != resolved_by_name.end() && !m.region_cue && m.parent < 0) {
            place = prev->second;
        } else if (prev == resolved_by_name.end()) {
            resolved_by_name.emplace(m.norm, place);
        }
        out.push_back(toponym_of(doc, m, place, choice));
    }
    return out;
}

} // namespace

void prune_candidates(std::vector<Mention>& mentions, const Gazetteer& gz,
                      std::size_t max_candidates, const std::vector<std::string>& focus) {
    const auto rank = [&](std::uint32_t posting) {
        const Place& p = gz.place(posting & 0x7fffffffu);
        return Gazetteer::prior(p) + (in_focus(focus, p) ? k_focus : 0.0);
    };
    for (auto& m : mentions) {
        if (m.candidates.size() > max_candidates) {
            std::partial_sort(m.candidates.begin(),
                              m.candidates.begin() + static_cast<std::ptrdiff_t>(max_candidates),
                              m.candidates.end(),
                              [&](std::uint32_t a, std::uint32_t b) { return rank(a) > rank(b); });
            m.candidates.resize(max_candidates);
        }
    }
}

std::vector<Toponym> resolve(const Gazetteer& gz, const Document& doc,
                             const std::vector<Mention>& mentions,
                             const std::vector<std::string>& focus) {
    std::vector<MentionScores> all = score_candidates(gz, mentions, focus);
    for (int iteration = 0; iteration < k_iters; ++iteration) {
        const DocumentVotes votes = tally(all, iteration == 0 ? k_t0 : k_t);
        for (auto& r : all) {
            for (auto& c : r.places) {
                c.score = rescore(r, c, votes);
            }
        }
    }
    return choose(doc, mentions, all);
}

} // namespace incidentmap::gazetteer::geoparse
