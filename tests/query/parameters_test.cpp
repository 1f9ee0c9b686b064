#include "incidentmap/error.hpp"
#include "incidentmap/query/parameters.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace incidentmap;
using incidents::ParameterValues;

namespace {

incidents::IncidentQuery rest(const ParameterValues& v, std::size_t max_limit = 100) {
    incidents::ParameterContext ctx;
    ctx.max_limit = max_limit;
    return incidents::query_from(v, incidents::rest_use, ctx, {});
}

std::string error_of(const ParameterValues& v) {
    try {
        (void)rest(v);
    } catch (const InvalidInput& e) {
        return e.what();
    }
    return "none";
}

} // namespace

TEST(QueryParameters, TheRestApiRefusesALimitAboveTheLargestPageTheOgcApiClampsIt) {
    EXPECT_EQ(rest({{"limit", "50"}}).limit, 50u);
    EXPECT_EQ(error_of({{"limit", "500"}}), "limit must be at most 100");
    EXPECT_EQ(error_of({{"limit", "0"}}), "limit must be at least 1");
    incidents::ParameterContext ogc;
    ogc.max_limit = 100;
    ogc.clamp_limit = true;
    incidents::IncidentQuery base;
    base.limit = 10;
    EXPECT_EQ(incidents::query_from({{"limit", "500"}}, incidents::ogc_use, ogc, base).limit, 100u);
    EXPECT_EQ(incidents::query_from({}, incidents::ogc_use, ogc, base).limit, 10u);
}

// Found by fuzz_http_query: a count above 2^63 was cast to long long (undefined behaviour).
TEST(QueryParameters, AHugeCountIsTooLargeNotUndefined) {
    EXPECT_EQ(error_of({{"limit", "1e300"}}), "limit must be at most 100");
    EXPECT_EQ(error_of({{"offset", "66666600000003097370663998281044"}}).substr(0, 22),
              "offset must be at most");
    EXPECT_EQ(error_of({{"limit", "2.5"}}), "limit must be a whole number");
}

TEST(QueryParameters, EachReadsItsValue) {
    auto q = rest({{"bbox", "30,45,40,50"},
                   {"near", "37.8,48"},
                   {"radius_km", "25"},
                   {"since", "2022-03-01"},
                   {"type", "Battles,Riots"},
                   {"min_fatalities", "3"},
                   {"q", "shelling"},
                   {"sort", "event_date"},
                   {"offset", "20"},
                   {"filter", "fatalities < 10"}});
    ASSERT_TRUE(q.bbox);
    EXPECT_EQ(q.bbox->min_lon, 30);
    ASSERT_TRUE(q.radius_km);
    EXPECT_EQ(*q.radius_km, 25);
    EXPECT_EQ(q.since, "2022-03-01");
    EXPECT_EQ(q.types, (std::vector<std::string>{"Battles", "Riots"}));
    EXPECT_EQ(q.min_fatalities, 3);
    EXPECT_EQ(q.text, "shelling");
    EXPECT_EQ(q.sort, incidents::IncidentQuery::Sort::event_date_asc);
    EXPECT_EQ(q.offset, 20u);
    EXPECT_TRUE(q.predicate);
}

TEST(QueryParameters, CompanionsAndRegionsAreChecked) {
    EXPECT_EQ(error_of({{"radius_km", "5"}}), "radius_km needs near=lon,lat");
    EXPECT_EQ(error_of({{"near", "1,2"}}),
              "near needs radius_km, or sort=distance for the nearest incidents");
    EXPECT_EQ(error_of({{"filter-lang", "cql2-text"}}), "filter-lang and filter-crs need a filter");
    EXPECT_NE(error_of({{"within", "country:UA"}}).find("is neither"), std::string::npos);
    incidents::ParameterContext ctx;
    ctx.region = [](std::string_view kind,
                    std::string_view spec) -> std::optional<std::pair<std::string, std::string>> {
        if (kind == "admin1" && spec == "Mykolaiv Oblast") {
            return std::make_pair(std::string("UA"), std::string("17"));
        }
        return std::nullopt;
    };
    auto q =
        incidents::query_from({{"within", "admin1:Mykolaiv Oblast"}}, incidents::rest_use, ctx, {});
    EXPECT_EQ(q.country, "UA");
    EXPECT_EQ(q.admin1, "17");
}

TEST(QueryParameters, TheFirstBadParameterInTableOrderIsTheOneReported) {
    EXPECT_EQ(error_of({{"sort", "sideways"}, {"bbox", "1,2"}}).find("sort"), std::string::npos);
}

TEST(QueryParameters, OgcDatetimeAndEachApisNames) {
    incidents::ParameterContext ctx;
    auto q = incidents::query_from({{"datetime", "2022-03-01/.."}}, incidents::ogc_use, ctx, {});
    EXPECT_EQ(q.since, "2022-03-01");
    EXPECT_FALSE(q.until);
    EXPECT_THROW((void)incidents::query_from({{"datetime", ".."}}, incidents::ogc_use, ctx, {}),
                 InvalidInput);
    auto ogc = incidents::parameter_names(incidents::ogc_use);
    EXPECT_NE(std::find(ogc.begin(), ogc.end(), "datetime"), ogc.end());
    EXPECT_EQ(std::find(ogc.begin(), ogc.end(), "near"), ogc.end());
    auto cli = incidents::parameter_names(incidents::cli_use);
    EXPECT_EQ(std::find(cli.begin(), cli.end(), "cursor"), cli.end());
    EXPECT_NE(std::find(cli.begin(), cli.end(), "within"), cli.end());
}

TEST(QueryParameters, StatsAndExportTakeTheFiltersWithoutThePagingOnes) {
    const auto filters = incidents::parameter_names(incidents::rest_use, false);
    for (const char* paging : {"sort", "cursor", "limit", "offset"}) {
        EXPECT_EQ(std::find(filters.begin(), filters.end(), paging), filters.end()) << paging;
    }
    for (const char* filter : {"bbox", "near", "q", "filter", "filter-crs"}) {
        EXPECT_NE(std::find(filters.begin(), filters.end(), filter), filters.end()) << filter;
    }
    EXPECT_EQ(incidents::parameter_names(incidents::rest_use).size(), filters.size() + 4);
}

TEST(QueryParameters, TheDocumentedLargestPageIsTheDefaultOne) {
    const auto& table = incidents::query_parameters();
    const auto limit =
        std::find_if(table.begin(), table.end(), [](const auto& p) { return p.name == "limit"; });
    ASSERT_NE(limit, table.end());
    const std::string maximum =
        "\"maximum\":" + std::to_string(incidents::ParameterContext{}.max_limit);
    EXPECT_NE(std::string(limit->schema).find(maximum), std::string::npos) << limit->schema;
}
