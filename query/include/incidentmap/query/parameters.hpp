#pragma once

// The one table of the parameters that ask for incidents: the REST API, the OGC API's items,
// the command line's export and the OpenAPI documents all read their names, parsers and
// descriptions here, so that they cannot disagree.

#include "incidentmap/query/query.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace incidentmap::incidents {

/// Parameters by name, as a query string, a search body or the command line gives them (the
/// type of httplib::Params).
using ParameterValues = std::multimap<std::string, std::string>;

/// Who reads a parameter (bits).
enum ParameterUse : unsigned {
    rest_use = 1, ///< GET /api/incidents, POST /api/incidents/search, /api/stats, /api/export
    ogc_use = 2,  ///< /ogc/collections/incidents/items
    cli_use = 4,  ///< incidentmap export
};

/// What parsing a parameter needs from the caller.
struct ParameterContext {
    std::size_t max_limit = 10000; ///< the largest page
    /// OGC API - Features: a larger limit is answered with the largest page, not refused
    /// (Part 1, /req/core/fc-limit-response-1); the REST API refuses it.
    bool clamp_limit = false;
    /// Resolves within=country:SPEC ("UA", "Ukraine") or within=admin1:SPEC ("UA.16",
    /// "Mykolaiv Oblast"): kind is "country" or "admin1"; returns {country code, admin1 code}
    /// or nullopt when unknown. Without it, within takes only GeoJSON polygons.
    std::function<std::optional<std::pair<std::string, std::string>>(std::string_view kind,
                                                                     std::string_view spec)>
        region;
};

/// One parameter.
struct QueryParameter {
    std::string_view name = {};
    /// JSON Schema type of its value: string, integer, number, array (a comma-separated list
    /// of numbers, bbox)
    std::string_view type = {};
    std::string_view format = {};      ///< "date", "cql2-text", ... or empty
    std::string_view description = {}; ///< one sentence, for the OpenAPI documents and --help
    unsigned uses = 0;                 ///< ParameterUse bits
    /// Chooses the page of the matches rather than which incidents match (sort, cursor, limit,
    /// offset): the listings take it, /api/stats and /api/export do not.
    bool paging = false;
    /// Further JSON Schema keywords of its value for the OpenAPI documents, as the members of a
    /// JSON object (`"minimum":0`); empty for none.
    std::string_view schema = {};
    /// The values each item of its comma-separated list may take (the event types), for the
    /// documents; nullptr when it takes any.
    std::vector<std::string> (*values)() = nullptr;
    /// Applies the value to the query (called in table order, when the parameter is given);
    /// nullptr for a companion that another one reads (radius_km, filter-lang). Throws
    /// InvalidInput naming the parameter.
    void (*apply)(const std::string& value, const ParameterValues& all,
                  const ParameterContext& context, IncidentQuery& query) = nullptr;
};

/// Every parameter, in the order they are applied (the order in which a request with several
/// bad ones learns of them).
const std::vector<QueryParameter>& query_parameters();

/// The names of the parameters of one use, in the table's order; without the paging ones
/// (sort, cursor, limit, offset) unless `paging`.
std::vector<std::string> parameter_names(ParameterUse use, bool paging = true);

/// `base` with the parameters of `use` applied (others are ignored: checking for unknown ones
/// is the caller's, as it may take more), then validated. `equalities`, CQL2 text made by the
/// caller from further parameters (the OGC API's queryables), is applied just before filter.
/// Throws InvalidInput.
IncidentQuery query_from(const ParameterValues& values, ParameterUse use,
                         const ParameterContext& context, IncidentQuery base,
                         const std::string& equalities = {});

/// The value of a parameter, or nullopt when it is not given.
std::optional<std::string> parameter(const ParameterValues& values, std::string_view name);

/// A whole number in 0..max. Throws InvalidInput naming the parameter otherwise.
std::size_t parse_count(const std::string& value, std::string_view name, std::size_t max);

/// The non-empty items of a comma-separated list.
std::vector<std::string> split_list(const std::string& value);

} // namespace incidentmap::incidents
