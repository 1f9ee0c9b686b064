#include "location.hpp"

#include "lexicon.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace incidentmap::incidents::detail {

namespace {

using gazetteer::PlaceKind;
using gazetteer::Toponym;

// "evacuated to Popayán", "the highway linking the city to Karachi", "refugees from Aleppo",
// "fired from the direction of the Nineveh plains": where people or things went or came from,
// not where the event was. Withdrawals ("withdrew from X") stay.
bool destination_or_origin(const std::vector<Word>& w, std::size_t k, const Toponym& t) {
    if (t.near || k == 0) {
        return false;
    }
    if (w[k - 1].lower == "to") {
        return k < 2 || (w[k - 2].lower != "close" && w[k - 2].lower != "next");
    }
    for (std::size_t j = k; j-- > 0 && j + 7 > k;) {
        const auto& lw = w[j].lower;
        if (lw == "from") {
            return j == 0 || !away_words().count(w[j - 1].lower);
        }
        if (lw == "in" || lw == "at" || lw == "on" || lw == "near" || w[j].clause_break_before) {
            break;
        }
    }
    return false;
}

// The sites of the clause; else those of a clause next to it that has no event of its own and
// whose sites no earlier event took.
std::vector<const Toponym*> clause_sites(const SiteQuery& q, int c) {
    std::vector<const Toponym*> chosen;
    for (const auto* t : q.sites) {
        if (q.sw.clause[q.sw.index_at(t->begin)] == c && t->place->kind != PlaceKind::country) {
            chosen.push_back(t);
        }
    }
    if (chosen.empty()) {
        for (const auto* t : q.sites) {
            int tc = q.sw.clause[q.sw.index_at(t->begin)];
            if (!q.events.count(tc) && t->place->kind != PlaceKind::country && !q.used.count(t) &&
                std::abs(tc - c) <= 1) {
                chosen.push_back(t);
            }
        }
    }
    return chosen;
}

// "met in the Turkish city", "fighting there": the place named before (in the country of the
// demonym, when one is said), or null.
const Toponym* referred_site(const SiteQuery& q, int c) {
    const auto& w = q.sw.words;
    const auto& clause = q.sw.clause;
    bool refers = false;
    std::string want_country;
    for (std::size_t k = 0; k + 1 < w.size(); ++k) {
        if (clause[k] != c && clause[k + 1] != c) {
            continue;
        }
        if (w[k].lower == "there" ||
            (w[k].lower == "the" &&
             (w[k + 1].lower == "city" || w[k + 1].lower == "town" || w[k + 1].lower == "village" ||
              (k + 2 < w.size() &&
               (w[k + 2].lower == "city" || w[k + 2].lower == "town" ||
                w[k + 2].lower == "village") &&
               (k + 3 >= w.size() || w[k + 3].lower != "of"))))) {
            refers = true;
            if (w[k].lower == "the" && k + 2 < w.size()) {
                auto d = std::string(gazetteer::country_of_demonym(w[k + 1].lower));
                if (!d.empty()) {
                    want_country = d;
                }
            }
        }
    }
    if (!refers) {
        return nullptr;
    }
    for (auto it = q.seen.rbegin(); it != q.seen.rend(); ++it) {
        if (want_country.empty() || (*it)->place->country == want_country) {
            return *it;
        }
    }
    return nullptr;
}

// "outside Konduga in Borno state": the region only says where the town is.
void drop_enclosing_regions(std::vector<const Toponym*>& chosen) {
    auto encloses_a_town = [&](const Toponym* r) {
        const auto& rp = *r->place;
        if (rp.kind != PlaceKind::admin1 && rp.kind != PlaceKind::admin2) {
            return false;
        }
        return std::any_of(chosen.begin(), chosen.end(), [&](const Toponym* t) {
            const auto& tp = *t->place;
            return tp.kind == PlaceKind::place && tp.country == rp.country &&
                   tp.admin1 == rp.admin1 &&
                   (rp.kind == PlaceKind::admin1 || tp.admin2 == rp.admin2);
        });
    };
    chosen.erase(std::remove_if(chosen.begin(), chosen.end(), encloses_a_town), chosen.end());
}

} // namespace

std::vector<const Toponym*> event_sites(const std::vector<Toponym>& toponyms, const Sentence& sent,
                                        std::size_t dateline_end, const SentenceWords& sw) {
    std::vector<const Toponym*> sites;
    for (const auto& t : toponyms) {
        if (t.begin >= sent.begin && t.end <= sent.end && !t.metonymic && t.begin >= dateline_end &&
            !destination_or_origin(sw.words, sw.index_at(t.begin), t)) {
            sites.push_back(&t);
        }
    }
    return sites;
}

SiteChoice choose_sites(const SiteQuery& q, int clause) {
    SiteChoice choice;
    choice.places = clause_sites(q, clause);
    if (choice.places.empty()) {
        if (const Toponym* t = referred_site(q, clause)) {
            choice.places.push_back(t);
            choice.anaphora = true;
        }
    }
    drop_enclosing_regions(choice.places);
    return choice;
}

} // namespace incidentmap::incidents::detail
