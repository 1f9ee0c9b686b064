#include "incidentmap/query/parameters.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/query/cql2.hpp"

#include <algorithm>

namespace incidentmap::incidents {

namespace {

using Sort = IncidentQuery::Sort;

void apply_bbox(const std::string& v, const ParameterValues&, const ParameterContext&,
                IncidentQuery& q) {
    q.bbox = geo::parse_bbox(v);
}

void apply_near(const std::string& v, const ParameterValues& all, const ParameterContext&,
                IncidentQuery& q) {
    q.near = geo::parse_lonlat(v);
    auto r = parameter(all, "radius_km");
    const auto sort = parameter(all, "sort");
    if (!r && (!sort || *sort != "distance")) {
        throw InvalidInput("near needs radius_km, or sort=distance for the nearest incidents");
    }
    if (r) {
        auto d = geo::parse_double(*r);
        if (!d) {
            throw InvalidInput("radius_km must be a finite number");
        }
        q.radius_km = *d;
    }
}

// radius_km is read by near; alone it is a mistake.
void apply_radius(const std::string&, const ParameterValues& all, const ParameterContext&,
                  IncidentQuery&) {
    if (!parameter(all, "near")) {
        throw InvalidInput("radius_km needs near=lon,lat");
    }
}

void apply_region(std::string_view kind, std::string_view spec, const ParameterContext& ctx,
                  IncidentQuery& q) {
    auto region = ctx.region ? ctx.region(kind, spec) : std::nullopt;
    if (!region) {
        throw InvalidInput(
            kind == "country"
                ? "within=country: takes an ISO 3166 alpha-2 code or a country name the "
                  "gazetteer knows; '" +
                      std::string(spec.substr(0, 60)) + "' is neither"
                : "within=admin1: takes a code like UA.16 or a region name the gazetteer "
                  "knows; '" +
                      std::string(spec.substr(0, 60)) + "' is neither");
    }
    q.country = region->first;
    if (kind == "admin1") {
        q.admin1 = region->second;
    }
}

// within=country:<code or name>, within=admin1:<code or name>, or a GeoJSON (Multi)Polygon.
void apply_within(const std::string& v, const ParameterValues&, const ParameterContext& ctx,
                  IncidentQuery& q) {
    if (v.rfind("country:", 0) == 0) {
        apply_region("country", std::string_view(v).substr(8), ctx, q);
    } else if (v.rfind("admin1:", 0) == 0) {
        apply_region("admin1", std::string_view(v).substr(7), ctx, q);
    } else {
        auto g = geo::parse_geojson_geometry(v, 100000);
        if (std::holds_alternative<geo::LonLat>(g)) {
            throw InvalidInput("within must be a Polygon or MultiPolygon");
        }
        q.within = std::move(g);
    }
}

// The date of one end of a datetime interval; nullopt for an open end ("..", or empty).
std::optional<std::string> date_of(const std::string& s) {
    if (s == ".." || s.empty()) {
        return std::nullopt;
    }
    std::string d = s.substr(0, 10);
    if (!is_iso_date(d) || (s.size() > 10 && s[10] != 'T')) {
        throw InvalidInput("datetime must be an RFC 3339 date or date-time, or an "
                           "interval start/end with '..' for open ends");
    }
    return d;
}

// datetime: an instant, or an interval start/end; incidents are dated by day.
void apply_datetime(const std::string& v, const ParameterValues&, const ParameterContext&,
                    IncidentQuery& q) {
    auto slash = v.find('/');
    if (slash == std::string::npos) {
        q.since = date_of(v);
        q.until = q.since;
        if (!q.since) {
            throw InvalidInput("datetime '..' alone is not an instant");
        }
    } else {
        q.since = date_of(v.substr(0, slash));
        q.until = date_of(v.substr(slash + 1));
    }
}

void apply_since(const std::string& v, const ParameterValues&, const ParameterContext&,
                 IncidentQuery& q) {
    q.since = v;
}
void apply_until(const std::string& v, const ParameterValues&, const ParameterContext&,
                 IncidentQuery& q) {
    q.until = v;
}
void apply_type(const std::string& v, const ParameterValues&, const ParameterContext&,
                IncidentQuery& q) {
    q.types = split_list(v);
}
void apply_sub_type(const std::string& v, const ParameterValues&, const ParameterContext&,
                    IncidentQuery& q) {
    q.sub_types = split_list(v);
}
void apply_min_fatalities(const std::string& v, const ParameterValues&, const ParameterContext&,
                          IncidentQuery& q) {
    q.min_fatalities = static_cast<int>(parse_count(v, "min_fatalities", 1000000));
}
void apply_text(const std::string& v, const ParameterValues&, const ParameterContext&,
                IncidentQuery& q) {
    q.text = v;
}

void apply_sort(const std::string& v, const ParameterValues&, const ParameterContext&,
                IncidentQuery& q) {
    if (v == "-event_date" || v == "event_date_desc") {
        q.sort = Sort::event_date_desc;
    } else if (v == "event_date") {
        q.sort = Sort::event_date_asc;
    } else if (v == "id") {
        q.sort = Sort::id_asc;
    } else if (v == "distance") {
        q.sort = Sort::distance;
    } else {
        throw InvalidInput("sort must be event_date, -event_date, id or distance");
    }
}

void apply_cursor(const std::string& v, const ParameterValues&, const ParameterContext&,
                  IncidentQuery& q) {
    q.cursor = v;
}

void apply_limit(const std::string& v, const ParameterValues&, const ParameterContext& ctx,
                 IncidentQuery& q) {
    if (ctx.clamp_limit) {
        q.limit = std::clamp<std::size_t>(parse_count(v, "limit", 1000000), 1, ctx.max_limit);
        return;
    }
    q.limit = parse_count(v, "limit", ctx.max_limit);
    if (q.limit == 0) {
        throw InvalidInput("limit must be at least 1");
    }
}

void apply_offset(const std::string& v, const ParameterValues&, const ParameterContext&,
                  IncidentQuery& q) {
    q.offset = parse_count(v, "offset", 100000000);
}

// A CQL2 text filter, with its companions filter-lang and filter-crs checked.
void apply_filter(const std::string& v, const ParameterValues&, const ParameterContext&,
                  IncidentQuery& q) {
    cql2::Filter::parse(v).apply_to(q);
}

void check_filter_companions(const ParameterValues& all) {
    auto lang = parameter(all, "filter-lang");
    auto crs = parameter(all, "filter-crs");
    if (lang && *lang != "cql2-text" && *lang != "cql-text") {
        throw InvalidInput("filter-lang must be cql2-text (the only filter language served)");
    }
    if (crs && *crs != "http://www.opengis.net/def/crs/OGC/1.3/CRS84") {
        throw InvalidInput("filter-crs must be http://www.opengis.net/def/crs/OGC/1.3/CRS84");
    }
    if ((lang || crs) && !parameter(all, "filter")) {
        throw InvalidInput("filter-lang and filter-crs need a filter");
    }
}

constexpr unsigned all_uses = rest_use | ogc_use | cli_use;
constexpr unsigned rest_cli = rest_use | cli_use;

} // namespace

const std::vector<QueryParameter>& query_parameters() {
    static const std::vector<QueryParameter> table = {
        {"bbox", "string", "",
         "minLon,minLat,maxLon,maxLat in WGS 84; may cross the antimeridian (minLon > maxLon)",
         all_uses, apply_bbox},
        {"near", "string", "",
         "lon,lat: with radius_km, incidents within that geodesic distance; with sort=distance "
         "and no radius, the limit nearest",
         rest_cli, apply_near},
        {"radius_km", "number", "", "the radius of near, in kilometres (geodesic, WGS 84)",
         rest_cli, apply_radius},
        {"within", "string", "",
         "a GeoJSON Polygon or MultiPolygon, or country:CODE|NAME, or admin1:CODE|NAME (UA.16)",
         rest_cli, apply_within},
        {"datetime", "string", "",
         "an RFC 3339 date or date-time, or an interval start/end with '..' for open ends", ogc_use,
         apply_datetime},
        {"since", "string", "date", "incidents on or after this date (YYYY-MM-DD)", rest_cli,
         apply_since},
        {"until", "string", "date", "incidents on or before this date (YYYY-MM-DD)", rest_cli,
         apply_until},
        {"type", "string", "", "ACLED event types, comma-separated (any of them)", rest_cli,
         apply_type},
        {"sub_type", "string", "", "ACLED sub-event types, comma-separated (any of them)", rest_cli,
         apply_sub_type},
        {"min_fatalities", "integer", "", "incidents with at least this many fatalities", rest_cli,
         apply_min_fatalities},
        {"q", "string", "", "words that must all occur in the notes, evidence or place", rest_cli,
         apply_text},
        {"sort", "string", "", "-event_date (default), event_date, id or distance (from near)",
         rest_use, apply_sort},
        {"cursor", "string", "", "the next_cursor of the previous page (keyset paging)", rest_use,
         apply_cursor},
        {"limit", "integer", "", "the page size", rest_use | ogc_use, apply_limit},
        {"offset", "integer", "", "matches to skip before the page", rest_use | ogc_use,
         apply_offset},
        {"filter", "string", "cql2-text", "a CQL2 text expression over the queryables", all_uses,
         apply_filter},
        {"filter-lang", "string", "", "cql2-text (the only filter language served)",
         rest_use | ogc_use, nullptr},
        {"filter-crs", "string", "", "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
         rest_use | ogc_use, nullptr},
    };
    return table;
}

std::vector<std::string> parameter_names(ParameterUse use) {
    std::vector<std::string> out;
    for (const auto& p : query_parameters()) {
        if (p.uses & use) {
            out.emplace_back(p.name);
        }
    }
    return out;
}

IncidentQuery query_from(const ParameterValues& values, ParameterUse use,
                         const ParameterContext& context, IncidentQuery base,
                         const std::string& equalities) {
    for (const auto& p : query_parameters()) {
        if (!(p.uses & use) || p.apply == nullptr) {
            continue;
        }
        if (p.name == "filter") {
            if (!equalities.empty()) {
                cql2::Filter::parse(equalities).apply_to(base);
            }
            check_filter_companions(values);
        }
        if (auto v = parameter(values, p.name)) {
            p.apply(*v, values, context, base);
        }
    }
    validate(base, context.max_limit);
    return base;
}

std::optional<std::string> parameter(const ParameterValues& values, std::string_view name) {
    auto it = values.find(std::string(name));
    if (it == values.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::size_t parse_count(const std::string& v, std::string_view name, std::size_t max) {
    auto d = geo::parse_double(v);
    if (!d || *d < 0 || *d != static_cast<double>(static_cast<long long>(*d))) {
        throw InvalidInput(std::string(name) + " must be a whole number");
    }
    if (*d > static_cast<double>(max)) {
        throw InvalidInput(std::string(name) + " must be at most " + std::to_string(max));
    }
    return static_cast<std::size_t>(*d);
}

std::vector<std::string> split_list(const std::string& v) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : v) {
        if (c == ',') {
            if (!cur.empty()) {
                out.push_back(cur);
            }
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    if (!cur.empty()) {
        out.push_back(cur);
    }
    return out;
}

} // namespace incidentmap::incidents
