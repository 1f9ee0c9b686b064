// CQL2 text filters: the grammar, three-valued logic, LIKE, spatial and temporal relations of a
// point incident, what narrows the store's indexed filters, and clear errors for bad input.

#include "incidentmap/error.hpp"
#include "incidentmap/query/cql2.hpp"

#include <gtest/gtest.h>

namespace {

using namespace incidentmap;
using incidents::Incident;
using incidents::IncidentQuery;
using incidents::cql2::Filter;

Incident mykolaiv() {
    Incident i;
    i.id = 4;
    i.point = {31.99296, 46.97625};
    i.event_date = "2022-03-29";
    i.event_type = "Explosions/Remote violence";
    i.sub_event_type = "Shelling/artillery/missile attack";
    i.country = "UA";
    i.admin1 = "17";
    i.location = "Mykolayiv";
    i.geonameid = 700569;
    i.fatalities = 3;
    i.injured = 22;
    i.actor1 = "Military Forces of Russia";
    i.confidence = 0.8;
    i.created = "2022-03-29T12:00:00Z";
    i.updated = "2022-03-29T12:30:00Z";
    return i;
}

bool holds(const std::string& text, const Incident& i = mykolaiv()) {
    return Filter::parse(text)(i);
}

std::string error_of(const std::string& text) {
    try {
        Filter::parse(text);
    } catch (const InvalidInput& e) {
        return e.what();
    }
    return "";
}

TEST(Cql2, ComparisonsAndBooleanLogic) {
    EXPECT_TRUE(holds("fatalities = 3"));
    EXPECT_TRUE(holds("fatalities > 2 AND injured >= 22"));
    EXPECT_FALSE(holds("fatalities > 3"));
    EXPECT_TRUE(holds("fatalities < 1 OR location = 'Mykolayiv'"));
    EXPECT_TRUE(holds("NOT (fatalities <> 3)"));
    EXPECT_TRUE(holds("3 = fatalities"));                             // literal first
    EXPECT_TRUE(holds("country='UA'and(admin1='17'or admin1='16')")); // spacing, case
    EXPECT_TRUE(holds("\"location\" = 'Mykolayiv'"));                 // quoted property
    EXPECT_TRUE(holds("TRUE"));
    EXPECT_FALSE(holds("NOT TRUE"));
    EXPECT_TRUE(holds("confidence >= 0.75"));
    EXPECT_TRUE(holds("geonameid = 700569"));
    EXPECT_TRUE(holds("actor1 = 'Military Forces of Russia'"));
    EXPECT_TRUE(holds("location = 'Mykolayiv' AND NOT location = 'O''Brien'"));
    // AND binds tighter than OR
    EXPECT_TRUE(holds("fatalities = 0 AND injured = 0 OR fatalities = 3"));
    EXPECT_FALSE(holds("fatalities = 0 AND (injured = 0 OR fatalities = 3)"));
}

TEST(Cql2, NullsAreUnknownAndUnknownDoesNotSelect) {
    Incident i = mykolaiv();
    i.geonameid.reset();
    EXPECT_TRUE(holds("geonameid IS NULL", i));
    EXPECT_FALSE(holds("geonameid IS NOT NULL", i));
    EXPECT_FALSE(holds("geonameid = 1", i));
    EXPECT_FALSE(holds("NOT (geonameid = 1)", i)) << "NOT unknown is unknown";
    EXPECT_TRUE(holds("geonameid = 1 OR fatalities = 3", i)) << "unknown OR true";
    EXPECT_FALSE(holds("geonameid = 1 AND fatalities = 3", i));
    EXPECT_TRUE(holds("event_time IS NULL", i));
    EXPECT_FALSE(holds("geonameid IS NULL"));
}

TEST(Cql2, LikeBetweenIn) {
    EXPECT_TRUE(holds("location LIKE 'Myk%'"));
    EXPECT_TRUE(holds("location LIKE '%ayiv'"));
    EXPECT_TRUE(holds("location LIKE 'Myk_layiv'"));
    EXPECT_FALSE(holds("location LIKE 'myk%'")) << "case-sensitive";
    EXPECT_TRUE(holds("location NOT LIKE 'Kyiv%'"));
    EXPECT_TRUE(holds("event_type LIKE 'Explosions/%'"));
    Incident kyiv = mykolaiv();
    kyiv.location = "Київ";
    EXPECT_TRUE(holds("location LIKE 'Ки_в'", kyiv)) << "_ is one code point, not one byte";
    kyiv.location = "50%";
    EXPECT_TRUE(holds("location LIKE '50\\%'", kyiv));
    EXPECT_FALSE(holds("location LIKE '5\\%'", kyiv));
    EXPECT_TRUE(holds("fatalities BETWEEN 1 AND 3"));
    EXPECT_FALSE(holds("fatalities NOT BETWEEN 1 AND 3"));
    EXPECT_TRUE(holds("event_date BETWEEN DATE('2022-03-01') AND DATE('2022-03-31')"));
    EXPECT_TRUE(holds("country IN ('RU', 'UA')"));
    EXPECT_FALSE(holds("country NOT IN ('RU', 'UA')"));
    EXPECT_TRUE(holds("fatalities IN (1, 2, 3)"));
}

TEST(Cql2, SpatialRelationsOfAPoint) {
    EXPECT_TRUE(holds("S_INTERSECTS(geometry, BBOX(30, 46, 33, 48))"));
    EXPECT_TRUE(holds("S_INTERSECTS(BBOX(30, 46, 33, 48), geometry)"));
    EXPECT_TRUE(holds("s_intersects(geometry, bbox(30, 46, 0, 33, 48, 100))")); // 6 numbers
    EXPECT_FALSE(holds("S_INTERSECTS(geometry, BBOX(170, -10, -170, 10))"));
    EXPECT_TRUE(holds("S_DISJOINT(geometry, BBOX(170, -10, -170, 10))"));
    const std::string square = "POLYGON((31 46, 33 46, 33 48, 31 48, 31 46))";
    EXPECT_TRUE(holds("S_INTERSECTS(geometry, " + square + ")"));
    EXPECT_TRUE(holds("S_WITHIN(geometry, " + square + ")"));
    EXPECT_TRUE(holds("S_CONTAINS(" + square + ", geometry)"));
    EXPECT_FALSE(holds("S_CONTAINS(geometry, " + square + ")"));
    EXPECT_FALSE(holds("S_TOUCHES(geometry, " + square + ")"));
    // A hole around the point
    EXPECT_FALSE(holds("S_INTERSECTS(geometry, POLYGON((30 45, 34 45, 34 49, 30 49, 30 45), "
                       "(31.9 46.9, 32.1 46.9, 32.1 47.1, 31.9 47.1, 31.9 46.9)))"));
    EXPECT_TRUE(holds("S_INTERSECTS(geometry, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), " +
                      square.substr(7) + "))"));
    // On the boundary: intersects and touches, not within
    Incident edge = mykolaiv();
    edge.point = {33, 47};
    EXPECT_TRUE(holds("S_INTERSECTS(geometry, " + square + ")", edge));
    EXPECT_TRUE(holds("S_TOUCHES(geometry, " + square + ")", edge));
    EXPECT_FALSE(holds("S_WITHIN(geometry, " + square + ")", edge));
    EXPECT_TRUE(holds("S_EQUALS(geometry, POINT(31.99296 46.97625))"));
    EXPECT_TRUE(holds("S_INTERSECTS(geometry, MULTIPOINT((0 0), (31.99296 46.97625)))"));
    EXPECT_TRUE(holds("S_INTERSECTS(geometry, LINESTRING(31 46.97625, 33 46.97625))"));
    EXPECT_TRUE(
        holds("S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT(0 0), POLYGON((31 46, 33 46, 33 "
              "48, 31 48, 31 46))))"));
    EXPECT_FALSE(holds("S_CROSSES(geometry, LINESTRING(31 46.97625, 33 46.97625))"));
}

TEST(Cql2, TemporalRelationsOfTheEventDay) {
    EXPECT_TRUE(holds("T_INTERSECTS(event_date, DATE('2022-03-29'))"));
    EXPECT_TRUE(holds("T_EQUALS(event_date, DATE('2022-03-29'))"));
    EXPECT_TRUE(holds("T_INTERSECTS(event_date, TIMESTAMP('2022-03-29T10:00:00Z'))"));
    EXPECT_TRUE(holds("T_INTERSECTS(event_date, INTERVAL('2022-03-01', '2022-03-31'))"));
    EXPECT_TRUE(holds("T_INTERSECTS(event_date, INTERVAL('2022-03-29', '..'))"));
    EXPECT_TRUE(holds("T_INTERSECTS(event_date, INTERVAL('..', '2022-03-29'))"));
    EXPECT_FALSE(holds("T_INTERSECTS(event_date, INTERVAL('2022-03-30', '..'))"));
    EXPECT_TRUE(holds("T_DURING(event_date, INTERVAL('2022-03-01', '2022-03-31'))"));
    EXPECT_FALSE(holds("T_DURING(event_date, INTERVAL('2022-03-29', '2022-03-31'))"));
    EXPECT_TRUE(holds("T_STARTS(event_date, INTERVAL('2022-03-29', '2022-03-31'))"));
    EXPECT_TRUE(holds("T_FINISHES(event_date, INTERVAL('2022-03-01', '2022-03-29'))"));
    EXPECT_TRUE(holds("T_BEFORE(event_date, DATE('2022-03-30'))"));
    EXPECT_FALSE(holds("T_BEFORE(event_date, DATE('2022-03-29'))"));
    EXPECT_TRUE(holds("T_AFTER(event_date, DATE('2022-03-28'))"));
    EXPECT_TRUE(holds("T_CONTAINS(INTERVAL('2022-03-01', '2022-03-31'), event_date)"));
    EXPECT_TRUE(holds("T_DISJOINT(event_date, INTERVAL('2022-04-01', '..'))"));
    EXPECT_TRUE(holds("T_AFTER(updated, created)"));
    EXPECT_TRUE(holds("T_DURING(created, INTERVAL('2022-03-29T11:00:00Z', "
                      "'2022-03-29T13:00:00.5Z'))"));
    // comparisons with dates, and strings read as dates
    EXPECT_TRUE(holds("event_date >= DATE('2022-03-29')"));
    EXPECT_TRUE(holds("event_date > '2022-03-28'"));
    EXPECT_TRUE(holds("created < TIMESTAMP('2022-03-29T12:00:01Z')"));
    EXPECT_TRUE(holds("created > DATE('2022-03-29')")) << "noon is after the day's start";
}

TEST(Cql2, NarrowsTheIndexedFiltersOnlyByWhatEveryMatchSatisfies) {
    IncidentQuery q;
    Filter::parse("S_INTERSECTS(geometry, BBOX(30, 46, 33, 48)) AND event_date >= "
                  "DATE('2022-03-01') AND T_BEFORE(event_date, DATE('2022-04-01')) AND "
                  "event_type IN ('Battles', 'Riots') AND fatalities > 2 AND country = 'UA'")
        .apply_to(q);
    ASSERT_TRUE(q.bbox);
    EXPECT_EQ(q.bbox->min_lon, 30);
    EXPECT_EQ(q.since, "2022-03-01");
    EXPECT_EQ(q.until, "2022-04-01");
    EXPECT_EQ(q.types, (std::vector<std::string>{"Battles", "Riots"}));
    EXPECT_EQ(q.min_fatalities, 3);
    EXPECT_EQ(q.country, "UA");
    ASSERT_TRUE(q.predicate);

    IncidentQuery o; // OR and NOT narrow nothing
    Filter::parse("fatalities > 2 OR event_type = 'Battles'").apply_to(o);
    Filter::parse("NOT S_INTERSECTS(geometry, BBOX(30, 46, 33, 48))").apply_to(o);
    EXPECT_FALSE(o.bbox);
    EXPECT_FALSE(o.min_fatalities);
    EXPECT_TRUE(o.types.empty());
    ASSERT_TRUE(o.predicate);
    Incident i = mykolaiv();
    EXPECT_FALSE(o.predicate(i)) << "both filters apply";

    IncidentQuery c; // a filter no date satisfies selects nothing, it is not an error
    Filter::parse("event_date > DATE('2022-03-10') AND event_date < DATE('2022-03-01')")
        .apply_to(c);
    EXPECT_FALSE(c.since && c.until && *c.since > *c.until);
    EXPECT_NO_THROW(incidents::validate(c));

    IncidentQuery given; // narrowing only tightens what the caller gave
    given.since = "2022-03-20";
    Filter::parse("event_date >= DATE('2022-03-01')").apply_to(given);
    EXPECT_EQ(given.since, "2022-03-20");
}

TEST(Cql2, BadFiltersAreClearErrors) {
    EXPECT_NE(error_of("").find("empty"), std::string::npos);
    EXPECT_NE(error_of("fatalities >").find("at character 13"), std::string::npos);
    EXPECT_NE(error_of("fatalities = 'three'").find("fatalities is a number"), std::string::npos);
    EXPECT_NE(error_of("deaths > 1").find("unknown property 'deaths'"), std::string::npos);
    EXPECT_NE(error_of("fatalities > 1 fatalities").find("after a complete expression"),
              std::string::npos);
    EXPECT_NE(error_of("location = 'open").find("unterminated string"), std::string::npos);
    EXPECT_NE(error_of("fatalities = NULL").find("IS NULL"), std::string::npos);
    EXPECT_NE(error_of("S_INTERSECTS(geometry, BBOX(1, 2, 3))").find("BBOX takes 4"),
              std::string::npos);
    EXPECT_NE(error_of("S_INTERSECTS(geometry, POINT(200 10))").find("longitude"),
              std::string::npos);
    EXPECT_NE(error_of("S_INTERSECTS(geometry, POINT(nan 10))").find("not a finite number"),
              std::string::npos);
    EXPECT_NE(error_of("S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1)))").find("ring"),
              std::string::npos);
    EXPECT_NE(error_of("S_INTERSECTS(geometry, geometry)").find("not with itself"),
              std::string::npos);
    EXPECT_NE(error_of("S_FOO(geometry, POINT(0 0))").find("unknown spatial function"),
              std::string::npos);
    EXPECT_NE(error_of("T_INTERSECTS(event_date, DATE('2022-02-30'))").find("DATE takes"),
              std::string::npos);
    EXPECT_NE(error_of("T_INTERSECTS(event_date, INTERVAL('2022-03-02', '2022-03-01'))")
                  .find("ends before it starts"),
              std::string::npos);
    EXPECT_NE(error_of("T_INTERSECTS(fatalities, DATE('2022-03-01'))").find("not temporal"),
              std::string::npos);
    EXPECT_NE(error_of("event_date > 'yesterday'").find("not a date"), std::string::npos);
    EXPECT_NE(error_of("created > TIMESTAMP('2022-03-01T10:00:00+02:00')").find("UTC"),
              std::string::npos);
    EXPECT_NE(error_of("upper(location) = 'X'").find("unknown function"), std::string::npos);
    EXPECT_NE(error_of("geometry = 1").find("spatial functions"), std::string::npos);
    EXPECT_NE(error_of(std::string(100, '(') + "TRUE" + std::string(100, ')')).find("nests"),
              std::string::npos);
    // SQL is not CQL2, and nothing in a string is executed
    EXPECT_NE(error_of("1=1; DROP TABLE incidents").find("after a complete expression"),
              std::string::npos);
    EXPECT_FALSE(holds("location = ''' OR 1=1 --'"));
    // 100,001 vertices
    std::string big = "S_INTERSECTS(geometry, MULTIPOINT(";
    for (int k = 0; k <= 100000; ++k) {
        big += k ? ", 1 1" : "1 1";
    }
    big += "))";
    EXPECT_NE(error_of(big).find("too many vertices"), std::string::npos);
    // invalid UTF-8 inside a string literal is just an unequal string
    EXPECT_FALSE(holds("location = '\xff\xfe'"));
}

// A chain of conditions is capped (1,000 conditions and IN values together) with an error that
// names the limit: evaluation costs every candidate row a visit to each condition, so an 800 KB
// chain of ORs would hold a server's worker for many seconds.
TEST(Cql2, LongAndOrChainsAreCappedWithAClearError) {
    auto chain = [](int n, const char* op) {
        std::string f;
        for (int k = n - 1; k >= 0; --k) { // the last condition is the one that holds
            f += "fatalities = " + std::to_string(k + 3) + (k ? std::string(" ") + op + " " : "");
        }
        return f;
    };
    EXPECT_TRUE(holds(chain(1000, "OR")));
    EXPECT_FALSE(holds(chain(1000, "AND")));
    EXPECT_NE(error_of(chain(1001, "OR")).find("more than 1000 conditions"), std::string::npos);
    EXPECT_NE(error_of(chain(1001, "AND")).find("more than 1000 conditions"), std::string::npos);
    EXPECT_NE(error_of(chain(40000, "OR")).find("(the limit)"), std::string::npos);
    // nested in parentheses and NOTs, the conditions count all the same
    std::string nested = "(" + chain(600, "OR") + ") AND NOT (" + chain(401, "AND") + ")";
    EXPECT_NE(error_of(nested).find("more than 1000 conditions"), std::string::npos);
    // IN lists count their values (here 1,000 and the IN itself)
    std::string in = "fatalities IN (";
    for (int k = 0; k < 1000; ++k) {
        in += (k ? ", " : "") + std::to_string(k);
    }
    EXPECT_NE(error_of(in + ")").find("more than 1000 conditions"), std::string::npos);
    EXPECT_TRUE(holds("fatalities IN (1, 2, 3)"));
}

} // namespace
