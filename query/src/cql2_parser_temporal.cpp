// The temporal functions of a filter (T_AFTER(event_date, <period>) and the other Allen
// relations, either argument first) and their periods: a temporal property, DATE, TIMESTAMP, a
// date or timestamp string, or INTERVAL with ends that may be open ('..').

#include "cql2_parser.hpp"

#include <utility>

namespace incidentmap::incidents::cql2::detail {

std::unique_ptr<Node> Parser::temporal_predicate(const std::string& w) {
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
        m_lex.fail("unknown temporal function " + w);
    }
    m_lex.advance(w.size());
    m_lex.expect('(');
    n->ta = period();
    m_lex.expect(',');
    n->tb = period();
    m_lex.expect(')');
    if (!n->ta.prop && !n->tb.prop) {
        m_lex.fail("one argument of a temporal function must be a property (event_date, "
                   "created, updated)");
    }
    return n;
}

// One end of an INTERVAL: a date, a timestamp or '..' (open: "" as a start, "~" as an end).
std::string Parser::interval_end(bool start) {
    const std::size_t at = m_lex.skip_space();
    std::string s;
    std::string w = m_lex.peek_word();
    if (w == "DATE" || w == "TIMESTAMP") {
        Operand o = scalar();
        s = o.literal.str;
    } else {
        s = m_lex.string_literal();
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
    m_lex.fail_at(at, "an INTERVAL end must be 'YYYY-MM-DD', a UTC timestamp or '..'");
}

Period Parser::period() {
    const std::size_t at = m_lex.skip_space();
    Period p;
    const std::string w = m_lex.peek_word();
    if (w == "INTERVAL") {
        m_lex.advance(w.size());
        m_lex.expect('(');
        p.start = interval_end(true);
        m_lex.expect(',');
        p.end = interval_end(false);
        m_lex.expect(')');
        if (p.end != "~" && p.start > p.end) {
            m_lex.fail_at(at, "the INTERVAL ends before it starts");
        }
        return p;
    }
    Operand o = scalar();
    if (o.prop) {
        if (!temporal(o.prop->type)) {
            m_lex.fail_at(at, std::string(o.prop->name) +
                                  " is not temporal (event_date, created and updated are)");
        }
        p.prop = o.prop;
        return p;
    }
    return literal_period(o, at);
}

// A literal operand as a period: a date is its whole day, a timestamp its instant, and a string
// is read as either.
Period Parser::literal_period(const Operand& o, std::size_t at) {
    Period p;
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
        m_lex.fail_at(at,
                      "expected DATE(...), TIMESTAMP(...), INTERVAL(...) or a temporal property");
    }
    return p;
}

} // namespace incidentmap::incidents::cql2::detail
