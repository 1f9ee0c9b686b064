// Narrowing the indexed filters of an IncidentQuery (bbox, since/until, types, sub-types,
// country, min_fatalities) by a parsed filter, so the store's indexes cut the scan down before
// the exact predicate runs. Only what every match must satisfy may narrow: the conditions of a
// top-level AND, never those under OR or NOT, and only ever tighter than what the caller gave.

#include "cql2_node.hpp"

#include <algorithm>
#include <cmath>

namespace incidentmap::incidents::cql2::detail {

namespace {

std::string date_of(const std::string& ts) {
    return ts.substr(0, 10);
}

void tighten_since(IncidentQuery& q, const std::string& d) {
    if (!q.since || *q.since < d) {
        q.since = d;
    }
}

void tighten_until(IncidentQuery& q, const std::string& d) {
    if (!q.until || *q.until > d) {
        q.until = d;
    }
}

// A literal operand's value as a date, when it is one.
std::optional<std::string> literal_date(const Operand& o) {
    if (o.prop || !temporal(o.literal.type)) {
        return std::nullopt;
    }
    return o.literal.str.substr(0, 10);
}

// The comparison seen from the other side: "a < b" is "b > a".
Cmp converse(Cmp cmp) {
    return cmp == Cmp::lt   ? Cmp::gt
           : cmp == Cmp::gt ? Cmp::lt
           : cmp == Cmp::le ? Cmp::ge
           : cmp == Cmp::ge ? Cmp::le
                            : cmp;
}

// event_date <cmp> literal
void narrow_event_date(Cmp cmp, const Operand& lit, IncidentQuery& q) {
    if (auto d = literal_date(lit)) {
        if (cmp == Cmp::eq || cmp == Cmp::ge || cmp == Cmp::gt) {
            tighten_since(q, *d);
        }
        if (cmp == Cmp::eq || cmp == Cmp::le || cmp == Cmp::lt) {
            tighten_until(q, *d);
        }
    }
}

// <prop> = 'literal', for the properties with an indexed filter of their own.
void narrow_string_equality(const PropInfo& prop, const std::string& value, IncidentQuery& q) {
    if (prop.is(Field::event_type) && q.types.empty()) {
        q.types = {value};
    } else if (prop.is(Field::sub_event_type) && q.sub_types.empty()) {
        q.sub_types = {value};
    } else if (prop.is(Field::country) && q.country.empty()) {
        q.country = value;
    }
}

// fatalities >= / > / = number: at least the next whole number.
void narrow_fatalities(Cmp cmp, double value, IncidentQuery& q) {
    int at_least = static_cast<int>(std::ceil(value));
    if (cmp == Cmp::gt && std::floor(value) == value) {
        ++at_least;
    }
    if (at_least > 0 && (!q.min_fatalities || *q.min_fatalities < at_least)) {
        q.min_fatalities = at_least;
    }
}

// property <cmp> literal, in either order.
void narrow_compare(const Node& n, IncidentQuery& q) {
    const Operand* p = n.a.prop ? &n.a : (n.b.prop ? &n.b : nullptr);
    const Operand* lit = p == &n.a ? &n.b : &n.a;
    if (!p || lit->prop) {
        return;
    }
    const Cmp cmp = p == &n.b ? converse(n.cmp) : n.cmp;
    const PropInfo& prop = *p->prop;
    const Value& v = lit->literal;
    if (prop.is(Field::event_date)) {
        narrow_event_date(cmp, *lit, q);
    } else if (cmp == Cmp::eq && v.type == Type::string) {
        narrow_string_equality(prop, v.str, q);
    } else if (prop.is(Field::fatalities) && v.type == Type::number &&
               (cmp == Cmp::ge || cmp == Cmp::gt || cmp == Cmp::eq) && v.num > -1e6 &&
               v.num < 1e6) {
        // (The bounds keep the conversion to int defined.)
        narrow_fatalities(cmp, v.num, q);
    }
}

// event_date BETWEEN literal AND literal
void narrow_between(const Node& n, IncidentQuery& q) {
    if (!n.negated && n.a.prop && n.a.prop->is(Field::event_date)) {
        if (auto d = literal_date(n.b)) {
            tighten_since(q, *d);
        }
        if (auto d = literal_date(n.c)) {
            tighten_until(q, *d);
        }
    }
}

// event_type / sub_event_type IN ('literal', ...)
void narrow_in(const Node& n, IncidentQuery& q) {
    if (n.negated || !n.a.prop || n.list.empty() ||
        !std::all_of(n.list.begin(), n.list.end(),
                     [](const Operand& o) { return !o.prop && o.literal.type == Type::string; })) {
        return;
    }
    std::vector<std::string> values;
    for (const auto& o : n.list) {
        values.push_back(o.literal.str);
    }
    if (n.a.prop->is(Field::event_type) && q.types.empty()) {
        q.types = values;
    } else if (n.a.prop->is(Field::sub_event_type) && q.sub_types.empty()) {
        q.sub_types = values;
    }
}

void narrow_spatial(const Node& n, IncidentQuery& q) {
    if (n.spatial != geo::SpatialRelation::disjoint && !q.bbox) {
        // Every relation but disjoint needs the point inside the shape's bounds.
        if (auto b = geo::bounding_box(n.shape)) {
            q.bbox = *b;
        }
    }
}

// T_<relation>(event_date, literal period), in either order.
void narrow_temporal(const Node& n, IncidentQuery& q) {
    const bool left = n.ta.prop != nullptr;
    const Period& prop = left ? n.ta : n.tb;
    const Period& lit = left ? n.tb : n.ta;
    if (!prop.prop->is(Field::event_date) || lit.prop) {
        return;
    }
    // With the literal first, see the relation from the property's side.
    const Temporal t = left ? n.temporal : converse(n.temporal);
    const bool open_start = lit.start.empty();
    const bool open_end = lit.end == "~";
    switch (t) {
    case Temporal::intersects:
    case Temporal::during:
    case Temporal::equals:
    case Temporal::starts:
    case Temporal::finishes:
        if (!open_start) {
            tighten_since(q, date_of(lit.start));
        }
        if (!open_end) {
            tighten_until(q, date_of(lit.end));
        }
        break;
    case Temporal::before:
        if (!open_start) {
            tighten_until(q, date_of(lit.start));
        }
        break;
    case Temporal::after:
        if (!open_end) {
            tighten_since(q, date_of(lit.end));
        }
        break;
    default:
        break;
    }
}

} // namespace

void narrow(const Node& n, IncidentQuery& q) {
    switch (n.kind) {
    case Kind::and_:
        for (const auto& k : n.kids) {
            narrow(*k, q);
        }
        break;
    case Kind::compare:
        narrow_compare(n, q);
        break;
    case Kind::between:
        narrow_between(n, q);
        break;
    case Kind::in:
        narrow_in(n, q);
        break;
    case Kind::spatial:
        narrow_spatial(n, q);
        break;
    case Kind::temporal:
        narrow_temporal(n, q);
        break;
    default:
        // OR, NOT and the rest promise nothing every match satisfies.
        break;
    }
}

} // namespace incidentmap::incidents::cql2::detail
