#include "incidentmap/query/cql2.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/geo/predicates.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <optional>
#include <variant>

namespace incidentmap::incidents::cql2 {

namespace {

// --- properties -----------------------------------------------------------------------------

enum class Type { null, number, string, date, timestamp, boolean };

enum class Prop {
    id,
    event_date,
    event_time,
    time_precision,
    event_type,
    sub_event_type,
    actor1,
    actor2,
    country,
    admin1,
    admin2,
    location,
    geonameid,
    geo_precision,
    fatalities,
    injured,
    source,
    source_url,
    source_id,
    notes,
    confidence,
    created,
    updated,
    geometry
};

struct PropInfo {
    const char* name;
    Prop prop;
    Type type;
    const char* description;
};

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

const PropInfo* find_prop(std::string_view name) {
    for (const auto& p : kProps) {
        if (name == p.name) {
            return &p;
        }
    }
    return nullptr;
}

const char* type_name(Type t) {
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

bool temporal(Type t) {
    return t == Type::date || t == Type::timestamp;
}

struct Value {
    Type type = Type::null;
    double num = 0.0;
    std::string str; ///< strings; dates YYYY-MM-DD; timestamps YYYY-MM-DDTHH:MM:SS.fffZ
    bool boolean = false;
};

// Timestamps compare as text once normalised to YYYY-MM-DDTHH:MM:SS.fffZ.
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
        num(std::round(i.confidence * 1000.0) / 1000.0);
        break;
    case Prop::created:
    case Prop::updated: {
        const std::string& s = p == Prop::created ? i.created : i.updated;
        if (auto t = normalize_timestamp(s)) {
            v.type = Type::timestamp;
            v.str = *t;
        }
        break;
    }
    case Prop::geometry:
        break;
    }
    return v;
}

// --- expression tree ------------------------------------------------------------------------

enum class Cmp { eq, ne, lt, le, gt, ge };
enum class Temporal {
    after,
    before,
    contains,
    disjoint,
    during,
    equals,
    finishedby,
    finishes,
    intersects,
    meets,
    metby,
    overlappedby,
    overlaps,
    startedby,
    starts
};

// A scalar operand: a property or a literal.
struct Operand {
    const PropInfo* prop = nullptr;
    Value literal;
    [[nodiscard]] Type type() const { return prop ? prop->type : literal.type; }
    [[nodiscard]] Value eval(const Incident& i) const {
        return prop ? get(prop->prop, i) : literal;
    }
};

// A temporal operand: a property (its day, or its instant) or a literal interval.
struct Period {
    const PropInfo* prop = nullptr;
    std::string start; ///< normalised timestamp; "" = open start
    std::string end;   ///< normalised timestamp; "~" = open end
};

enum class Kind {
    and_,
    or_,
    not_,
    constant,
    compare,
    like,
    between,
    in,
    is_null,
    spatial,
    temporal
};

} // namespace

struct Node {
    Kind kind = Kind::constant;
    std::vector<std::unique_ptr<Node>> kids;
    bool value = false; // constant
    Cmp cmp = Cmp::eq;
    Operand a, b, c;           // compare a ? b; between a b c; like a b; in a list; is_null a
    std::vector<Operand> list; // in
    bool negated = false;      // NOT LIKE / NOT BETWEEN / NOT IN / IS NOT NULL
    geo::SpatialRelation spatial = geo::SpatialRelation::intersects;
    geo::GeometryCollection shape;
    bool shape_first = false; // S_WITHIN(shape, geometry): the roles swap
    Temporal temporal = Temporal::intersects;
    Period ta, tb;
};

namespace {

// Three-valued logic.
enum class Tri { no, yes, unknown };

Tri tri(bool b) {
    return b ? Tri::yes : Tri::no;
}

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

// LIKE: % any run, _ one code point, \ escapes; case-sensitive.
bool like(std::string_view text, std::string_view pattern) {
    auto next_cp = [](std::string_view s, std::size_t k) {
        auto c = static_cast<unsigned char>(s[k]);
        std::size_t n = c < 0x80         ? 1
                        : (c >> 5) == 6  ? 2
                        : (c >> 4) == 14 ? 3
                        : (c >> 3) == 30 ? 4
                                         : 1;
        return std::min(k + n, s.size());
    };
    std::size_t t = 0, p = 0;
    std::optional<std::pair<std::size_t, std::size_t>> star; // pattern after %, text position
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '%') {
            star = {++p, t};
            continue;
        }
        if (p < pattern.size()) {
            if (pattern[p] == '_') {
                t = next_cp(text, t);
                ++p;
                continue;
            }
            std::size_t pp = p;
            if (pattern[pp] == '\\' && pp + 1 < pattern.size()) {
                ++pp;
            }
            std::size_t pe = next_cp(pattern, pp);
            std::size_t te = next_cp(text, t);
            if (pattern.substr(pp, pe - pp) == text.substr(t, te - t)) {
                t = te;
                p = pe;
                continue;
            }
        }
        if (!star) {
            return false;
        }
        p = star->first;
        t = star->second = next_cp(text, star->second);
    }
    while (p < pattern.size() && pattern[p] == '%') {
        ++p;
    }
    return p == pattern.size();
}

Period period_of(const Period& p, const Incident& i) {
    if (!p.prop) {
        return p;
    }
    Period r;
    Value v = get(p.prop->prop, i);
    if (v.type == Type::date) {
        r.start = day_start(v.str);
        r.end = day_end(v.str);
    } else {
        r.start = r.end = v.str;
    }
    return r;
}

bool relate(Temporal t, const Period& a, const Period& b) {
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

Tri eval(const Node& n, const Incident& i) {
    switch (n.kind) {
    case Kind::constant:
        return tri(n.value);
    case Kind::and_: {
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
    case Kind::or_: {
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
    case Kind::not_: {
        Tri x = eval(*n.kids[0], i);
        return x == Tri::unknown ? x : tri(x == Tri::no);
    }
    case Kind::compare: {
        Value x = n.a.eval(i), y = n.b.eval(i);
        if (x.type == Type::null || y.type == Type::null) {
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
    case Kind::like: {
        Value x = n.a.eval(i), y = n.b.eval(i);
        if (x.type == Type::null || y.type == Type::null) {
            return Tri::unknown;
        }
        return tri(like(x.str, y.str) != n.negated);
    }
    case Kind::between: {
        Value x = n.a.eval(i), lo = n.b.eval(i), hi = n.c.eval(i);
        if (x.type == Type::null || lo.type == Type::null || hi.type == Type::null) {
            return Tri::unknown;
        }
        bool in = compare_values(x, lo) >= 0 && compare_values(x, hi) <= 0;
        return tri(in != n.negated);
    }
    case Kind::in: {
        Value x = n.a.eval(i);
        if (x.type == Type::null) {
            return Tri::unknown;
        }
        bool found = false;
        for (const auto& o : n.list) {
            Value y = o.eval(i);
            if (y.type != Type::null && compare_values(x, y) == 0) {
                found = true;
                break;
            }
        }
        return tri(found != n.negated);
    }
    case Kind::is_null:
        return tri((n.a.eval(i).type == Type::null) != n.negated);
    case Kind::spatial:
        // The incident's geometry is its point.
        return tri(n.shape_first ? geo::relate(n.shape, n.spatial, i.point)
                                 : geo::relate(i.point, n.spatial, n.shape));
    case Kind::temporal:
        return tri(relate(n.temporal, period_of(n.ta, i), period_of(n.tb, i)));
    }
    return Tri::unknown;
}

// --- parser ---------------------------------------------------------------------------------

constexpr std::size_t kMaxDepth = 64;
constexpr std::size_t kMaxVertices = 100000;
constexpr std::size_t kMaxLength = 4 * 1024 * 1024;

class Parser {
public:
    explicit Parser(std::string_view text) : m_text(text) {}

    std::unique_ptr<Node> parse() {
        auto n = boolean_expr();
        skip_space();
        if (m_pos != m_text.size()) {
            fail("unexpected '" + std::string(m_text.substr(m_pos, 20)) +
                 "' after a complete expression");
        }
        return n;
    }

private:
    [[noreturn]] void fail(const std::string& what) const { fail_at(m_pos, what); }
    [[noreturn]] void fail_at(std::size_t pos, const std::string& what) const {
        // Positions count code points from 1, as an editor would show them.
        std::size_t cp = 1;
        for (std::size_t k = 0; k < pos && k < m_text.size(); ++k) {
            if ((static_cast<unsigned char>(m_text[k]) & 0xC0) != 0x80) {
                ++cp;
            }
        }
        throw InvalidInput("filter: at character " + std::to_string(cp) + ": " + what);
    }

    void skip_space() {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' ||
                                         m_text[m_pos] == '\n' || m_text[m_pos] == '\r')) {
            ++m_pos;
        }
    }

    static bool ident_start(char c) {
        return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
    }
    static bool ident_char(char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == ':';
    }

    // The next word (identifier or keyword) without consuming it, upper-cased.
    std::string peek_word() {
        skip_space();
        std::size_t k = m_pos;
        if (k >= m_text.size() || !ident_start(m_text[k])) {
            return {};
        }
        std::string w;
        while (k < m_text.size() && ident_char(m_text[k])) {
            w.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(m_text[k]))));
            ++k;
        }
        return w;
    }

    bool accept_word(const char* word) {
        if (peek_word() == word) {
            m_pos += std::strlen(word);
            return true;
        }
        return false;
    }

    void expect_word(const char* word) {
        if (!accept_word(word)) {
            fail(std::string("expected ") + word);
        }
    }

    bool accept(char c) {
        skip_space();
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }

    void expect(char c) {
        if (!accept(c)) {
            fail(std::string("expected '") + c + "'" +
                 (m_pos < m_text.size() ? " but found '" + std::string(1, m_text[m_pos]) + "'"
                                        : " but the filter ended"));
        }
    }

    struct Depth {
        Parser& p;
        explicit Depth(Parser& parser) : p(parser) {
            if (++p.m_depth > kMaxDepth) {
                p.fail("the expression nests more than " + std::to_string(kMaxDepth) +
                       " levels deep");
            }
        }
        ~Depth() { --p.m_depth; }
        Depth(const Depth&) = delete;
        Depth& operator=(const Depth&) = delete;
    };

    std::unique_ptr<Node> boolean_expr() {
        Depth guard(*this);
        auto first = boolean_term();
        if (peek_word() != "OR") {
            return first;
        }
        auto n = std::make_unique<Node>();
        n->kind = Kind::or_;
        n->kids.push_back(std::move(first));
        while (accept_word("OR")) {
            n->kids.push_back(boolean_term());
        }
        return n;
    }

    std::unique_ptr<Node> boolean_term() {
        auto first = boolean_factor();
        if (peek_word() != "AND") {
            return first;
        }
        auto n = std::make_unique<Node>();
        n->kind = Kind::and_;
        n->kids.push_back(std::move(first));
        while (accept_word("AND")) {
            n->kids.push_back(boolean_factor());
        }
        return n;
    }

    std::unique_ptr<Node> boolean_factor() {
        if (accept_word("NOT")) {
            Depth guard(*this);
            auto n = std::make_unique<Node>();
            n->kind = Kind::not_;
            n->kids.push_back(boolean_factor());
            return n;
        }
        return boolean_primary();
    }

    std::unique_ptr<Node> boolean_primary() {
        skip_space();
        if (m_pos >= m_text.size()) {
            fail("expected a condition but the filter ended");
        }
        if (accept('(')) {
            auto n = boolean_expr();
            expect(')');
            return n;
        }
        const std::string w = peek_word();
        if (w.rfind("S_", 0) == 0) {
            return spatial_predicate(w);
        }
        if (w.rfind("T_", 0) == 0) {
            return temporal_predicate(w);
        }
        if ((w == "TRUE" || w == "FALSE") && !comparison_follows(w.size())) {
            m_pos += w.size();
            auto n = std::make_unique<Node>();
            n->value = w == "TRUE";
            return n;
        }
        return predicate();
    }

    // After a TRUE/FALSE keyword, does a comparison operator follow?
    bool comparison_follows(std::size_t len) {
        std::size_t save = m_pos;
        m_pos += len;
        skip_space();
        bool op = m_pos < m_text.size() && std::strchr("=<>", m_text[m_pos]) != nullptr;
        m_pos = save;
        return op;
    }

    std::unique_ptr<Node> predicate() {
        const std::size_t at = (skip_space(), m_pos);
        Operand a = scalar();
        auto n = std::make_unique<Node>();
        n->a = a;
        skip_space();
        const std::size_t op_at = m_pos;
        if (accept_word("IS")) {
            n->kind = Kind::is_null;
            n->negated = accept_word("NOT");
            expect_word("NULL");
            return n;
        }
        bool negated = accept_word("NOT");
        if (accept_word("LIKE")) {
            n->kind = Kind::like;
            n->negated = negated;
            n->b = scalar();
            if (n->a.type() != Type::string || n->b.type() != Type::string) {
                fail_at(op_at, "LIKE compares strings");
            }
            return n;
        }
        if (accept_word("BETWEEN")) {
            n->kind = Kind::between;
            n->negated = negated;
            n->b = scalar();
            expect_word("AND");
            n->c = scalar();
            check_types(at, n->a, n->b);
            check_types(at, n->a, n->c);
            if (n->a.type() != Type::number && !temporal(n->a.type())) {
                fail_at(op_at, "BETWEEN takes numbers or dates");
            }
            return n;
        }
        if (accept_word("IN")) {
            n->kind = Kind::in;
            n->negated = negated;
            expect('(');
            do {
                n->list.push_back(scalar());
                check_types(at, n->a, n->list.back());
            } while (accept(','));
            expect(')');
            return n;
        }
        if (negated) {
            fail("expected LIKE, BETWEEN or IN after NOT");
        }
        n->kind = Kind::compare;
        if (accept('=')) {
            n->cmp = Cmp::eq;
        } else if (accept('<')) {
            n->cmp = accept('>') ? Cmp::ne : accept('=') ? Cmp::le : Cmp::lt;
        } else if (accept('>')) {
            n->cmp = accept('=') ? Cmp::ge : Cmp::gt;
        } else {
            fail("expected a comparison (=, <>, <, <=, >, >=), LIKE, BETWEEN, IN or IS NULL");
        }
        n->b = scalar();
        check_types(at, n->a, n->b);
        return n;
    }

    // Operands must be of one type; a string literal compared with a temporal property is
    // read as a date or timestamp.
    void check_types(std::size_t at, Operand& x, Operand& y) {
        auto coerce = [&](Operand& lit, Type want) {
            if (lit.prop || lit.literal.type != Type::string || !temporal(want)) {
                return;
            }
            // GDAL 3.6's OAPIF driver writes a date as 'YYYY-MM-DDT'.
            if (lit.literal.str.size() == 11 && lit.literal.str[10] == 'T') {
                lit.literal.str.pop_back();
            }
            if (is_iso_date(lit.literal.str)) {
                lit.literal.type = Type::date;
            } else if (auto t = normalize_timestamp(lit.literal.str)) {
                lit.literal.type = Type::timestamp;
                lit.literal.str = *t;
            } else {
                fail_at(at, "'" + lit.literal.str.substr(0, 40) +
                                "' is not a date (YYYY-MM-DD) or UTC timestamp");
            }
        };
        coerce(x, y.type());
        coerce(y, x.type());
        Type tx = x.type(), ty = y.type();
        if (tx == Type::null || ty == Type::null) {
            fail_at(at, "compare with NULL using IS NULL or IS NOT NULL");
        }
        if (tx == ty || (temporal(tx) && temporal(ty))) {
            return;
        }
        std::string what = x.prop ? std::string(x.prop->name) + " is " + type_name(tx)
                                  : std::string("the left side is ") + type_name(tx);
        fail_at(at, what + " and cannot be compared with " + type_name(ty));
    }

    Operand scalar() {
        skip_space();
        Operand o;
        if (m_pos >= m_text.size()) {
            fail("expected a property or a value but the filter ended");
        }
        const char c = m_text[m_pos];
        if (c == '\'') {
            o.literal.type = Type::string;
            o.literal.str = string_literal();
            return o;
        }
        if (c == '"') {
            o.prop = property(quoted_identifier());
            return o;
        }
        if (c == '-' || c == '+' || c == '.' || std::isdigit(static_cast<unsigned char>(c))) {
            o.literal.type = Type::number;
            o.literal.num = number();
            return o;
        }
        const std::string w = peek_word();
        if (w.empty()) {
            fail("expected a property or a value");
        }
        if (w == "TRUE" || w == "FALSE") {
            m_pos += w.size();
            o.literal.type = Type::boolean;
            o.literal.boolean = w == "TRUE";
            return o;
        }
        if (w == "DATE" || w == "TIMESTAMP") {
            m_pos += w.size();
            expect('(');
            const std::size_t at = (skip_space(), m_pos);
            std::string s = string_literal();
            expect(')');
            if (w == "DATE") {
                if (!is_iso_date(s)) {
                    fail_at(at, "DATE takes 'YYYY-MM-DD'");
                }
                o.literal.type = Type::date;
                o.literal.str = s;
            } else {
                auto t = normalize_timestamp(s);
                if (!t) {
                    fail_at(at, "TIMESTAMP takes a UTC time like '2022-03-29T08:30:00Z'");
                }
                o.literal.type = Type::timestamp;
                o.literal.str = *t;
            }
            return o;
        }
        if (w == "NULL") {
            fail("compare with NULL using IS NULL or IS NOT NULL");
        }
        const std::size_t at = m_pos;
        std::string name(m_text.substr(m_pos, w.size()));
        m_pos += w.size();
        skip_space();
        if (m_pos < m_text.size() && m_text[m_pos] == '(') {
            fail_at(at, "unknown function " + name +
                            " (this server supports DATE, TIMESTAMP, INTERVAL, BBOX, the S_ "
                            "spatial and T_ temporal functions)");
        }
        o.prop = property(name, at);
        return o;
    }

    const PropInfo* property(const std::string& name, std::size_t at = std::string::npos) {
        const PropInfo* p = find_prop(name);
        if (!p) {
            std::string known;
            for (const auto& q : kProps) {
                known += known.empty() ? "" : ", ";
                known += q.name;
            }
            fail_at(at == std::string::npos ? m_pos : at,
                    "unknown property '" + name.substr(0, 60) + "'; the queryables are " + known);
        }
        if (p->prop == Prop::geometry) {
            fail_at(at == std::string::npos ? m_pos : at,
                    "geometry can only be used in the S_ spatial functions");
        }
        return p;
    }

    std::string quoted_identifier() {
        ++m_pos; // "
        std::string s;
        while (m_pos < m_text.size() && m_text[m_pos] != '"') {
            s.push_back(m_text[m_pos++]);
        }
        if (m_pos >= m_text.size()) {
            fail("unterminated quoted property name");
        }
        ++m_pos;
        return s;
    }

    std::string string_literal() {
        skip_space();
        if (m_pos >= m_text.size() || m_text[m_pos] != '\'') {
            fail("expected a string in single quotes");
        }
        const std::size_t start = m_pos++;
        std::string s;
        for (;;) {
            if (m_pos >= m_text.size()) {
                fail_at(start, "unterminated string (strings end with ')");
            }
            char c = m_text[m_pos++];
            if (c == '\'') {
                if (m_pos < m_text.size() && m_text[m_pos] == '\'') {
                    s.push_back('\'');
                    ++m_pos;
                    continue;
                }
                return s;
            }
            s.push_back(c);
        }
    }

    double number() {
        skip_space();
        const std::size_t start = m_pos;
        if (m_pos < m_text.size() && (m_text[m_pos] == '-' || m_text[m_pos] == '+')) {
            ++m_pos;
        }
        while (m_pos < m_text.size() &&
               (std::isdigit(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '.' ||
                m_text[m_pos] == 'e' || m_text[m_pos] == 'E' ||
                ((m_text[m_pos] == '-' || m_text[m_pos] == '+') &&
                 (m_text[m_pos - 1] == 'e' || m_text[m_pos - 1] == 'E')))) {
            ++m_pos;
        }
        auto v = geo::parse_double(m_text.substr(start, m_pos - start));
        if (!v) {
            fail_at(
                start,
                "'" + std::string(m_text.substr(start, std::min<std::size_t>(m_pos - start, 30))) +
                    "' is not a finite number");
        }
        return *v;
    }

    // --- spatial ---

    std::unique_ptr<Node> spatial_predicate(const std::string& w) {
        using geo::SpatialRelation;
        static const std::pair<const char*, SpatialRelation> ops[] = {
            {"S_INTERSECTS", SpatialRelation::intersects},
            {"S_DISJOINT", SpatialRelation::disjoint},
            {"S_EQUALS", SpatialRelation::equals},
            {"S_WITHIN", SpatialRelation::within},
            {"S_CONTAINS", SpatialRelation::contains},
            {"S_TOUCHES", SpatialRelation::touches},
            {"S_CROSSES", SpatialRelation::crosses},
            {"S_OVERLAPS", SpatialRelation::overlaps}};
        auto n = std::make_unique<Node>();
        n->kind = Kind::spatial;
        bool known = false;
        for (const auto& [name, op] : ops) {
            if (w == name) {
                n->spatial = op;
                known = true;
            }
        }
        if (!known) {
            fail("unknown spatial function " + w +
                 " (S_INTERSECTS, S_DISJOINT, S_EQUALS, S_WITHIN, S_CONTAINS, S_TOUCHES, "
                 "S_CROSSES, S_OVERLAPS)");
        }
        m_pos += w.size();
        expect('(');
        bool first_is_property = geometry_property();
        if (!first_is_property) {
            n->shape = geometry_literal();
        }
        expect(',');
        bool second_is_property = geometry_property();
        if (first_is_property == second_is_property) {
            fail(first_is_property
                     ? "compare geometry with a geometry literal, not with itself"
                     : "one argument of a spatial function must be the property geometry");
        }
        if (!second_is_property) {
            n->shape = geometry_literal();
        }
        n->shape_first = !first_is_property;
        expect(')');
        return n;
    }

    bool geometry_property() {
        skip_space();
        if (m_pos < m_text.size() && m_text[m_pos] == '"') {
            std::size_t save = m_pos;
            std::string name = quoted_identifier();
            if (name == "geometry") {
                return true;
            }
            m_pos = save;
            fail("the only spatial property is geometry");
        }
        std::string w = peek_word();
        if (w == "GEOMETRY") {
            m_pos += w.size();
            return true;
        }
        return false;
    }

    geo::LonLat position() {
        const std::size_t at = (skip_space(), m_pos);
        double lon = number();
        double lat = number();
        skip_space();
        if (m_pos < m_text.size() &&
            (std::isdigit(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '-' ||
             m_text[m_pos] == '+' || m_text[m_pos] == '.')) {
            number(); // an elevation is allowed and ignored
        }
        geo::LonLat p{lon, lat};
        if (!p.valid()) {
            fail_at(at, "coordinates must be longitude in [-180, 180] then latitude in [-90, 90] "
                        "(CRS84)");
        }
        if (++m_vertices > kMaxVertices) {
            fail_at(at, "too many vertices (the limit is " + std::to_string(kMaxVertices) + ")");
        }
        return p;
    }

    std::vector<geo::LonLat> position_list() {
        expect('(');
        std::vector<geo::LonLat> out;
        do {
            out.push_back(position());
        } while (accept(','));
        expect(')');
        return out;
    }

    geo::Polygon polygon_text() {
        geo::Polygon poly;
        expect('(');
        do {
            const std::size_t at = (skip_space(), m_pos);
            auto ring = position_list();
            if (ring.size() < 4 || !(ring.front() == ring.back())) {
                fail_at(at, "a polygon ring needs at least four positions, the last equal to "
                            "the first");
            }
            poly.rings.push_back(std::move(ring));
        } while (accept(','));
        expect(')');
        return poly;
    }

    void geometry_into(geo::GeometryCollection& s, std::size_t depth) {
        if (depth > 8) {
            fail("geometry collections nest too deep");
        }
        const std::size_t at = (skip_space(), m_pos);
        const std::string w = peek_word();
        if (w.empty()) {
            fail("expected a geometry: POINT, MULTIPOINT, LINESTRING, MULTILINESTRING, "
                 "POLYGON, MULTIPOLYGON, GEOMETRYCOLLECTION or BBOX");
        }
        m_pos += w.size();
        if (w == "POINT") {
            expect('(');
            s.points.push_back(position());
            expect(')');
        } else if (w == "MULTIPOINT") {
            expect('(');
            do {
                if (accept('(')) {
                    s.points.push_back(position());
                    expect(')');
                } else {
                    s.points.push_back(position());
                }
            } while (accept(','));
            expect(')');
        } else if (w == "LINESTRING") {
            auto line = position_list();
            if (line.size() < 2) {
                fail_at(at, "a linestring needs at least two positions");
            }
            s.lines.push_back(std::move(line));
        } else if (w == "MULTILINESTRING") {
            expect('(');
            do {
                auto line = position_list();
                if (line.size() < 2) {
                    fail_at(at, "a linestring needs at least two positions");
                }
                s.lines.push_back(std::move(line));
            } while (accept(','));
            expect(')');
        } else if (w == "POLYGON") {
            s.polygons.push_back(polygon_text());
        } else if (w == "MULTIPOLYGON") {
            expect('(');
            do {
                s.polygons.push_back(polygon_text());
            } while (accept(','));
            expect(')');
        } else if (w == "GEOMETRYCOLLECTION") {
            expect('(');
            do {
                geometry_into(s, depth + 1);
            } while (accept(','));
            expect(')');
        } else if (w == "BBOX") {
            expect('(');
            std::vector<double> v;
            do {
                v.push_back(number());
            } while (accept(',') && v.size() < 7);
            expect(')');
            geo::BBox b;
            if (v.size() == 4) {
                b = {v[0], v[1], v[2], v[3]};
            } else if (v.size() == 6) {
                b = {v[0], v[1], v[3], v[4]};
            } else {
                fail_at(at, "BBOX takes 4 numbers (west, south, east, north) or 6 with heights");
            }
            if (!b.valid()) {
                fail_at(at, "BBOX must be west, south, east, north in CRS84 with south <= north");
            }
            s.boxes.push_back(b);
        } else {
            fail_at(at, "unknown geometry " + w.substr(0, 30) +
                            " (POINT, MULTIPOINT, LINESTRING, MULTILINESTRING, POLYGON, "
                            "MULTIPOLYGON, GEOMETRYCOLLECTION, BBOX)");
        }
    }

    geo::GeometryCollection geometry_literal() {
        geo::GeometryCollection s;
        geometry_into(s, 0);
        return s;
    }

    // --- temporal ---

    std::unique_ptr<Node> temporal_predicate(const std::string& w) {
        static const std::pair<const char*, Temporal> ops[] = {
            {"T_AFTER", Temporal::after},           {"T_BEFORE", Temporal::before},
            {"T_CONTAINS", Temporal::contains},     {"T_DISJOINT", Temporal::disjoint},
            {"T_DURING", Temporal::during},         {"T_EQUALS", Temporal::equals},
            {"T_FINISHEDBY", Temporal::finishedby}, {"T_FINISHES", Temporal::finishes},
            {"T_INTERSECTS", Temporal::intersects}, {"T_MEETS", Temporal::meets},
            {"T_METBY", Temporal::metby},           {"T_OVERLAPPEDBY", Temporal::overlappedby},
            {"T_OVERLAPS", Temporal::overlaps},     {"T_STARTEDBY", Temporal::startedby},
            {"T_STARTS", Temporal::starts}};
        auto n = std::make_unique<Node>();
        n->kind = Kind::temporal;
        bool known = false;
        for (const auto& [name, op] : ops) {
            if (w == name) {
                n->temporal = op;
                known = true;
            }
        }
        if (!known) {
            fail("unknown temporal function " + w);
        }
        m_pos += w.size();
        expect('(');
        n->ta = period();
        expect(',');
        n->tb = period();
        expect(')');
        if (!n->ta.prop && !n->tb.prop) {
            fail("one argument of a temporal function must be a property (event_date, "
                 "created, updated)");
        }
        return n;
    }

    // One end of an INTERVAL: a date, a timestamp or '..'.
    std::string interval_end(bool start) {
        const std::size_t at = (skip_space(), m_pos);
        std::string s;
        std::string w = peek_word();
        if (w == "DATE" || w == "TIMESTAMP") {
            Operand o = scalar();
            s = o.literal.str;
        } else {
            s = string_literal();
        }
        if (s == "..") {
            return start ? "" : "~";
        }
        if (is_iso_date(s)) {
            return start ? day_start(s) : day_end(s);
        }
        if (auto t = normalize_timestamp(s)) {
            return *t;
        }
        fail_at(at, "an INTERVAL end must be 'YYYY-MM-DD', a UTC timestamp or '..'");
    }

    Period period() {
        const std::size_t at = (skip_space(), m_pos);
        Period p;
        const std::string w = peek_word();
        if (w == "INTERVAL") {
            m_pos += w.size();
            expect('(');
            p.start = interval_end(true);
            expect(',');
            p.end = interval_end(false);
            expect(')');
            if (p.end != "~" && p.start > p.end) {
                fail_at(at, "the INTERVAL ends before it starts");
            }
            return p;
        }
        Operand o = scalar();
        if (o.prop) {
            if (!temporal(o.prop->type)) {
                fail_at(at, std::string(o.prop->name) +
                                " is not temporal (event_date, created and updated are)");
            }
            p.prop = o.prop;
            return p;
        }
        if (o.literal.type == Type::date) {
            p.start = day_start(o.literal.str);
            p.end = day_end(o.literal.str);
        } else if (o.literal.type == Type::timestamp) {
            p.start = p.end = o.literal.str;
        } else if (o.literal.type == Type::string && is_iso_date(o.literal.str)) {
            p.start = day_start(o.literal.str);
            p.end = day_end(o.literal.str);
        } else if (auto t = o.literal.type == Type::string ? normalize_timestamp(o.literal.str)
                                                           : std::nullopt) {
            p.start = p.end = *t;
        } else {
            fail_at(at, "expected DATE(...), TIMESTAMP(...), INTERVAL(...) or a temporal property");
        }
        return p;
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    std::size_t m_depth = 0;
    std::size_t m_vertices = 0;
};

// --- narrowing the indexed filters ---------------------------------------------------------

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

void narrow(const Node& n, IncidentQuery& q) {
    switch (n.kind) {
    case Kind::and_:
        for (const auto& k : n.kids) {
            narrow(*k, q);
        }
        break;
    case Kind::compare: {
        // property OP literal (either order)
        const Operand* p = n.a.prop ? &n.a : (n.b.prop ? &n.b : nullptr);
        const Operand* lit = p == &n.a ? &n.b : &n.a;
        if (!p || lit->prop) {
            break;
        }
        Cmp cmp = n.cmp;
        if (p == &n.b) { // literal OP property: mirror
            cmp = cmp == Cmp::lt   ? Cmp::gt
                  : cmp == Cmp::gt ? Cmp::lt
                  : cmp == Cmp::le ? Cmp::ge
                  : cmp == Cmp::ge ? Cmp::le
                                   : cmp;
        }
        const Prop prop = p->prop->prop;
        if (prop == Prop::event_date) {
            if (auto d = literal_date(*lit)) {
                if (cmp == Cmp::eq || cmp == Cmp::ge || cmp == Cmp::gt) {
                    tighten_since(q, *d);
                }
                if (cmp == Cmp::eq || cmp == Cmp::le || cmp == Cmp::lt) {
                    tighten_until(q, *d);
                }
            }
        } else if (cmp == Cmp::eq && lit->literal.type == Type::string) {
            if (prop == Prop::event_type && q.types.empty()) {
                q.types = {lit->literal.str};
            } else if (prop == Prop::sub_event_type && q.sub_types.empty()) {
                q.sub_types = {lit->literal.str};
            } else if (prop == Prop::country && q.country.empty()) {
                q.country = lit->literal.str;
            }
        } else if (prop == Prop::fatalities && lit->literal.type == Type::number &&
                   (cmp == Cmp::ge || cmp == Cmp::gt || cmp == Cmp::eq) &&
                   lit->literal.num > -1e6 && lit->literal.num < 1e6) {
            int at_least = static_cast<int>(std::ceil(lit->literal.num));
            if (cmp == Cmp::gt && std::floor(lit->literal.num) == lit->literal.num) {
                ++at_least;
            }
            if (at_least > 0 && (!q.min_fatalities || *q.min_fatalities < at_least)) {
                q.min_fatalities = at_least;
            }
        }
        break;
    }
    case Kind::between:
        if (!n.negated && n.a.prop && n.a.prop->prop == Prop::event_date) {
            if (auto d = literal_date(n.b)) {
                tighten_since(q, *d);
            }
            if (auto d = literal_date(n.c)) {
                tighten_until(q, *d);
            }
        }
        break;
    case Kind::in:
        if (!n.negated && n.a.prop && !n.list.empty() &&
            std::all_of(n.list.begin(), n.list.end(), [](const Operand& o) {
                return !o.prop && o.literal.type == Type::string;
            })) {
            std::vector<std::string> values;
            for (const auto& o : n.list) {
                values.push_back(o.literal.str);
            }
            if (n.a.prop->prop == Prop::event_type && q.types.empty()) {
                q.types = values;
            } else if (n.a.prop->prop == Prop::sub_event_type && q.sub_types.empty()) {
                q.sub_types = values;
            }
        }
        break;
    case Kind::spatial:
        if (n.spatial != geo::SpatialRelation::disjoint && !q.bbox) {
            // Every relation but disjoint needs the point inside the shape's bounds.
            if (auto b = geo::bounding_box(n.shape)) {
                q.bbox = *b;
            }
        }
        break;
    case Kind::temporal: {
        // event_date against a literal period [s, e].
        const bool left = n.ta.prop != nullptr;
        const Period& prop = left ? n.ta : n.tb;
        const Period& lit = left ? n.tb : n.ta;
        if (prop.prop->prop != Prop::event_date || lit.prop) {
            break;
        }
        Temporal t = n.temporal;
        if (!left) { // literal first: swap to the property's view
            static const std::pair<Temporal, Temporal> mirror[] = {
                {Temporal::after, Temporal::before},
                {Temporal::before, Temporal::after},
                {Temporal::contains, Temporal::during},
                {Temporal::during, Temporal::contains},
                {Temporal::finishedby, Temporal::finishes},
                {Temporal::finishes, Temporal::finishedby},
                {Temporal::meets, Temporal::metby},
                {Temporal::metby, Temporal::meets},
                {Temporal::overlappedby, Temporal::overlaps},
                {Temporal::overlaps, Temporal::overlappedby},
                {Temporal::startedby, Temporal::starts},
                {Temporal::starts, Temporal::startedby}};
            for (const auto& [from, to] : mirror) {
                if (from == t) {
                    t = to;
                    break;
                }
            }
        }
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
        break;
    }
    default:
        break;
    }
}

} // namespace

Filter Filter::parse(std::string_view text) {
    if (text.size() > kMaxLength) {
        throw InvalidInput("filter: longer than " + std::to_string(kMaxLength / (1024 * 1024)) +
                           " MiB");
    }
    bool blank = std::all_of(text.begin(), text.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    });
    if (blank) {
        throw InvalidInput("filter: empty; give a CQL2 expression such as fatalities > 0");
    }
    Filter f;
    f.m_root = Parser(text).parse();
    return f;
}

bool Filter::operator()(const Incident& incident) const {
    return eval(*m_root, incident) == Tri::yes;
}

void Filter::apply_to(IncidentQuery& query) const {
    const IncidentQuery before = query;
    narrow(*m_root, query);
    if (query.since && query.until && *query.since > *query.until) {
        // A filter no date satisfies selects nothing; the predicate says so, not an error.
        query.since = before.since;
        query.until = before.until;
    }
    auto root = m_root;
    auto previous = std::move(query.predicate);
    query.predicate = [root, previous](const Incident& i) {
        return (!previous || previous(i)) && eval(*root, i) == Tri::yes;
    };
}

const std::vector<Queryable>& queryables() {
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
