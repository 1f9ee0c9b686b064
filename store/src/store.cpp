#include "incidentmap/store/store.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/geo/geodesic.hpp"
#include "incidentmap/incidents/feature.hpp"

#include "sql/clusters.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>

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

double ClusterGrid::cell_size() const noexcept {
    return 360.0 / static_cast<double>(std::int64_t{1} << level);
}

std::int64_t ClusterGrid::columns() const noexcept {
    return std::int64_t{1} << level;
}

std::int64_t ClusterGrid::rows() const noexcept {
    return level == 0 ? 1 : std::int64_t{1} << (level - 1);
}

std::pair<std::int64_t, std::int64_t> ClusterGrid::cell_of(geo::LonLat p) const noexcept {
    // The same operations as the SQL of detail::clusters_sql, so that both agree on every
    // point: (lon + 180) / size in double precision, truncated (it is never negative).
    const double size = cell_size();
    const auto x = static_cast<std::int64_t>((p.lon + 180.0) / size);
    const auto y = static_cast<std::int64_t>((p.lat + 90.0) / size);
    return {std::min(x, columns() - 1), std::min(y, rows() - 1)};
}

geo::BBox ClusterGrid::bounds(std::int64_t x, std::int64_t y) const noexcept {
    const double size = cell_size();
    const double west = -180.0 + static_cast<double>(x) * size;
    const double south = -90.0 + static_cast<double>(y) * size;
    return {west, south, std::min(west + size, 180.0), std::min(south + size, 90.0)};
}

namespace detail {

void ClusterSums::add(std::int64_t x, std::int64_t y, const std::string& type, std::size_t count,
                      std::int64_t fatalities, double lon_sum, double lat_sum) {
    auto& c = m_cells[{y, x}];
    c.cluster.x = x;
    c.cluster.y = y;
    c.cluster.count += count;
    c.cluster.fatalities += fatalities;
    c.lon_sum += lon_sum;
    c.lat_sum += lat_sum;
    c.by_type[type] += count;
}

std::vector<Cluster> ClusterSums::clusters() {
    std::vector<Cluster> out;
    out.reserve(m_cells.size());
    for (auto& [key, c] : m_cells) {
        const auto n = static_cast<double>(c.cluster.count);
        c.cluster.center = {c.lon_sum / n, c.lat_sum / n};
        c.cluster.by_type.assign(c.by_type.begin(), c.by_type.end());
        out.push_back(std::move(c.cluster));
    }
    return out;
}

Stats tally(const std::function<void(const std::function<bool(Incident&&)>&)>& scan) {
    std::map<std::string, std::size_t> by_type, by_day, by_admin1;
    Stats st;
    scan([&](Incident&& i) {
        ++by_type[i.event_type];
        ++by_day[i.event_date];
        ++by_admin1[i.admin1.empty() ? i.country : i.country + "." + i.admin1];
        ++st.total;
        return true;
    });
    st.by_type.assign(by_type.begin(), by_type.end());
    st.by_day.assign(by_day.begin(), by_day.end());
    st.by_admin1.assign(by_admin1.begin(), by_admin1.end());
    return st;
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

QueryResult page(const IncidentQuery& q, const ScanFn& scan, const OrderedScanFn& ordered,
                 const CountFn& count) {
    if (q.sort == IncidentQuery::Sort::distance) {
        return query_by_distance(q, scan);
    }
    QueryResult r;
    std::optional<Cursor> cursor;
    if (q.cursor) {
        cursor = parse_cursor(*q.cursor, q.sort);
    }
    // SQL's count(*) reads an index, where counting here would decode every matching row.
    std::size_t counted = 0;
    bool read_to_count = q.count_matched;
    if (q.count_matched && count) {
        if (const auto n = count(q)) {
            counted = *n;
            read_to_count = false;
        }
    }
    const bool bounded_by_index = q.bbox || q.within || (q.near && q.radius_km) || q.text;
    if ((read_to_count || bounded_by_index) && q.sort != IncidentQuery::Sort::id_asc) {
        // Counting here reads every match anyway, and a spatial or text filter bounds them through
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
            r.number_matched = read_to_count ? matched : counted;
        }
        if (more) {
            r.next_cursor = make_cursor(q, r.incidents.back());
        }
        return r;
    }
    std::size_t matched = 0;
    std::size_t skipped = 0;
    bool more = false;
    // Counting here reads every match anyway; without it the cursor becomes the backend's keyset
    // condition and no row before it is read.
    ordered(q, read_to_count ? nullptr : (cursor ? &*cursor : nullptr), [&](Incident&& i) {
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
        return read_to_count;
    });
    if (q.count_matched) {
        r.number_matched = read_to_count ? matched : counted;
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

} // namespace incidentmap::incidents
