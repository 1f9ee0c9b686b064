// The public face of CQL2 filters: parsing with the limits on untrusted text, evaluation, and
// adding a filter to a query. The language itself lives in the cql2_*.cpp files beside this one.

#include "incidentmap/query/cql2.hpp"

#include "cql2_node.hpp"
#include "cql2_parser.hpp"
#include "incidentmap/error.hpp"

#include <algorithm>

namespace incidentmap::incidents::cql2 {

namespace {

constexpr std::size_t kMaxLength = 4 * 1024 * 1024;

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
