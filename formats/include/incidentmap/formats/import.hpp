#pragma once

#include "incidentmap/formats/csv.hpp"
#include "incidentmap/store/store.hpp"
#include "incidentmap/text/dates.hpp"

#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace incidentmap::incidents {

/// Import formats: a GeoJSON FeatureCollection (or GeoJSON text sequence, one Feature per line)
/// with incidentmap's or ACLED's property names, an ACLED CSV export, a UCDP GED CSV file.
enum class ImportFormat { geojson, acled, ucdp };

/// "geojson", "acled", "ucdp". Throws InvalidInput for others.
ImportFormat parse_import_format(const std::string& name);

/// Guesses the format from the first bytes of a file: '{' or '[' → GeoJSON; a CSV header with
/// event_id_cnty → ACLED; with type_of_violence → UCDP. Throws InvalidInput when unsure.
ImportFormat guess_import_format(std::string_view head);

/// A row that could not be imported.
struct ImportError {
    std::size_t line = 0; ///< 1-based line of the row's first character
    std::string message;
};

struct ImportOptions {
    bool strict = false;           ///< any bad row → nothing is written
    bool dry_run = false;          ///< read and check every row, write nothing
    std::size_t batch_size = 5000; ///< rows per transaction
    /// Maps a country name or code of the input to ISO 3166-1 alpha-2 ("" when unknown).
    std::function<std::string(std::string_view)> country_code;
    /// Called after each batch with the rows read so far.
    std::function<void(std::size_t rows)> progress;
    /// The day/month order of numeric dates (--dates); unknown: decided per date column from
    /// all of the file's rows, and a file that does not show it is refused.
    text::DayMonthOrder dates = text::DayMonthOrder::unknown;
};

/// How one date column of a CSV file was read.
struct DateConvention {
    std::string column;
    text::DayMonthOrder order = text::DayMonthOrder::unknown; ///< unknown: no numeric dates
    std::size_t numeric = 0;                                  ///< numeric dates in the column
    std::size_t showing = 0; ///< of them, those whose numbers show the order
    bool given = false;      ///< the order came from ImportOptions::dates
};

/// Rows rejected for one reason (the message with the values it quotes left out).
struct RejectionReason {
    std::string reason;
    std::size_t rows = 0;
    std::vector<std::size_t> first_lines; ///< the first five
};

struct ImportReport {
    std::size_t rows = 0;     ///< data rows or features read
    std::size_t created = 0;  ///< new incidents
    std::size_t updated = 0;  ///< incidents with the same source id, replaced
    std::size_t rejected = 0; ///< rows not imported (errors lists the first 1,000 of them)
    std::vector<ImportError> errors;
    std::vector<DateConvention> dates;    ///< CSV files: how each date column was read
    std::vector<RejectionReason> reasons; ///< every rejected row counted under its reason
    bool written =
        true; ///< false when nothing was written (strict mode found errors, or a dry run)
};

/// Reads incidents and upserts them by source id (event_id_cnty, UCDP "UCDP:<id>", or the
/// GeoJSON source_id): importing the same file twice changes nothing. A bad row is reported
/// with its line and the rest still imports (unless strict). Throws InvalidInput when the file
/// as a whole is unusable (no header, missing required columns, not GeoJSON, a date column
/// whose day/month order its rows do not show or contradict). CSV input is read twice (the
/// date columns first), so `in` must be seekable.
ImportReport import_incidents(IncidentStore& store, std::istream& in, ImportFormat format,
                              const ImportOptions& options = {});

} // namespace incidentmap::incidents
