// The spatial functions of a filter (S_INTERSECTS(geometry, <literal>) and the like, either
// argument first) and their geometry literals in CRS84 well-known text: POINT, MULTIPOINT,
// LINESTRING, MULTILINESTRING, POLYGON, MULTIPOLYGON, GEOMETRYCOLLECTION and BBOX.

#include "cql2_parser.hpp"

#include <cctype>
#include <utility>

namespace incidentmap::incidents::cql2::detail {

std::unique_ptr<Node> Parser::spatial_predicate(const std::string& w) {
    using geo::SpatialRelation;
    static const std::pair<const char*, SpatialRelation> ops[] = {
        {"S_INTERSECTS", SpatialRelation::intersects}, {"S_DISJOINT", SpatialRelation::disjoint},
        {"S_EQUALS", SpatialRelation::equals},         {"S_WITHIN", SpatialRelation::within},
        {"S_CONTAINS", SpatialRelation::contains},     {"S_TOUCHES", SpatialRelation::touches},
        {"S_CROSSES", SpatialRelation::crosses},       {"S_OVERLAPS", SpatialRelation::overlaps}};
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
        m_lex.fail("unknown spatial function " + w +
                   " (S_INTERSECTS, S_DISJOINT, S_EQUALS, S_WITHIN, S_CONTAINS, S_TOUCHES, "
                   "S_CROSSES, S_OVERLAPS)");
    }
    m_lex.advance(w.size());
    m_lex.expect('(');
    bool first_is_property = geometry_property();
    if (!first_is_property) {
        n->shape = geometry_literal();
    }
    m_lex.expect(',');
    bool second_is_property = geometry_property();
    if (first_is_property == second_is_property) {
        m_lex.fail(first_is_property
                       ? "compare geometry with a geometry literal, not with itself"
                       : "one argument of a spatial function must be the property geometry");
    }
    if (!second_is_property) {
        n->shape = geometry_literal();
    }
    n->shape_first = !first_is_property;
    m_lex.expect(')');
    return n;
}

// Consumes the property geometry (bare or quoted) when it comes next.
bool Parser::geometry_property() {
    m_lex.skip_space();
    if (!m_lex.at_end() && m_lex.peek() == '"') {
        const std::size_t save = m_lex.pos();
        std::string name = m_lex.quoted_identifier();
        if (name == "geometry") {
            return true;
        }
        m_lex.rewind(save);
        m_lex.fail("the only spatial property is geometry");
    }
    std::string w = m_lex.peek_word();
    if (w == "GEOMETRY") {
        m_lex.advance(w.size());
        return true;
    }
    return false;
}

// "lon lat [height]", checked to be in range and counted against kMaxVertices.
geo::LonLat Parser::position() {
    const std::size_t at = m_lex.skip_space();
    double lon = m_lex.number();
    double lat = m_lex.number();
    m_lex.skip_space();
    if (!m_lex.at_end() && (std::isdigit(static_cast<unsigned char>(m_lex.peek())) ||
                            m_lex.peek() == '-' || m_lex.peek() == '+' || m_lex.peek() == '.')) {
        m_lex.number(); // an elevation is allowed and ignored
    }
    geo::LonLat p{lon, lat};
    if (!p.valid()) {
        m_lex.fail_at(at, "coordinates must be longitude in [-180, 180] then latitude in "
                          "[-90, 90] (CRS84)");
    }
    if (++m_vertices > kMaxVertices) {
        m_lex.fail_at(at, "too many vertices (the limit is " + std::to_string(kMaxVertices) + ")");
    }
    return p;
}

// "(position, ...)"
std::vector<geo::LonLat> Parser::position_list() {
    m_lex.expect('(');
    std::vector<geo::LonLat> out;
    do {
        out.push_back(position());
    } while (m_lex.accept(','));
    m_lex.expect(')');
    return out;
}

// A line's position list; errors point at `at`, where its geometry began.
geo::LineString Parser::linestring_text(std::size_t at) {
    auto line = position_list();
    if (line.size() < 2) {
        m_lex.fail_at(at, "a linestring needs at least two positions");
    }
    return line;
}

// "((ring), (hole), ...)", each ring closed.
geo::Polygon Parser::polygon_text() {
    geo::Polygon poly;
    m_lex.expect('(');
    do {
        const std::size_t at = m_lex.skip_space();
        auto ring = position_list();
        if (ring.size() < 4 || !(ring.front() == ring.back())) {
            m_lex.fail_at(at, "a polygon ring needs at least four positions, the last equal to "
                              "the first");
        }
        poly.rings.push_back(std::move(ring));
    } while (m_lex.accept(','));
    m_lex.expect(')');
    return poly;
}

// "((x y), (x y))" or, as many writers have it, "(x y, x y)".
void Parser::multipoint_text(geo::GeometryCollection& g) {
    m_lex.expect('(');
    do {
        if (m_lex.accept('(')) {
            g.points.push_back(position());
            m_lex.expect(')');
        } else {
            g.points.push_back(position());
        }
    } while (m_lex.accept(','));
    m_lex.expect(')');
}

// "(west, south, east, north)" or with heights "(west, south, low, east, north, high)".
geo::BBox Parser::bbox_text(std::size_t at) {
    m_lex.expect('(');
    std::vector<double> v;
    do {
        v.push_back(m_lex.number());
    } while (m_lex.accept(',') && v.size() < 7);
    m_lex.expect(')');
    geo::BBox b;
    if (v.size() == 4) {
        b = {v[0], v[1], v[2], v[3]};
    } else if (v.size() == 6) {
        b = {v[0], v[1], v[3], v[4]};
    } else {
        m_lex.fail_at(at, "BBOX takes 4 numbers (west, south, east, north) or 6 with heights");
    }
    if (!b.valid()) {
        m_lex.fail_at(at, "BBOX must be west, south, east, north in CRS84 with south <= north");
    }
    return b;
}

// One geometry literal, its members added to g (a collection's members too, flattened).
void Parser::geometry_into(geo::GeometryCollection& g, std::size_t depth) {
    if (depth > 8) {
        m_lex.fail("geometry collections nest too deep");
    }
    const std::size_t at = m_lex.skip_space();
    const std::string w = m_lex.peek_word();
    if (w.empty()) {
        m_lex.fail("expected a geometry: POINT, MULTIPOINT, LINESTRING, MULTILINESTRING, "
                   "POLYGON, MULTIPOLYGON, GEOMETRYCOLLECTION or BBOX");
    }
    m_lex.advance(w.size());
    if (w == "POINT") {
        m_lex.expect('(');
        g.points.push_back(position());
        m_lex.expect(')');
    } else if (w == "MULTIPOINT") {
        multipoint_text(g);
    } else if (w == "LINESTRING") {
        g.lines.push_back(linestring_text(at));
    } else if (w == "MULTILINESTRING") {
        m_lex.expect('(');
        do {
            g.lines.push_back(linestring_text(at));
        } while (m_lex.accept(','));
        m_lex.expect(')');
    } else if (w == "POLYGON") {
        g.polygons.push_back(polygon_text());
    } else if (w == "MULTIPOLYGON") {
        m_lex.expect('(');
        do {
            g.polygons.push_back(polygon_text());
        } while (m_lex.accept(','));
        m_lex.expect(')');
    } else if (w == "GEOMETRYCOLLECTION") {
        m_lex.expect('(');
        do {
            geometry_into(g, depth + 1);
        } while (m_lex.accept(','));
        m_lex.expect(')');
    } else if (w == "BBOX") {
        g.boxes.push_back(bbox_text(at));
    } else {
        m_lex.fail_at(at, "unknown geometry " + w.substr(0, 30) +
                              " (POINT, MULTIPOINT, LINESTRING, MULTILINESTRING, POLYGON, "
                              "MULTIPOLYGON, GEOMETRYCOLLECTION, BBOX)");
    }
}

geo::GeometryCollection Parser::geometry_literal() {
    geo::GeometryCollection g;
    geometry_into(g, 0);
    return g;
}

} // namespace incidentmap::incidents::cql2::detail
