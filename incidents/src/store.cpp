#include "incidentmap/incidents/store.hpp"
#include "incidentmap/geo/error.hpp"
#include "incidentmap/geo/geodesic.hpp"
#include "incidentmap/incidents/geojson_writer.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <deque>

namespace incidentmap::incidents {

std::unique_ptr<IncidentStore> open_store(const std::string& location) {
    if (location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0) {
        return open_postgis_store(location);
    }
    return open_spatialite_store(location);
}

std::size_t IncidentStore::append_features(const IncidentQuery& query, std::string& out,
                                           geo::BBox& bbox) {
    std::size_t n = 0;
    for_each(query, [&](Incident& i) {
        if (n++) {
            out.push_back(',');
        }
        append_feature(out, i);
        bbox.extend(i.point);
    });
    return n;
}

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

QueryResult query_by_distance(const IncidentQuery& q, const ScanFn& scan) {
    const geo::LonLat origin = *q.near;
    std::optional<Cursor> cursor;
    if (q.cursor) {
        cursor = parse_cursor(*q.cursor, q.sort);
    }
    const std::size_t need = q.offset + q.limit;
    std::vector<std::pair<double, Incident>> hits;
    std::size_t matched = 0;
    auto collect = [&](const IncidentQuery& sub) {
        hits.clear();
        matched = 0;
        scan(sub, [&](Incident&& i) {
            ++matched;
            double d = geo::distance_m(origin, i.point);
            if (!cursor || after_cursor(*cursor, i, d)) {
                hits.emplace_back(d, std::move(i));
            }
            return true;
        });
    };
    if (q.radius_km) {
        collect(q);
    } else {
        // k-nearest: search a growing circle until it holds enough matches. Every match
        // inside the circle is found, so its nearest `need` are the nearest of all.
        IncidentQuery sub = q;
        double r = 25.0;
        for (;;) {
            sub.radius_km = r;
            collect(sub);
            if (hits.size() >= need || r >= 20038.0) {
                break;
            }
            r = std::min(r * 4.0, 20038.0);
        }
    }
    auto by_distance = [](const auto& a, const auto& b) {
        return a.first < b.first || (a.first == b.first && a.second.id < b.second.id);
    };
    const std::size_t take = std::min(need, hits.size());
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(take), hits.end(),
                      by_distance);
    QueryResult r;
    for (std::size_t k = q.offset; k < take; ++k) {
        r.incidents.push_back(std::move(hits[k].second));
    }
    if (q.count_matched) {
        if (q.radius_km) {
            r.number_matched = matched;
        } else {
            IncidentQuery all = q;
            all.near.reset();
            all.radius_km.reset();
            all.sort = IncidentQuery::Sort::id_asc;
            std::size_t n = 0;
            scan(all, [&](Incident&&) {
                ++n;
                return true;
            });
            r.number_matched = n;
        }
    }
    if (r.incidents.size() == q.limit && (hits.size() > take || !q.radius_km)) {
        r.next_cursor = make_cursor(q, r.incidents.back());
    }
    return r;
}

QueryResult page(const IncidentQuery& q, const ScanFn& scan, const OrderedScanFn& ordered) {
    if (q.sort == IncidentQuery::Sort::distance) {
        return query_by_distance(q, scan);
    }
    QueryResult r;
    std::optional<Cursor> cursor;
    if (q.cursor) {
        cursor = parse_cursor(*q.cursor, q.sort);
    }
    const bool bounded_by_index = q.bbox || q.within || (q.near && q.radius_km) || q.text;
    if ((q.count_matched || bounded_by_index) && q.sort != IncidentQuery::Sort::id_asc) {
        // Counting reads every match anyway, and a spatial or text filter bounds them through
        // its index: read the matches in storage order and keep the first offset + limit + 1
        // in a bounded heap, instead of having the database sort all of them (whole rows)
        // first. (Unfiltered pages without a count walk the date index and stop early.)
        const bool desc = q.sort == IncidentQuery::Sort::event_date_desc;
        auto before = [desc](const Incident& a, const Incident& b) {
            int c = a.event_date.compare(b.event_date);
            if (c != 0) {
                return desc ? c > 0 : c < 0;
            }
            return desc ? a.id > b.id : a.id < b.id;
        };
        const std::size_t keep = q.offset + q.limit + 1;
        // Incidents stay where they were read; the heap orders slots (the top is the last
        // kept), so nothing but the replaced incident moves.
        std::deque<Incident> rows; // grows without moving what it holds
        std::vector<std::uint32_t> heap;
        auto slot_before = [&](std::uint32_t x, std::uint32_t y) {
            return before(rows[x], rows[y]);
        };
        std::size_t matched = 0;
        scan(q, [&](Incident&& i) {
            ++matched;
            if (cursor && !after_cursor(*cursor, i, 0.0)) {
                return true;
            }
            if (heap.size() < keep) {
                rows.push_back(std::move(i));
                heap.push_back(static_cast<std::uint32_t>(rows.size() - 1));
                std::push_heap(heap.begin(), heap.end(), slot_before);
            } else if (before(i, rows[heap.front()])) {
                std::pop_heap(heap.begin(), heap.end(), slot_before);
                rows[heap.back()] = std::move(i);
                std::push_heap(heap.begin(), heap.end(), slot_before);
            }
            return true;
        });
        std::sort(heap.begin(), heap.end(), slot_before);
        const bool more = heap.size() > q.offset + q.limit;
        r.incidents.reserve(std::min(q.limit, heap.size()));
        for (std::size_t k = q.offset; k < heap.size() && r.incidents.size() < q.limit; ++k) {
            r.incidents.push_back(std::move(rows[heap[k]]));
        }
        if (q.count_matched) {
            r.number_matched = matched;
        }
        if (more) {
            r.next_cursor = make_cursor(q, r.incidents.back());
        }
        return r;
    }
    std::size_t matched = 0;
    std::size_t skipped = 0;
    bool more = false;
    // Counting reads every match anyway; without it the cursor becomes the backend's keyset
    // condition and no row before it is read.
    ordered(q, q.count_matched ? nullptr : (cursor ? &*cursor : nullptr), [&](Incident&& i) {
        ++matched;
        if (cursor && !after_cursor(*cursor, i, 0.0)) {
            return true;
        }
        if (skipped < q.offset) {
            ++skipped;
            return true;
        }
        if (r.incidents.size() < q.limit) {
            r.incidents.push_back(std::move(i));
            return true;
        }
        more = true;
        return q.count_matched;
    });
    if (q.count_matched) {
        r.number_matched = matched;
    }
    if (more) {
        r.next_cursor = make_cursor(q, r.incidents.back());
    }
    return r;
}

Incident merged(const Incident& cur, const Incident& dup) {
    Incident m = cur;
    m.fatalities = std::max(cur.fatalities, dup.fatalities);
    m.injured = std::max(cur.injured, dup.injured);
    m.confidence = std::min(1.0, std::max(cur.confidence, dup.confidence) + 0.05);
    if (m.actor1.empty()) {
        m.actor1 = dup.actor1;
    }
    m.geo_precision = std::min(cur.geo_precision, dup.geo_precision);
    for (const auto& e : dup.evidence) {
        bool have = std::any_of(cur.evidence.begin(), cur.evidence.end(), [&](const Evidence& x) {
            return x.article_id == e.article_id && x.begin == e.begin && x.end == e.end;
        });
        if (!have) {
            m.evidence.push_back(e);
        }
    }
    return m;
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
