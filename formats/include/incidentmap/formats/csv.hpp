#pragma once

#include <istream>
#include <string>
#include <vector>

namespace incidentmap::incidents {

/// The delimiter of a CSV file from its first line: the most frequent of ',', ';' and tab
/// outside quotes (',' when none). The stream is left where it was; it must be seekable.
char sniff_delimiter(std::istream& in);

/// Reads CSV (RFC 4180: quoted fields, doubled quotes, newlines inside quotes, CRLF, a UTF-8
/// BOM). Each call returns the next record's fields and sets `line` to its first line; false
/// at the end. Bytes that are not UTF-8 are read as Windows-1252.
class CsvReader {
public:
    /// `delimiter`: ',' or, for files from European spreadsheets, ';' (sniff_delimiter tells).
    explicit CsvReader(std::istream& in, char delimiter = ',') : m_in(in), m_delimiter(delimiter) {}
    bool next(std::vector<std::string>& fields, std::size_t& line);

private:
    std::istream& m_in;
    char m_delimiter = ',';
    std::size_t m_line = 1;
    bool m_started = false;
};

} // namespace incidentmap::incidents
