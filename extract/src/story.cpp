#include "story.hpp"

#include "actors.hpp"
#include "casualties.hpp"
#include "dates.hpp"
#include "events.hpp"
#include "location.hpp"
#include "words.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>

namespace incidentmap::incidents::detail {

namespace {

using gazetteer::PlaceKind;
using gazetteer::Toponym;

// What one sentence says, read once and shared by the steps that make its incidents.
struct SentenceFacts {
    std::size_t index = 0; // in Extraction::sentences
    const Sentence* sent = nullptr;
    SentenceWords sw;
    std::vector<const Toponym*> sites; // event_sites
    SentenceDate date;
    Casualties casualties;
};

// One clause's event and its places, as each of its incidents shares them.
struct ClauseEvent {
    const Trigger& trigger;
    DatedPhrase date; // the clause's own date, else the sentence's
    SiteChoice places;
};

// Reads the sentences of an article's body in order, carrying from one to the next the last
// date named, the last incident made and the places named.
class StoryReader {
public:
    StoryReader(const ArticleInput& input, const Extraction& ex, const Heading& heading)
        : m_input(input), m_ex(ex), m_dateline_end(heading.dateline_end),
          m_published_year(std::stol(ex.published.substr(0, 4))), m_dates(ex.published) {
        if (heading.dateline_place) {
            m_seen.push_back(heading.dateline_place);
        }
        m_found.incidents.reserve(ex.sentences.size());
    }

    // Reads sentence number s of the article.
    void read(std::size_t s);

    StoryIncidents take() && { return std::move(m_found); }

private:
    bool add_incidents(const SentenceFacts& f, const std::map<int, Trigger>& events);
    Incident make_incident(const SentenceFacts& f, const ClauseEvent& ev, const Toponym& t) const;
    void add_to_last_incident(const SentenceFacts& f);

    Evidence evidence_of(const Sentence& sent) const {
        return {0, sent.begin, sent.end, m_input.text.substr(sent.begin, sent.end - sent.begin)};
    }

    const ArticleInput& m_input;
    const Extraction& m_ex;
    std::size_t m_dateline_end;
    long m_published_year;
    DateTracker m_dates;
    std::vector<const Toponym*> m_seen; // places named so far (the dateline's first)
    StoryIncidents m_found;
    std::optional<std::size_t> m_last; // the incident of the last sentence that made any
    std::size_t m_last_sentence = 0;
};

void StoryReader::read(std::size_t s) {
    SentenceFacts f;
    f.index = s;
    f.sent = &m_ex.sentences[s];
    const std::string& text = m_input.text;
    f.sw.words = words_of(text, f.sent->begin, f.sent->end);
    if (f.sw.words.empty()) {
        return;
    }
    f.sw.clause = clauses_of(f.sw.words);
    f.sites = event_sites(m_ex.toponyms, *f.sent, m_dateline_end, f.sw);
    f.date = m_dates.date_of(text, *f.sent, s, f.sw.words, m_dateline_end);
    const auto triggers =
        find_triggers(f.sw, TriggerContext{m_dateline_end, f.date.named, m_published_year});
    f.casualties = casualties_in(f.sw.words);
    if (!triggers.empty() && add_incidents(f, strongest_per_clause(triggers, f.sw.clause))) {
        m_last = m_found.incidents.size() - 1;
        m_last_sentence = s;
    } else {
        add_to_last_incident(f);
    }
    for (const auto* t : f.sites) {
        if (t->place->kind == PlaceKind::place) {
            m_seen.push_back(t);
        }
    }
}

// An incident per place of each event; false when no event has a place.
bool StoryReader::add_incidents(const SentenceFacts& f, const std::map<int, Trigger>& events) {
    bool created = false;
    std::unordered_set<const Toponym*> used;
    for (const auto& [c, trig] : events) {
        ClauseEvent ev{trig,
                       {f.date.date, f.date.precision},
                       choose_sites(SiteQuery{f.sw, f.sites, events, used, m_seen}, c)};
        if (ev.places.places.empty()) {
            continue;
        }
        if (auto d = clause_date(m_input.text, f.sw, c, f.date.from, m_ex.published)) {
            ev.date = *d;
        }
        for (const auto* t : ev.places.places) {
            used.insert(t);
            m_found.incidents.push_back(make_incident(f, ev, *t));
            m_found.dated.push_back(f.date.known);
            created = true;
        }
    }
    return created;
}

Incident StoryReader::make_incident(const SentenceFacts& f, const ClauseEvent& ev,
                                    const Toponym& t) const {
    const Sentence& sent = *f.sent;
    Incident inc;
    const auto& p = *t.place;
    inc.event_date = ev.date.first;
    inc.time_precision = ev.date.second;
    inc.event_type = ev.trigger.type;
    inc.sub_event_type = ev.trigger.sub_type;
    inc.country = p.country;
    inc.admin1 = p.admin1;
    inc.admin2 = p.admin2;
    // A name found only as its region's ("Zaliznychne, Zaporizhzhia Oblast") keeps both.
    inc.location = t.unplaced ? t.text + ", " + p.name : p.name;
    if (p.is_geonames()) {
        inc.geonameid = p.id;
    }
    inc.point = p.point;
    // ACLED's convention: 1 the place, 2 near it or in its district, 3 a region or country.
    inc.geo_precision =
        p.kind == PlaceKind::place ? (t.near ? 2 : 1) : (p.kind == PlaceKind::admin2 ? 2 : 3);
    inc.source = m_ex.source;
    inc.source_url = m_input.url;
    inc.evidence.push_back(evidence_of(sent));
    double conf = 0.35 + 0.3 * ev.trigger.strength + std::min(0.15, t.margin / 20.0);
    if (inc.geo_precision == 1) {
        conf += 0.1;
    }
    if (ev.places.anaphora) {
        conf -= 0.15;
    }
    inc.confidence = std::clamp(conf, 0.05, 0.99);
    assign_actors(inc, f.sw.words);
    // Figures of a sentence with several places are the event's only when it gives any.
    if (ev.places.places.size() == 1 || f.casualties.any) {
        inc.fatalities = f.casualties.fatalities;
        inc.injured = f.casualties.injured;
    }
    inc.notes = "On " + ev.date.first + ", " +
                m_input.text.substr(sent.begin, std::min<std::size_t>(sent.end - sent.begin, 400));
    return inc;
}

// Casualty figures that make no incident of their own ("three people were killed in Tuesday's
// attack"), in a sentence that names no site up to two sentences after the incident just
// reported, belong to it.
void StoryReader::add_to_last_incident(const SentenceFacts& f) {
    if (!f.casualties.any || !m_last || f.index > m_last_sentence + 2 || !f.sites.empty()) {
        return;
    }
    Incident& last = m_found.incidents[*m_last];
    last.fatalities = std::max(last.fatalities, f.casualties.fatalities);
    last.injured = std::max(last.injured, f.casualties.injured);
    last.evidence.push_back(evidence_of(*f.sent));
    last.confidence = std::min(0.99, last.confidence + 0.05);
}

} // namespace

StoryIncidents read_story(const ArticleInput& input, const Extraction& ex, const Heading& heading) {
    StoryReader reader(input, ex, heading);
    for (std::size_t s = heading.body_from; s < ex.sentences.size(); ++s) {
        reader.read(s);
    }
    return std::move(reader).take();
}

} // namespace incidentmap::incidents::detail
