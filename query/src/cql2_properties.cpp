// The queryable properties of an incident: the incident's field table (incidents/fields.hpp)
// gives their names, types and descriptions to the parser, to the error messages and to the
// queryables document.

#include "cql2_node.hpp"
#include "incidentmap/query/cql2.hpp"

#include <array>
#include <cmath>

namespace incidentmap::incidents::cql2 {

namespace detail {

namespace {

// The CQL2 type of a field of the table.
constexpr Type type_of(FieldType t) noexcept {
    switch (t) {
    case FieldType::integer:
    case FieldType::number:
        return Type::number;
    case FieldType::date:
        return Type::date;
    case FieldType::timestamp:
        return Type::timestamp;
    case FieldType::text:
    case FieldType::time:
    case FieldType::object: // compared as its JSON text (LIKE finds a key or a value)
        break;
    }
    return Type::string;
}

// Every field of the table but the point's coordinates, in its order, then the geometry.
constexpr std::size_t kScalars = [] {
    std::size_t n = 0;
    for (const auto& f : fields) {
        n += f.geometry ? 0 : 1;
    }
    return n;
}();

constexpr std::array<PropInfo, kScalars + 1> kProps = [] {
    std::array<PropInfo, kScalars + 1> out{};
    std::size_t k = 0;
    for (const auto& f : fields) {
        if (!f.geometry) {
            // The table's names and descriptions are literals: data() ends in a NUL.
            out[k++] = {f.name.data(), f.field, type_of(f.type), f.description.data()};
        }
    }
    out[k] = {"geometry", std::nullopt, Type::null, "the incident's point"};
    return out;
}();

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

Value get(const PropInfo& p, const Incident& i) {
    Value v;
    if (p.is_geometry()) {
        return v;
    }
    const Field f = *p.field;
    const FieldValue x = get_field(i, f);
    if (x.null) {
        return v;
    }
    switch (fields[static_cast<std::size_t>(f)].type) {
    case FieldType::integer:
        v.type = Type::number;
        v.num = static_cast<double>(x.integer);
        break;
    case FieldType::number:
        v.type = Type::number;
        // Three decimals, as the GeoJSON output writes the confidence, so a filter matches
        // what is shown.
        v.num = f == Field::confidence ? std::round(x.number * 1000.0) / 1000.0 : x.number;
        break;
    case FieldType::timestamp:
        v = timestamp_value(std::string(x.text));
        break;
    case FieldType::date:
        v.type = Type::date;
        v.str = std::string(x.text);
        break;
    case FieldType::text:
    case FieldType::time:
    case FieldType::object:
        v.type = Type::string;
        v.str = std::string(x.text);
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
                q.type = p.is(Field::confidence) ? "number" : "integer";
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
