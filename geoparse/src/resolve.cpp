#include "resolve.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

namespace incidentmap::gazetteer::geoparse {

void prune_candidates(std::vector<Mention>& mentions, const Gazetteer& gz,
                      std::size_t max_candidates) {
    for (auto& m : mentions) {
        if (m.candidates.size() > max_candidates) {
            std::partial_sort(m.candidates.begin(),
                              m.candidates.begin() + static_cast<std::ptrdiff_t>(max_candidates),
                              m.candidates.end(), [&](std::uint32_t a, std::uint32_t b) {
                                  return Gazetteer::prior(gz.place(a & 0x7fffffffu)) >
                                         Gazetteer::prior(gz.place(b & 0x7fffffffu));
                              });
            m.candidates.resize(max_candidates);
        }
    }
}

std::vector<Toponym> resolve(const Gazetteer& gz, const Document& doc,
                             const std::vector<Mention>& mentions) {
    const std::string_view text = doc.text;
    const std::vector<Token>& tokens = doc.tokens;
    // Resolution. A candidate starts from its prior and the cues of its own mention; then the
    // other names of the document vote for countries and admin1 regions, each with how likely
    // its own candidates are, and the votes are taken again from the re-scored candidates
    // (Georgia the state among Atlanta and Chicago, Palestine the Texas town among Anderson
    // County's other towns).
    const std::size_t mention_count = mentions.size();
    std::vector<std::vector<const Place*>> cands(mention_count);
    std::vector<std::vector<double>> base(mention_count);
    std::vector<std::vector<double>> score(mention_count);
    std::vector<std::size_t> group(mention_count); // mentions of one name vote once
    std::vector<bool> region_name(mention_count);  // some candidate is a country or admin1
    {
        std::unordered_map<std::string, std::size_t> first_of;
        for (std::size_t k = 0; k < mention_count; ++k) {
            group[k] = first_of.emplace(mentions[k].norm, k).first->second;
        }
    }
    for (std::size_t k = 0; k < mention_count; ++k) {
        const auto& m = mentions[k];
        const Mention* parent =
            m.parent >= 0 ? &mentions[static_cast<std::size_t>(m.parent)] : nullptr;
        // A town named like a country or region ("China, Maine", "California, Missouri") is
        // named after it; news mean the country or region unless much speaks for the town.
        bool names_region = false;
        for (auto posting : m.candidates) {
            const auto kind = gz.place(posting & 0x7fffffffu).kind;
            names_region = names_region || kind == PlaceKind::country || kind == PlaceKind::admin1;
        }
        region_name[k] = names_region;
        for (auto posting : m.candidates) {
            const Place& p = gz.place(posting & 0x7fffffffu);
            double s = Gazetteer::prior(p) + ((posting & 0x80000000u) ? 0.3 : 0.0);
            if (p.kind == PlaceKind::admin2 && !(posting & 0x80000000u)) {
                s -= 1.0; // "Washington" is seldom the county of the name
            }
            if (names_region && (p.kind == PlaceKind::place || p.kind == PlaceKind::admin2)) {
                s -= 1.5;
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
            if (parent) {
                for (auto pp : parent->candidates) {
                    const Place& q = gz.place(pp & 0x7fffffffu);
                    if ((q.kind == PlaceKind::country && q.country == p.country) ||
                        (q.kind == PlaceKind::admin1 && q.country == p.country &&
                         q.admin1 == p.admin1)) {
                        s += 5.0;
                        break;
                    }
                }
            }
            cands[k].push_back(&p);
            base[k].push_back(s);
        }
        score[k] = base[k];
    }
    // Weights of the country, admin1 (and admin2, below) votes, the softness of the first votes
    // (when only priors and cues speak) and of the second; two rounds.
    constexpr double k_wc = 2.5;
    constexpr double k_wa = 3.5;
    constexpr double k_t0 = 3.0;
    constexpr double k_t = 1.0;
    constexpr int k_iters = 2;
    std::vector<double> top_base(mention_count, -1e18);
    for (std::size_t k = 0; k < mention_count; ++k) {
        for (double v : base[k]) {
            top_base[k] = std::max(top_base[k], v);
        }
    }
    std::vector<std::unordered_map<std::string, double>> vote_country(mention_count);
    std::vector<std::unordered_map<std::string, double>> vote_admin1(mention_count);
    std::vector<std::unordered_map<std::string, double>> vote_admin2(mention_count);
    constexpr double k_w2 = 4.0; // a county and a town in it ("Paris and Henry County")
    auto admin2_key = [](const Place& p) {
        return p.admin2.empty() || p.admin1.empty() || p.kind == PlaceKind::country ||
                       p.kind == PlaceKind::admin1
                   ? std::string()
                   : p.country + "." + p.admin1 + "." + p.admin2;
    };
    // Places of the other names nearby: "Richmond" among London and Twickenham. Only for names
    // of towns and counties: a region's point says little of its extent.
    struct Support {
        geo::LonLat point;
        double weight;
    };
    std::vector<std::vector<Support>> support(mention_count);
    constexpr double k_wd = 2.0;      // weight of nearby places of other names
    constexpr double k_sigma = 100.0; // km at which a neighbour's weight falls to 1/e
    auto km_between = [](geo::LonLat a, geo::LonLat b) {
        constexpr double deg = 3.14159265358979323846 / 180.0;
        const double x = (a.lon - b.lon) * std::cos((a.lat + b.lat) / 2.0 * deg);
        const double y = a.lat - b.lat;
        return std::sqrt(x * x + y * y) * 111.2;
    };
    constexpr double k_kind = 1.0; // weight of the share of regions among the other names
    for (int iteration = 0; iteration < k_iters; ++iteration) {
        const double temperature = iteration == 0 ? k_t0 : k_t;
        std::unordered_map<std::string, double> country_votes;
        std::unordered_map<std::string, double> admin1_votes;
        std::unordered_map<std::string, double> admin2_votes;
        std::vector<double> region_share(mention_count, 0.0); // how likely an admin1 region
        double region_total = 0.0;
        std::size_t groups = 0;
        for (std::size_t k = 0; k < mention_count; ++k) {
            vote_country[k].clear();
            vote_admin1[k].clear();
            vote_admin2[k].clear();
            if (group[k] != k || cands[k].empty()) {
                continue;
            }
            const double top = *std::max_element(score[k].begin(), score[k].end());
            double z = 0.0;
            for (double v : score[k]) {
                z += std::exp((v - top) / temperature);
            }
            for (std::size_t c = 0; c < cands[k].size(); ++c) {
                const double q = std::exp((score[k][c] - top) / temperature) / z;
                if (q < 1e-4) {
                    continue;
                }
                const Place& p = *cands[k][c];
                vote_country[k][p.country] += q;
                if (p.kind != PlaceKind::country && !p.admin1.empty()) {
                    vote_admin1[k][p.admin1_key()] += q;
                }
                if (auto key2 = admin2_key(p); !key2.empty()) {
                    vote_admin2[k][key2] += q;
                }
            }
            for (const auto& [a, v] : vote_admin2[k]) {
                admin2_votes[a] += v;
            }
            for (std::size_t c = 0; c < cands[k].size(); ++c) {
                if (cands[k][c]->kind == PlaceKind::admin1) {
                    region_share[k] += std::exp((score[k][c] - top) / temperature) / z;
                }
            }
            region_total += region_share[k];
            ++groups;
            support[k].clear();
            for (std::size_t c = 0; c < cands[k].size(); ++c) {
                const double q = std::exp((score[k][c] - top) / temperature) / z;
                const Place& p = *cands[k][c];
                if (q >= 0.1 && (p.kind == PlaceKind::place || p.kind == PlaceKind::admin2)) {
                    support[k].push_back({p.point, q});
                }
            }
            for (const auto& [c, v] : vote_country[k]) {
                country_votes[c] += v;
            }
            for (const auto& [a, v] : vote_admin1[k]) {
                admin1_votes[a] += v;
            }
        }
        for (std::size_t k = 0; k < mention_count; ++k) {
            const auto& own_c = vote_country[group[k]];
            const auto& own_a = vote_admin1[group[k]];
            for (std::size_t c = 0; c < cands[k].size(); ++c) {
                const Place& p = *cands[k][c];
                double s = base[k][c];
                if (auto it = country_votes.find(p.country); it != country_votes.end()) {
                    auto o = own_c.find(p.country);
                    s += k_wc * std::log1p(std::max(0.0, it->second -
                                                             (o == own_c.end() ? 0.0 : o->second)));
                }
                if (p.kind != PlaceKind::country && !p.admin1.empty()) {
                    const auto key = p.admin1_key();
                    if (auto it = admin1_votes.find(key); it != admin1_votes.end()) {
                        auto o = own_a.find(key);
                        s += k_wa * std::log1p(std::max(
                                        0.0, it->second - (o == own_a.end() ? 0.0 : o->second)));
                    }
                }
                if (auto key2 = admin2_key(p); !key2.empty()) {
                    if (auto it = admin2_votes.find(key2); it != admin2_votes.end()) {
                        const auto& own2 = vote_admin2[group[k]];
                        auto o = own2.find(key2);
                        s += k_w2 * std::log1p(std::max(
                                        0.0, it->second - (o == own2.end() ? 0.0 : o->second)));
                    }
                }
                // A name among names of regions ("Texas, Oregon and Louisiana") is a region.
                if (p.kind == PlaceKind::admin1 && groups > 1) {
                    s += k_kind * (region_total - region_share[group[k]]) /
                         static_cast<double>(groups - 1);
                }
                if (!region_name[k] &&
                    (p.kind == PlaceKind::place || p.kind == PlaceKind::admin2) &&
                    base[k][c] >= top_base[k] - 6.0) {
                    double near = 0.0;
                    for (std::size_t g = 0; g < mention_count; ++g) {
                        if (g == group[k]) {
                            continue;
                        }
                        for (const auto& sp : support[g]) {
                            const double d = km_between(p.point, sp.point);
                            if (d < 4.0 * k_sigma) {
                                near += sp.weight * std::exp(-d / k_sigma);
                            }
                        }
                    }
                    s += k_wd * std::log1p(near);
                }
                score[k][c] = s;
            }
        }
    }

    std::vector<Toponym> out;
    out.reserve(mentions.size());
    std::unordered_map<std::string, const Place*> resolved_by_name; // one sense per discourse
    for (std::size_t k = 0; k < mentions.size(); ++k) {
        const auto& m = mentions[k];
        const Place* best = nullptr;
        double best_score = -1e18;
        double second = -1e18;
        for (std::size_t c = 0; c < cands[k].size(); ++c) {
            const double s = score[k][c];
            if (s > best_score) {
                second = best_score;
                best_score = s;
                best = cands[k][c];
            } else if (s > second) {
                second = s;
            }
        }
        if (best == nullptr) {
            continue;
        }
        // One sense per discourse: a name repeated without its own cues keeps the first sense.
        auto prev = resolved_by_name.find(m.norm);
        if (prev != resolved_by_name.end() && !m.region_cue && m.parent < 0) {
            best = prev->second;
        } else if (prev == resolved_by_name.end()) {
            resolved_by_name.emplace(m.norm, best);
        }
        Toponym t;
        t.begin = tokens[m.first].b;
        t.end = m.end_byte;
        t.cp_begin = tokens[m.first].cb;
        t.cp_end = m.end_cp;
        t.text = std::string(text.substr(t.begin, t.end - t.begin));
        t.place = best;
        t.score = best_score;
        t.margin = second > -1e17 ? best_score - second : 10.0;
        t.metonymic = m.metonymic;
        t.demonym = m.demonym;
        t.near = m.near;
        t.region_cue = m.region_cue;
        out.push_back(std::move(t));
    }
    return out;
}

} // namespace incidentmap::gazetteer::geoparse
