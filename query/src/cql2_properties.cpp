// The queryable properties of an incident: one table gives their names, types and descriptions
// to the parser, to the error messages and to the queryables document.

#include "cql2_node.hpp"
#include "incidentmap/query/cql2.hpp"

#include <array>
#include <cmath>

namespace incidentmap::incidents::cql2 {

namespace detail {

namespace {

constexpr std::array<PropInfo, 24> kProps{{
    {"id", Prop::id, Type::number, "incident id"},
    {"event_date", Prop::event_date, Type::date, "day of the event"},
    {"event_time", Prop::event_time, Type::string, "HH:MM when known, else null"},
    {"time_precision", Prop::time_precision, Type::number, "1 day, 2 week, 3 month"},
    {"event_type", Prop::event_type, Type::string, "ACLED event type"},
    {"sub_event_type", Prop::sub_event_type, Type::string, "ACLED sub-event type"},
    {"actor1", Prop::actor1, Type::string, "first actor"},
    {"actor2", Prop::actor2, Type::string, "second actor"},
    {"country", Prop::country, Type::string, "ISO 3166-1 alpha-2 code"},
    {"admin1", Prop::admin1, Type::string, "first-level region code"},
    {"admin2", Prop::admin2, Type::string, "second-level region code"},
    {"location", Prop::location, Type::string, "place name"},
    {"geonameid", Prop::geonameid, Type::number, "GeoNames id of the place, or null"},
    {"geo_precision", Prop::geo_precision, Type::number,
     "1 the place, 2 near it or part of a region, 3 region or country"},
    {"fatalities", Prop::fatalities, Type::number, "people killed"},
    {"injured", Prop::injured, Type::number, "people injured"},
    {"source", Prop::source, Type::string, "source of the report"},
    {"source_url", Prop::source_url, Type::string, "link to the report"},
    {"source_id", Prop::source_id, Type::string, "external id (ACLED, UCDP)"},
    {"notes", Prop::notes, Type::string, "summary"},
    {"confidence", Prop::confidence, Type::number, "0 to 1"},
    {"created", Prop::created, Type::timestamp, "when stored (UTC)"},
    {"updated", Prop::updated, Type::timestamp, "when last changed (UTC)"},
    {"geometry", Prop::geometry, Type::null, "the incident's point"},
}};

// A stored timestamp, normalised; null when it is not one.
Value timestamp_value(const std::string& s) {
    Value v;
    if (auto t = normalize_timestamp(s)) {
        v.type = Type::timestamp;
        v.str = *t;
    }
    return v;
}

} // namespace

std::span<const PropInfo> properties() noexcept {
    return kProps;
}

const PropInfo* find_prop(std::string_view name) noexcept {
    for (const auto& p : kProps) {
        if (name == p.name) {
            return &p;
        }
    }
    return nullptr;
}

const char* type_name(Type t) noexcept {
    switch (t) {
    case Type::null:
        return "null";
    case Type::number:
        return "a number";
    case Type::string:
        return "a string";
    case Type::date:
        return "a date";
    case Type::timestamp:
        return "a timestamp";
    case Type::boolean:
        return "a boolean";
    }
    return "?";
}

Value get(Prop p, const Incident& i) {
    Value v;
    auto num = [&](double d) {
        v.type = Type::number;
        v.num = d;
    };
    auto str = [&](const std::string& s) {
        v.type = Type::string;
        v.str = s;
    };
    switch (p) {
    case Prop::id:
        num(static_cast<double>(i.id));
        break;
    case Prop::event_date:
        v.type = Type::date;
        v.str = i.event_date;
        break;
    case Prop::event_time:
        if (i.event_time) {
            str(*i.event_time);
        }
        break;
    case Prop::time_precision:
        num(i.time_precision);
        break;
    case Prop::event_type:
        str(i.event_type);
        break;
    case Prop::sub_event_type:
        str(i.sub_event_type);
        break;
    case Prop::actor1:
        str(i.actor1);
        break;
    case Prop::actor2:
        str(i.actor2);
        break;
    case Prop::country:
        str(i.country);
        break;
    case Prop::admin1:
        str(i.admin1);
        break;
    case Prop::admin2:
        str(i.admin2);
        break;
    case Prop::location:
        str(i.location);
        break;
    case Prop::geonameid:
        if (i.geonameid) {
            num(static_cast<double>(*i.geonameid));
        }
        break;
    case Prop::geo_precision:
        num(i.geo_precision);
        break;
    case Prop::fatalities:
        num(i.fatalities);
        break;
    case Prop::injured:
        num(i.injured);
        break;
    case Prop::source:
        str(i.source);
        break;
    case Prop::source_url:
        str(i.source_url);
        break;
    case Prop::source_id:
        str(i.source_id);
        break;
    case Prop::notes:
        str(i.notes);
        break;
    case Prop::confidence:
        // Three decimals, as the GeoJSON output writes it, so a filter matches what is shown.
        num(std::round(i.confidence * 1000.0) / 1000.0);
        break;
    case Prop::created:
        v = timestamp_value(i.created);
        break;
    case Prop::updated:
        v = timestamp_value(i.updated);
        break;
    case Prop::geometry:
        break;
    }
    return v;
}

} // namespace detail

const std::vector<Queryable>& queryables() {
    using namespace detail;
    static const std::vector<Queryable> all = [] {
        std::vector<Queryable> out;
        for (const auto& p : kProps) {
            Queryable q{p.name, "", "", p.description};
            switch (p.type) {
            case Type::number:
                q.type = (p.prop == Prop::confidence) ? "number" : "integer";
                break;
            case Type::date:
                q.type = "string";
                q.format = "date";
                break;
            case Type::timestamp:
                q.type = "string";
                q.format = "date-time";
                break;
            case Type::null:
                q.format = "geometry-point";
                break;
            default:
                q.type = "string";
                break;
            }
            out.push_back(std::move(q));
        }
        return out;
    }();
    return all;
}

} // namespace incidentmap::incidents::cql2
