#pragma once

// Rows of named text cells, whatever file they come from (CSV, the ACLED API's JSON, a GDAL
// layer): the importer maps them to incidents by their column names, in two passes (the date
// columns' day/month order first, then the rows).

#include "incidentmap/formats/import.hpp"

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace incidentmap::incidents::detail {

/// What a row source hands its rows to.
class RowVisitor {
public:
    virtual ~RowVisitor() = default;
    /// One row, its cells in the order of the source's header (missing ones empty); `line` is
    /// the 1-based line (CSV, JSON) or feature number (GDAL) it starts at, `where` what else
    /// names it in messages ("record 7", "feature 7"; empty for CSV).
    virtual void row(std::vector<std::string>& cells, std::size_t line, std::string_view where) = 0;
    /// A row the source could not read (a short CSV record, a geometry that is no point); the
    /// message names it.
    virtual void error(std::size_t line, const std::string& message) = 0;
};

/// Rows with a header of column names.
class RowSource {
public:
    virtual ~RowSource() = default;
    /// The column names, as the file writes them.
    [[nodiscard]] virtual const std::vector<std::string>& header() const = 0;
    /// Hands every row to `visitor`, from the first; a second call reads them all again.
    /// Throws InvalidInput when the input cannot be read (again).
    virtual void read(RowVisitor& visitor) = 0;
};

/// Imports the rows of a source by the ACLED layout (or UCDP's, `ucdp`): the header checked for
/// what an incident needs (`what` names the format in the message), the date columns' order
/// decided in a first pass, every row mapped, validated and stored in batches in a second.
ImportReport import_rows(IncidentStore& store, RowSource& source, bool ucdp,
                         const ImportOptions& options, const char* what);

/// Windows-1252 bytes → UTF-8, for a cell that is not valid UTF-8 (files mix encodings).
std::string from_cp1252(std::string_view s);

/// The ACLED API's JSON ({"success":true,"count":N,"data":[{...}]}) from a seekable stream,
/// parsed as it streams (no document in memory): the header is the first record's keys, each
/// record a row (strings as they are, numbers as written, null empty; nested values left out),
/// numbered by the line its '{' is on. Throws InvalidInput for JSON that is not such an object
/// (naming the API's own error when it answered one).
class AcledJsonRows : public RowSource {
public:
    explicit AcledJsonRows(std::istream& in);
    [[nodiscard]] const std::vector<std::string>& header() const override { return m_header; }
    void read(RowVisitor& visitor) override;

private:
    std::istream& m_in;
    std::streampos m_start;
    std::vector<std::string> m_header;
};

} // namespace incidentmap::incidents::detail
