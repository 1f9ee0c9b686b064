#include "incidentmap/query/parameters.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/incidents/incident.hpp"
#include "incidentmap/query/cql2.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>

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

// Whether `t` is two digits from 0 to `max`.
bool two_digits(std::string_view t, int max) {
    return t.size() == 2 && std::isdigit(static_cast<unsigned char>(t[0])) &&
           std::isdigit(static_cast<unsigned char>(t[1])) &&
           (t[0] - '0') * 10 + (t[1] - '0') <= max;
}

// Whether `t` is the time of an RFC 3339 date-time: HH:MM:SS, a fraction, then Z or +HH:MM.
// Incidents are dated by day, so the time is checked, not used.
bool is_rfc3339_time(std::string_view t) {
    if (t.size() < 9 || !two_digits(t.substr(0, 2), 23) || t[2] != ':' ||
        !two_digits(t.substr(3, 2), 59) || t[5] != ':' || !two_digits(t.substr(6, 2), 60)) {
        return false;
    }
    t.remove_prefix(8);
    if (t.front() == '.') {
        const auto digits = t.find_first_not_of("0123456789", 1);
        if (digits == 1 || digits == std::string_view::npos) {
            return false;
        }
        t.remove_prefix(digits);
    }
    if (t == "Z" || t == "z") {
        return true;
    }
    // (A '+' a client left unencoded arrives as a space.)
    return t.size() == 6 && (t[0] == '+' || t[0] == '-' || t[0] == ' ') &&
           two_digits(t.substr(1, 2), 23) && t[3] == ':' && two_digits(t.substr(4, 2), 59);
}

// The date of one end of a datetime interval; nullopt for an open end ("..", or empty).
std::optional<std::string> date_of(const std::string& s) {
    if (s == ".." || s.empty()) {
        return std::nullopt;
    }
    std::string d = s.substr(0, 10);
    const bool time_ok = s.size() == 10 || ((s[10] == 'T' || s[10] == 't') &&
                                            is_rfc3339_time(std::string_view(s).substr(11)));
    if (!is_iso_date(d) || !time_ok) {
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

// Each type of event, and each sub-type, as the list parameters take them.
std::vector<std::string> event_type_names() {
    std::vector<std::string> out;
    for (const auto& [type, subs] : event_types()) {
        out.push_back(type);
    }
    return out;
}

std::vector<std::string> sub_event_type_names() {
    std::vector<std::string> out;
    for (const auto& [type, subs] : event_types()) {
        out.insert(out.end(), subs.begin(), subs.end());
    }
    return out;
}

} // namespace

const std::vector<QueryParameter>& query_parameters() {
    // bbox is an array in JSON Schema's terms: the OpenAPI documents write it as OGC API -
    // Features Part 1 defines it (a form-style list of 4 or 6 numbers; 6 is refused here).
    static const std::vector<QueryParameter> table = {
        {.name = "bbox",
         .type = "array",
         .description =
             "minLon,minLat,maxLon,maxLat in WGS 84; may cross the antimeridian (minLon > maxLon); "
             "six numbers give heights after each latitude, which select nothing out",
         .uses = all_uses,
         .schema = R"("items":{"type":"number"},"minItems":4,"maxItems":6)",
         .apply = apply_bbox},
        {.name = "near",
         .type = "string",
         .description = "lon,lat: with radius_km, incidents within that geodesic distance; with "
                        "sort=distance and no radius, the limit nearest",
         .uses = rest_cli,
         .apply = apply_near},
        {.name = "radius_km",
         .type = "number",
         .description = "the radius of near, in kilometres (geodesic, WGS 84)",
         .uses = rest_cli,
         .schema = R"("exclusiveMinimum":true,"minimum":0,"maximum":20038)",
         .apply = apply_radius},
        {.name = "within",
         .type = "string",
         .description = "a GeoJSON Polygon or MultiPolygon, or country:CODE|NAME, or "
                        "admin1:CODE|NAME (UA.16)",
         .uses = rest_cli,
         .apply = apply_within},
        {.name = "datetime",
         .type = "string",
         .description =
             "an RFC 3339 date or date-time, or an interval start/end with '..' for open ends",
         .uses = ogc_use,
         .apply = apply_datetime},
        {.name = "since",
         .type = "string",
         .format = "date",
         .description = "incidents on or after this date (YYYY-MM-DD)",
         .uses = rest_cli,
         .apply = apply_since},
        {.name = "until",
         .type = "string",
         .format = "date",
         .description = "incidents on or before this date (YYYY-MM-DD)",
         .uses = rest_cli,
         .apply = apply_until},
        {.name = "type",
         .type = "string",
         .description = "ACLED event types, comma-separated (any of them)",
         .uses = rest_cli,
         .values = event_type_names,
         .apply = apply_type},
        {.name = "sub_type",
         .type = "string",
         .description = "ACLED sub-event types, comma-separated (any of them)",
         .uses = rest_cli,
         .values = sub_event_type_names,
         .apply = apply_sub_type},
        {.name = "min_fatalities",
         .type = "integer",
         .description = "incidents with at least this many fatalities",
         .uses = rest_cli,
         .schema = R"("minimum":0,"maximum":1000000)",
         .apply = apply_min_fatalities},
        {.name = "q",
         .type = "string",
         .description = "words that must all occur in the place, notes, evidence or actors",
         .uses = rest_cli,
         .schema = R"("maxLength":500)",
         .apply = apply_text},
        {.name = "sort",
         .type = "string",
         .description = "-event_date (default), event_date, id, or distance from near (nearest "
                        "first; without radius_km, the limit nearest)",
         .uses = rest_use,
         .paging = true,
         .schema = R"("enum":["-event_date","event_date","id","distance"],"default":"-event_date")",
         .apply = apply_sort},
        {.name = "cursor",
         .type = "string",
         .description = "the next_cursor of the previous page (keyset paging, instead of offset)",
         .uses = rest_use,
         .paging = true,
         .schema = R"("maxLength":64)",
         .apply = apply_cursor},
        {.name = "limit",
         .type = "integer",
         .description = "the page size",
         .uses = rest_use | ogc_use,
         .paging = true,
         .schema = R"("minimum":1,"maximum":10000)",
         .apply = apply_limit},
        {.name = "offset",
         .type = "integer",
         .description = "matches to skip before the page",
         .uses = rest_use | ogc_use,
         .paging = true,
         .schema = R"("minimum":0,"maximum":100000000,"default":0)",
         .apply = apply_offset},
        {.name = "filter",
         .type = "string",
         .format = "cql2-text",
         .description = "a CQL2 text expression over the queryables, e.g. fatalities > 0 AND "
                        "S_INTERSECTS(geometry, BBOX(30, 46, 33, 48))",
         .uses = all_uses,
         .apply = apply_filter},
        // cql-text is the name drafts of Part 3 used (GDAL 3.6 sends it).
        {.name = "filter-lang",
         .type = "string",
         .description = "cql2-text (the default, and the only filter language served)",
         .uses = rest_use | ogc_use,
         .schema = R"("enum":["cql2-text","cql-text"],"default":"cql2-text")"},
        {.name = "filter-crs",
         .type = "string",
         .format = "uri",
         .description = "the CRS of the filter's coordinates: CRS84 only",
         .uses = rest_use | ogc_use,
         .schema = R"("enum":["http://www.opengis.net/def/crs/OGC/1.3/CRS84"])"},
    };
    return table;
}

std::vector<std::string> parameter_names(ParameterUse use, bool paging) {
    std::vector<std::string> out;
    for (const auto& p : query_parameters()) {
        if ((p.uses & use) && (paging || !p.paging)) {
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
    // floor, not a round trip through long long: that cast is undefined above 2^63 (limit=1e300).
    if (!d || *d < 0 || *d != std::floor(*d)) {
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
