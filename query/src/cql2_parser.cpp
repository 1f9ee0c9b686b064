// The boolean structure of a filter (OR, AND, NOT, parentheses, TRUE/FALSE) and its scalar
// predicates: comparisons, LIKE, BETWEEN, IN and IS NULL over properties and literals, with the
// type checks that make a mismatched comparison an error rather than a silent false.

#include "cql2_parser.hpp"

#include <cctype>
#include <cstring>

namespace incidentmap::incidents::cql2::detail {

Parser::Depth::Depth(Parser& parser) : p(parser) {
    if (++p.m_depth > kMaxDepth) {
        p.m_lex.fail("the expression nests more than " + std::to_string(kMaxDepth) +
                     " levels deep");
    }
}

void Parser::count_term(std::size_t at) {
    if (++m_terms > kMaxTerms) {
        m_lex.fail_at(at, "the filter has more than " + std::to_string(kMaxTerms) +
                              " conditions and IN values (the limit)");
    }
}

std::unique_ptr<Node> Parser::parse() {
    auto n = boolean_expr();
    m_lex.skip_space();
    if (!m_lex.at_end()) {
        m_lex.fail("unexpected '" + std::string(m_lex.text().substr(m_lex.pos(), 20)) +
                   "' after a complete expression");
    }
    return n;
}

// --- boolean structure ----------------------------------------------------------------------

std::unique_ptr<Node> Parser::boolean_expr() {
    Depth guard(*this);
    auto first = boolean_term();
    if (m_lex.peek_word() != "OR") {
        return first;
    }
    auto n = std::make_unique<Node>();
    n->kind = Kind::or_;
    n->kids.push_back(std::move(first));
    while (m_lex.accept_word("OR")) {
        n->kids.push_back(boolean_term());
    }
    return n;
}

std::unique_ptr<Node> Parser::boolean_term() {
    auto first = boolean_factor();
    if (m_lex.peek_word() != "AND") {
        return first;
    }
    auto n = std::make_unique<Node>();
    n->kind = Kind::and_;
    n->kids.push_back(std::move(first));
    while (m_lex.accept_word("AND")) {
        n->kids.push_back(boolean_factor());
    }
    return n;
}

std::unique_ptr<Node> Parser::boolean_factor() {
    if (m_lex.accept_word("NOT")) {
        Depth guard(*this);
        auto n = std::make_unique<Node>();
        n->kind = Kind::not_;
        n->kids.push_back(boolean_factor());
        return n;
    }
    return boolean_primary();
}

std::unique_ptr<Node> Parser::boolean_primary() {
    m_lex.skip_space();
    if (m_lex.at_end()) {
        m_lex.fail("expected a condition but the filter ended");
    }
    if (m_lex.accept('(')) {
        auto n = boolean_expr();
        m_lex.expect(')');
        return n;
    }
    count_term(m_lex.pos());
    const std::string w = m_lex.peek_word();
    if (w.rfind("S_", 0) == 0) {
        return spatial_predicate(w);
    }
    if (w.rfind("T_", 0) == 0) {
        return temporal_predicate(w);
    }
    if ((w == "TRUE" || w == "FALSE") && !comparison_follows(w.size())) {
        m_lex.advance(w.size());
        auto n = std::make_unique<Node>();
        n->value = w == "TRUE";
        return n;
    }
    return predicate();
}

// After a TRUE/FALSE keyword, does a comparison operator follow?
bool Parser::comparison_follows(std::size_t len) {
    const std::size_t save = m_lex.pos();
    m_lex.advance(len);
    m_lex.skip_space();
    bool op = !m_lex.at_end() && std::strchr("=<>", m_lex.peek()) != nullptr;
    m_lex.rewind(save);
    return op;
}

// --- scalar predicates ----------------------------------------------------------------------

std::unique_ptr<Node> Parser::predicate() {
    const std::size_t at = m_lex.skip_space();
    Operand a = scalar();
    auto n = std::make_unique<Node>();
    n->a = a;
    const std::size_t op_at = m_lex.skip_space();
    if (m_lex.accept_word("IS")) {
        n->kind = Kind::is_null;
        n->negated = m_lex.accept_word("NOT");
        m_lex.expect_word("NULL");
        return n;
    }
    n->negated = m_lex.accept_word("NOT");
    if (m_lex.accept_word("LIKE")) {
        like_rest(*n, op_at);
    } else if (m_lex.accept_word("BETWEEN")) {
        between_rest(*n, at, op_at);
    } else if (m_lex.accept_word("IN")) {
        in_rest(*n, at);
    } else if (n->negated) {
        m_lex.fail("expected LIKE, BETWEEN or IN after NOT");
    } else {
        comparison_rest(*n, at);
    }
    return n;
}

// The rest of "a [NOT] LIKE b", after LIKE.
void Parser::like_rest(Node& n, std::size_t op_at) {
    n.kind = Kind::like;
    n.b = scalar();
    if (n.a.type() != Type::string || n.b.type() != Type::string) {
        m_lex.fail_at(op_at, "LIKE compares strings");
    }
}

// The rest of "a [NOT] BETWEEN b AND c", after BETWEEN.
void Parser::between_rest(Node& n, std::size_t at, std::size_t op_at) {
    n.kind = Kind::between;
    n.b = scalar();
    m_lex.expect_word("AND");
    n.c = scalar();
    check_types(at, n.a, n.b);
    check_types(at, n.a, n.c);
    if (n.a.type() != Type::number && !temporal(n.a.type())) {
        m_lex.fail_at(op_at, "BETWEEN takes numbers or dates");
    }
}

// The rest of "a [NOT] IN (b, ...)", after IN.
void Parser::in_rest(Node& n, std::size_t at) {
    n.kind = Kind::in;
    m_lex.expect('(');
    do {
        count_term(m_lex.skip_space());
        n.list.push_back(scalar());
        check_types(at, n.a, n.list.back());
    } while (m_lex.accept(','));
    m_lex.expect(')');
}

// The rest of "a <op> b", from the operator on.
void Parser::comparison_rest(Node& n, std::size_t at) {
    n.kind = Kind::compare;
    if (m_lex.accept('=')) {
        n.cmp = Cmp::eq;
    } else if (m_lex.accept('<')) {
        n.cmp = m_lex.accept('>') ? Cmp::ne : m_lex.accept('=') ? Cmp::le : Cmp::lt;
    } else if (m_lex.accept('>')) {
        n.cmp = m_lex.accept('=') ? Cmp::ge : Cmp::gt;
    } else {
        m_lex.fail("expected a comparison (=, <>, <, <=, >, >=), LIKE, BETWEEN, IN or IS NULL");
    }
    n.b = scalar();
    check_types(at, n.a, n.b);
}

// Operands must be of one type; a string literal compared with a temporal property is read as
// a date or timestamp.
void Parser::check_types(std::size_t at, Operand& x, Operand& y) {
    coerce_to_temporal(at, x, y.type());
    coerce_to_temporal(at, y, x.type());
    Type tx = x.type(), ty = y.type();
    if (tx == Type::null || ty == Type::null) {
        m_lex.fail_at(at, "compare with NULL using IS NULL or IS NOT NULL");
    }
    if (tx == ty || (temporal(tx) && temporal(ty))) {
        return;
    }
    std::string what = x.prop ? std::string(x.prop->name) + " is " + type_name(tx)
                              : std::string("the left side is ") + type_name(tx);
    m_lex.fail_at(at, what + " and cannot be compared with " + type_name(ty));
}

// A string literal meeting a date or timestamp becomes one, or the filter is an error.
void Parser::coerce_to_temporal(std::size_t at, Operand& literal, Type want) {
    if (literal.prop || literal.literal.type != Type::string || !temporal(want)) {
        return;
    }
    Value& v = literal.literal;
    // GDAL 3.6's OAPIF driver writes a date as 'YYYY-MM-DDT'.
    if (v.str.size() == 11 && v.str[10] == 'T') {
        v.str.pop_back();
    }
    if (is_iso_date(v.str)) {
        v.type = Type::date;
    } else if (auto t = normalize_timestamp(v.str)) {
        v.type = Type::timestamp;
        v.str = *t;
    } else {
        m_lex.fail_at(at,
                      "'" + v.str.substr(0, 40) + "' is not a date (YYYY-MM-DD) or UTC timestamp");
    }
}

// --- operands -------------------------------------------------------------------------------

Operand Parser::scalar() {
    m_lex.skip_space();
    Operand o;
    if (m_lex.at_end()) {
        m_lex.fail("expected a property or a value but the filter ended");
    }
    const char c = m_lex.peek();
    if (c == '\'') {
        o.literal.type = Type::string;
        o.literal.str = m_lex.string_literal();
        return o;
    }
    if (c == '"') {
        o.prop = property(m_lex.quoted_identifier());
        return o;
    }
    if (c == '-' || c == '+' || c == '.' || std::isdigit(static_cast<unsigned char>(c))) {
        o.literal.type = Type::number;
        o.literal.num = m_lex.number();
        return o;
    }
    const std::string w = m_lex.peek_word();
    if (w.empty()) {
        m_lex.fail("expected a property or a value");
    }
    if (w == "TRUE" || w == "FALSE") {
        m_lex.advance(w.size());
        o.literal.type = Type::boolean;
        o.literal.boolean = w == "TRUE";
        return o;
    }
    if (w == "DATE" || w == "TIMESTAMP") {
        return temporal_literal(w);
    }
    if (w == "NULL") {
        m_lex.fail("compare with NULL using IS NULL or IS NOT NULL");
    }
    return property_operand(w);
}

// DATE('YYYY-MM-DD') or TIMESTAMP('...Z'); the current word is DATE or TIMESTAMP.
Operand Parser::temporal_literal(const std::string& word) {
    Operand o;
    m_lex.advance(word.size());
    m_lex.expect('(');
    const std::size_t at = m_lex.skip_space();
    std::string s = m_lex.string_literal();
    m_lex.expect(')');
    if (word == "DATE") {
        if (!is_iso_date(s)) {
            m_lex.fail_at(at, "DATE takes 'YYYY-MM-DD'");
        }
        o.literal.type = Type::date;
        o.literal.str = s;
    } else {
        auto t = normalize_timestamp(s);
        if (!t) {
            m_lex.fail_at(at, "TIMESTAMP takes a UTC time like '2022-03-29T08:30:00Z'");
        }
        o.literal.type = Type::timestamp;
        o.literal.str = *t;
    }
    return o;
}

// An unquoted property name; the current word is it.
Operand Parser::property_operand(const std::string& word) {
    const std::size_t at = m_lex.pos();
    std::string name(m_lex.text().substr(at, word.size()));
    m_lex.advance(word.size());
    m_lex.skip_space();
    if (!m_lex.at_end() && m_lex.peek() == '(') {
        m_lex.fail_at(at, "unknown function " + name +
                              " (this server supports DATE, TIMESTAMP, INTERVAL, BBOX, the S_ "
                              "spatial and T_ temporal functions)");
    }
    Operand o;
    o.prop = property(name, at);
    return o;
}

// The scalar property of that name; errors point at `at`, else at the current position.
const PropInfo* Parser::property(const std::string& name, std::size_t at) {
    const std::size_t where = at == std::string::npos ? m_lex.pos() : at;
    const PropInfo* p = find_prop(name);
    if (!p) {
        std::string known;
        for (const auto& q : properties()) {
            known += known.empty() ? "" : ", ";
            known += q.name;
        }
        m_lex.fail_at(where,
                      "unknown property '" + name.substr(0, 60) + "'; the queryables are " + known);
    }
    if (p->is_geometry()) {
        m_lex.fail_at(where, "geometry can only be used in the S_ spatial functions");
    }
    return p;
}

} // namespace incidentmap::incidents::cql2::detail
