#pragma once

// The recursive-descent parser of cql2-text (OGC 21-065 Annex B, the parts this server serves).
// Its rules are split by concern: boolean structure and scalar predicates in cql2_parser.cpp,
// spatial functions and geometry literals in cql2_parser_spatial.cpp, temporal functions and
// intervals in cql2_parser_temporal.cpp. Internal to the query module.

#include "cql2_lexer.hpp"
#include "cql2_node.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace incidentmap::incidents::cql2::detail {

/// The deepest nesting of parentheses and NOTs a filter may have.
constexpr std::size_t kMaxDepth = 64;
/// The most positions all geometry literals of a filter may have together.
constexpr std::size_t kMaxVertices = 100000;
/// The most conditions (comparisons, LIKE, BETWEEN, IN, IS NULL, spatial and temporal
/// predicates, TRUE and FALSE) and IN list values a filter may have together. Evaluation costs
/// a few tenths of a microsecond a condition for every candidate row, so an unbounded chain of
/// ORs (an 800 KB filter is 40,000 conditions) would hold a worker for many seconds; a filter a
/// person or a GIS client writes has far fewer.
constexpr std::size_t kMaxTerms = 1000;

/// Parses one filter. Not thread-safe; one per parse.
class Parser {
public:
    /// Reads `text`, which must outlive the parser.
    explicit Parser(std::string_view text) : m_lex(text) {}

    /// The whole text as one boolean expression. Throws InvalidInput naming the character
    /// position and what was expected there.
    std::unique_ptr<Node> parse();

private:
    // Counts one level of nesting for as long as it lives; throws beyond kMaxDepth.
    struct Depth {
        Parser& p;
        explicit Depth(Parser& parser);
        ~Depth() { --p.m_depth; }
        Depth(const Depth&) = delete;
        Depth& operator=(const Depth&) = delete;
    };

    // Counts one condition or IN value at byte offset `at`; throws beyond kMaxTerms.
    void count_term(std::size_t at);

    // boolean structure (cql2_parser.cpp)
    std::unique_ptr<Node> boolean_expr();
    std::unique_ptr<Node> boolean_term();
    std::unique_ptr<Node> boolean_factor();
    std::unique_ptr<Node> boolean_primary();
    bool comparison_follows(std::size_t len);

    // scalar predicates and operands (cql2_parser.cpp)
    std::unique_ptr<Node> predicate();
    void like_rest(Node& n, std::size_t op_at);
    void between_rest(Node& n, std::size_t at, std::size_t op_at);
    void in_rest(Node& n, std::size_t at);
    void comparison_rest(Node& n, std::size_t at);
    void check_types(std::size_t at, Operand& x, Operand& y);
    void coerce_to_temporal(std::size_t at, Operand& literal, Type want);
    Operand scalar();
    Operand temporal_literal(const std::string& word);
    Operand property_operand(const std::string& word);
    const PropInfo* property(const std::string& name, std::size_t at = std::string::npos);

    // spatial functions and geometry literals (cql2_parser_spatial.cpp)
    std::unique_ptr<Node> spatial_predicate(const std::string& w);
    bool geometry_property();
    geo::LonLat position();
    std::vector<geo::LonLat> position_list();
    geo::LineString linestring_text(std::size_t at);
    geo::Polygon polygon_text();
    void multipoint_text(geo::GeometryCollection& g);
    geo::BBox bbox_text(std::size_t at);
    void geometry_into(geo::GeometryCollection& g, std::size_t depth);
    geo::GeometryCollection geometry_literal();

    // temporal functions and intervals (cql2_parser_temporal.cpp)
    std::unique_ptr<Node> temporal_predicate(const std::string& w);
    std::string interval_end(bool start);
    Period period();
    Period literal_period(const Operand& o, std::size_t at);

    Lexer m_lex;
    std::size_t m_depth = 0;
    std::size_t m_vertices = 0;
    std::size_t m_terms = 0;
};

} // namespace incidentmap::incidents::cql2::detail
