// The public face of CQL2 filters and, for now, the parser of cql2-text. The values, the node
// tree, evaluation and narrowing live in the cql2_*.cpp files beside this one.

#include "incidentmap/query/cql2.hpp"

#include "cql2_node.hpp"
#include "incidentmap/error.hpp"

#include <algorithm>
#include <cstring>

namespace incidentmap::incidents::cql2 {

namespace {

constexpr std::size_t kMaxLength = 4 * 1024 * 1024;

} // namespace

namespace detail {

namespace {

// --- parser ---------------------------------------------------------------------------------

constexpr std::size_t kMaxDepth = 64;
constexpr std::size_t kMaxVertices = 100000;

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
            for (const auto& q : properties()) {
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

} // namespace

} // namespace detail

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
    f.m_root = detail::Parser(text).parse();
    return f;
}

bool Filter::operator()(const Incident& incident) const {
    return detail::eval(*m_root, incident) == detail::Tri::yes;
}

void Filter::apply_to(IncidentQuery& query) const {
    const IncidentQuery before = query;
    detail::narrow(*m_root, query);
    if (query.since && query.until && *query.since > *query.until) {
        // A filter no date satisfies selects nothing; the predicate says so, not an error.
        query.since = before.since;
        query.until = before.until;
    }
    auto root = m_root;
    auto previous = std::move(query.predicate);
    query.predicate = [root, previous](const Incident& i) {
        return (!previous || previous(i)) && detail::eval(*root, i) == detail::Tri::yes;
    };
}

} // namespace incidentmap::incidents::cql2
