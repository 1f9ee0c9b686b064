// Evaluation of a parsed CQL2 filter on one incident, in three-valued logic: comparisons, LIKE,
// BETWEEN, IN and IS NULL here, the spatial relations from geo, the temporal ones from
// cql2_temporal.cpp.

#include "cql2_node.hpp"

#include <algorithm>
#include <utility>

namespace incidentmap::incidents::cql2::detail {

namespace {

Tri tri(bool b) {
    return b ? Tri::yes : Tri::no;
}

bool is_null(const Value& v) {
    return v.type == Type::null;
}

// The parser only lets values of one type (or two temporal types) meet.
int compare_values(const Value& x, const Value& y) {
    if (x.type == Type::number) {
        return x.num < y.num ? -1 : (x.num > y.num ? 1 : 0);
    }
    if (x.type == Type::boolean) {
        return static_cast<int>(x.boolean) - static_cast<int>(y.boolean);
    }
    if (temporal(x.type) && x.type != y.type) {
        return as_timestamp(x).compare(as_timestamp(y));
    }
    return x.str.compare(y.str);
}

// The end of the UTF-8 code point that starts at k (a stray byte counts as one).
std::size_t next_code_point(std::string_view s, std::size_t k) {
    auto c = static_cast<unsigned char>(s[k]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    return std::min(k + n, s.size());
}

// LIKE: % any run, _ one code point, \ escapes; case-sensitive.
bool like(std::string_view text, std::string_view pattern) {
    std::size_t t = 0, p = 0;
    std::optional<std::pair<std::size_t, std::size_t>> star; // pattern after %, text position
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '%') {
            star = {++p, t};
            continue;
        }
        if (p < pattern.size()) {
            if (pattern[p] == '_') {
                t = next_code_point(text, t);
                ++p;
                continue;
            }
            std::size_t pp = p;
            if (pattern[pp] == '\\' && pp + 1 < pattern.size()) {
                ++pp;
            }
            std::size_t pe = next_code_point(pattern, pp);
            std::size_t te = next_code_point(text, t);
            if (pattern.substr(pp, pe - pp) == text.substr(t, te - t)) {
                t = te;
                p = pe;
                continue;
            }
        }
        // A mismatch: let the last % take one more code point, or fail without one.
        if (!star) {
            return false;
        }
        p = star->first;
        t = star->second = next_code_point(text, star->second);
    }
    while (p < pattern.size() && pattern[p] == '%') {
        ++p;
    }
    return p == pattern.size();
}

Tri eval_and(const Node& n, const Incident& i) {
    Tri r = Tri::yes;
    for (const auto& k : n.kids) {
        Tri x = eval(*k, i);
        if (x == Tri::no) {
            return Tri::no;
        }
        if (x == Tri::unknown) {
            r = Tri::unknown;
        }
    }
    return r;
}

Tri eval_or(const Node& n, const Incident& i) {
    Tri r = Tri::no;
    for (const auto& k : n.kids) {
        Tri x = eval(*k, i);
        if (x == Tri::yes) {
            return Tri::yes;
        }
        if (x == Tri::unknown) {
            r = Tri::unknown;
        }
    }
    return r;
}

Tri eval_not(const Node& n, const Incident& i) {
    Tri x = eval(*n.kids[0], i);
    return x == Tri::unknown ? x : tri(x == Tri::no);
}

Tri eval_compare(const Node& n, const Incident& i) {
    Value x = n.a.eval(i), y = n.b.eval(i);
    if (is_null(x) || is_null(y)) {
        return Tri::unknown;
    }
    int c = compare_values(x, y);
    switch (n.cmp) {
    case Cmp::eq:
        return tri(c == 0);
    case Cmp::ne:
        return tri(c != 0);
    case Cmp::lt:
        return tri(c < 0);
    case Cmp::le:
        return tri(c <= 0);
    case Cmp::gt:
        return tri(c > 0);
    case Cmp::ge:
        return tri(c >= 0);
    }
    return Tri::unknown;
}

Tri eval_like(const Node& n, const Incident& i) {
    Value x = n.a.eval(i), y = n.b.eval(i);
    if (is_null(x) || is_null(y)) {
        return Tri::unknown;
    }
    return tri(like(x.str, y.str) != n.negated);
}

Tri eval_between(const Node& n, const Incident& i) {
    Value x = n.a.eval(i), lo = n.b.eval(i), hi = n.c.eval(i);
    if (is_null(x) || is_null(lo) || is_null(hi)) {
        return Tri::unknown;
    }
    bool in = compare_values(x, lo) >= 0 && compare_values(x, hi) <= 0;
    return tri(in != n.negated);
}

Tri eval_in(const Node& n, const Incident& i) {
    Value x = n.a.eval(i);
    if (is_null(x)) {
        return Tri::unknown;
    }
    // A null in the list matches nothing, but does not make the answer unknown.
    bool found = false;
    for (const auto& o : n.list) {
        Value y = o.eval(i);
        if (!is_null(y) && compare_values(x, y) == 0) {
            found = true;
            break;
        }
    }
    return tri(found != n.negated);
}

bool eval_spatial(const Node& n, const Incident& i) {
    // The incident's geometry is its point.
    return n.shape_first ? geo::relate(n.shape, n.spatial, i.point)
                         : geo::relate(i.point, n.spatial, n.shape);
}

} // namespace

Tri eval(const Node& n, const Incident& i) {
    switch (n.kind) {
    case Kind::constant:
        return tri(n.value);
    case Kind::and_:
        return eval_and(n, i);
    case Kind::or_:
        return eval_or(n, i);
    case Kind::not_:
        return eval_not(n, i);
    case Kind::compare:
        return eval_compare(n, i);
    case Kind::like:
        return eval_like(n, i);
    case Kind::between:
        return eval_between(n, i);
    case Kind::in:
        return eval_in(n, i);
    case Kind::is_null:
        return tri(is_null(n.a.eval(i)) != n.negated);
    case Kind::spatial:
        return tri(eval_spatial(n, i));
    case Kind::temporal:
        return tri(relate(n.temporal, period_of(n.ta, i), period_of(n.tb, i)));
    }
    return Tri::unknown;
}

} // namespace incidentmap::incidents::cql2::detail
