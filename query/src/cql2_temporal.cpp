// Instants and periods of CQL2: timestamps normalised so that they compare as text, a day as the
// period from its first to its last millisecond, and the T_ relations between two periods.

#include "cql2_node.hpp"

namespace incidentmap::incidents::cql2::detail {

std::optional<std::string> normalize_timestamp(std::string_view s) {
    auto digits = [&](std::size_t from, std::size_t n) {
        if (from + n > s.size()) {
            return false;
        }
        for (std::size_t k = from; k < from + n; ++k) {
            if (s[k] < '0' || s[k] > '9') {
                return false;
            }
        }
        return true;
    };
    if (s.size() < 20 || !is_iso_date(std::string(s.substr(0, 10))) ||
        (s[10] != 'T' && s[10] != 't') || !digits(11, 2) || s[13] != ':' || !digits(14, 2) ||
        s[16] != ':' || !digits(17, 2)) {
        return std::nullopt;
    }
    if (std::stoi(std::string(s.substr(11, 2))) > 23 ||
        std::stoi(std::string(s.substr(14, 2))) > 59 ||
        std::stoi(std::string(s.substr(17, 2))) > 60) {
        return std::nullopt;
    }
    std::size_t k = 19;
    std::string frac = "000";
    if (k < s.size() && s[k] == '.') {
        std::size_t start = ++k;
        while (k < s.size() && s[k] >= '0' && s[k] <= '9') {
            ++k;
        }
        if (k == start) {
            return std::nullopt;
        }
        std::string f(s.substr(start, k - start));
        f.resize(3, '0');
        frac = f.substr(0, 3);
    }
    std::string_view zone = s.substr(k);
    if (zone != "Z" && zone != "z" && zone != "+00:00" && zone != "-00:00") {
        return std::nullopt;
    }
    return std::string(s.substr(0, 10)) + "T" + std::string(s.substr(11, 8)) + "." + frac + "Z";
}

std::string day_start(const std::string& date) {
    return date + "T00:00:00.000Z";
}

std::string day_end(const std::string& date) {
    return date + "T23:59:59.999Z";
}

std::string as_timestamp(const Value& v) {
    if (v.type == Type::date) {
        return day_start(v.str);
    }
    return v.str;
}

Period period_of(const Period& p, const Incident& i) {
    if (!p.prop) {
        return p;
    }
    Period r;
    Value v = get(*p.prop, i);
    if (v.type == Type::date) {
        r.start = day_start(v.str);
        r.end = day_end(v.str);
    } else {
        r.start = r.end = v.str;
    }
    return r;
}

bool relate(Temporal t, const Period& a, const Period& b) {
    // An open start ("") sorts before and an open end ("~") after every timestamp.
    const auto &as = a.start, &ae = a.end, &bs = b.start, &be = b.end;
    switch (t) {
    case Temporal::after:
        return as > be;
    case Temporal::before:
        return ae < bs;
    case Temporal::contains:
        return as < bs && ae > be;
    case Temporal::disjoint:
        return !(as <= be && ae >= bs);
    case Temporal::during:
        return as > bs && ae < be;
    case Temporal::equals:
        return as == bs && ae == be;
    case Temporal::finishedby:
        return as < bs && ae == be;
    case Temporal::finishes:
        return as > bs && ae == be;
    case Temporal::intersects:
        return as <= be && ae >= bs;
    case Temporal::meets:
        return ae == bs;
    case Temporal::metby:
        return as == be;
    case Temporal::overlappedby:
        return as > bs && as < be && ae > be;
    case Temporal::overlaps:
        return as < bs && ae > bs && ae < be;
    case Temporal::startedby:
        return as == bs && ae > be;
    case Temporal::starts:
        return as == bs && ae < be;
    }
    return false;
}

Temporal converse(Temporal t) noexcept {
    switch (t) {
    case Temporal::after:
        return Temporal::before;
    case Temporal::before:
        return Temporal::after;
    case Temporal::contains:
        return Temporal::during;
    case Temporal::during:
        return Temporal::contains;
    case Temporal::finishedby:
        return Temporal::finishes;
    case Temporal::finishes:
        return Temporal::finishedby;
    case Temporal::meets:
        return Temporal::metby;
    case Temporal::metby:
        return Temporal::meets;
    case Temporal::overlappedby:
        return Temporal::overlaps;
    case Temporal::overlaps:
        return Temporal::overlappedby;
    case Temporal::startedby:
        return Temporal::starts;
    case Temporal::starts:
        return Temporal::startedby;
    case Temporal::disjoint:
    case Temporal::equals:
    case Temporal::intersects:
        return t;
    }
    return t;
}

} // namespace incidentmap::incidents::cql2::detail
