#include "incidentmap/query/query.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/geo/geodesic.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <deque>

namespace incidentmap::incidents {

void validate(const IncidentQuery& q, std::size_t max_limit) {
    if (q.bbox && !q.bbox->valid()) {
        throw InvalidInput("bbox is out of range");
    }
    if (q.radius_km && !q.near) {
        throw InvalidInput("radius_km needs near=lon,lat");
    }
    if (q.near && !q.radius_km && q.sort != IncidentQuery::Sort::distance) {
        throw InvalidInput("near needs radius_km, or sort=distance for the nearest incidents");
    }
    if (q.sort == IncidentQuery::Sort::distance && !q.near) {
        throw InvalidInput("sort=distance needs near=lon,lat");
    }
    if (q.cursor) {
        if (q.offset > 0) {
            throw InvalidInput("use either cursor or offset, not both");
        }
        parse_cursor(*q.cursor, q.sort);
    }
    if (q.near && !q.near->valid()) {
        throw InvalidInput("near is out of range");
    }
    if (q.radius_km && (!(*q.radius_km > 0.0) || *q.radius_km > 20038.0)) {
        throw InvalidInput("radius_km must be greater than 0 and at most 20038 (half the equator)");
    }
    if (q.since && !is_iso_date(*q.since)) {
        throw InvalidInput("since must be a date YYYY-MM-DD");
    }
    if (q.until && !is_iso_date(*q.until)) {
        throw InvalidInput("until must be a date YYYY-MM-DD");
    }
    if (q.since && q.until && *q.since > *q.until) {
        throw InvalidInput("since is after until");
    }
    for (const auto& t : q.types) {
        if (!is_event_type(t)) {
            throw InvalidInput("unknown event type '" + t.substr(0, 60) + "'");
        }
    }
    for (const auto& t : q.sub_types) {
        if (!is_sub_event_type(t)) {
            throw InvalidInput("unknown sub-event type '" + t.substr(0, 60) + "'");
        }
    }
    if (q.min_fatalities && *q.min_fatalities < 0) {
        throw InvalidInput("min_fatalities cannot be negative");
    }
    if (q.limit == 0 || q.limit > max_limit) {
        throw InvalidInput("limit must be between 1 and " + std::to_string(max_limit));
    }
    if (q.text && q.text->size() > 500) {
        throw InvalidInput("the text query is too long (at most 500 bytes)");
    }
}

namespace {

char sort_code(IncidentQuery::Sort s) {
    switch (s) {
    case IncidentQuery::Sort::event_date_asc:
        return 'a';
    case IncidentQuery::Sort::id_asc:
        return 'i';
    case IncidentQuery::Sort::distance:
        return 'k';
    default:
        return 'd';
    }
}

} // namespace

// Cursors read "<sort>_<key>_<id>": d/a (event date descending/ascending) with the date,
// i (id) with an empty key, k (distance) with the distance in metres (round-trip precision).
std::string make_cursor(const IncidentQuery& q, const Incident& last) {
    std::string key;
    switch (q.sort) {
    case IncidentQuery::Sort::event_date_asc:
    case IncidentQuery::Sort::event_date_desc:
        key = last.event_date;
        break;
    case IncidentQuery::Sort::distance: {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%.17g", geo::distance_m(*q.near, last.point));
        key = buf;
        break;
    }
    case IncidentQuery::Sort::id_asc:
        break;
    }
    return std::string(1, sort_code(q.sort)) + "_" + key + "_" + std::to_string(last.id);
}

Cursor parse_cursor(const std::string& text, IncidentQuery::Sort expected) {
    auto bad = [&] {
        return InvalidInput("cursor '" + text.substr(0, 60) +
                            "' is not one this server made; pass the next_cursor of the "
                            "previous page unchanged");
    };
    if (text.size() < 4 || text.size() > 64 || text[1] != '_') {
        throw bad();
    }
    auto last = text.rfind('_');
    if (last <= 1) {
        throw bad();
    }
    Cursor c;
    c.sort = expected;
    std::string key = text.substr(2, last - 2);
    std::string id = text.substr(last + 1);
    auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), c.id);
    if (ec != std::errc() || p != id.data() + id.size() || c.id < 0) {
        throw bad();
    }
    if (text[0] != sort_code(expected)) {
        if (std::string("daik").find(text[0]) == std::string::npos) {
            throw bad();
        }
        throw InvalidInput("this cursor belongs to a different sort order; keep the sort "
                           "parameter of the first page");
    }
    switch (expected) {
    case IncidentQuery::Sort::event_date_asc:
    case IncidentQuery::Sort::event_date_desc:
        if (!is_iso_date(key)) {
            throw bad();
        }
        c.event_date = key;
        break;
    case IncidentQuery::Sort::distance: {
        auto d = geo::parse_double(key);
        if (!d || *d < 0) {
            throw bad();
        }
        c.distance_m = *d;
        break;
    }
    case IncidentQuery::Sort::id_asc:
        if (!key.empty()) {
            throw bad();
        }
        break;
    }
    return c;
}

bool after_cursor(const Cursor& c, const Incident& i, double distance_m) {
    switch (c.sort) {
    case IncidentQuery::Sort::event_date_asc:
        return i.event_date > c.event_date || (i.event_date == c.event_date && i.id > c.id);
    case IncidentQuery::Sort::event_date_desc:
        return i.event_date < c.event_date || (i.event_date == c.event_date && i.id < c.id);
    case IncidentQuery::Sort::distance:
        return distance_m > c.distance_m || (distance_m == c.distance_m && i.id > c.id);
    case IncidentQuery::Sort::id_asc:
        return i.id > c.id;
    }
    return true;
}

namespace detail {

std::vector<std::string> query_words(const std::string& text) {
    std::vector<std::string> out;
    std::string word;
    for (char c : text) {
        auto uc = static_cast<unsigned char>(c);
        if (std::isalnum(uc) || uc >= 0x80) {
            word.push_back(c);
        } else if (!word.empty()) {
            out.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) {
        out.push_back(std::move(word));
    }
    return out;
}

} // namespace detail

bool matches(const IncidentQuery& q, const Incident& i) {
    if (q.id_range && (i.id < q.id_range->first || i.id > q.id_range->second)) {
        return false;
    }
    if (q.bbox && !q.bbox->contains(i.point)) {
        return false;
    }
    if (q.near && q.radius_km && geo::distance_m(*q.near, i.point) > *q.radius_km * 1000.0) {
        return false;
    }
    if (q.within && !geo::contains(*q.within, i.point)) {
        return false;
    }
    if (q.since && i.event_date < *q.since) {
        return false;
    }
    if (q.until && i.event_date > *q.until) {
        return false;
    }
    if (!q.types.empty() &&
        std::find(q.types.begin(), q.types.end(), i.event_type) == q.types.end()) {
        return false;
    }
    if (!q.sub_types.empty() &&
        std::find(q.sub_types.begin(), q.sub_types.end(), i.sub_event_type) == q.sub_types.end()) {
        return false;
    }
    if (q.min_fatalities && i.fatalities < *q.min_fatalities) {
        return false;
    }
    if (!q.country.empty() && i.country != q.country) {
        return false;
    }
    if (!q.admin1.empty() && i.admin1 != q.admin1) {
        return false;
    }
    return !q.predicate || q.predicate(i);
}

} // namespace incidentmap::incidents
