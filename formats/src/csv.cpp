// CSV as spreadsheets and data portals write it: RFC 4180 quoting, CRLF, a UTF-8 BOM, ',' ';'
// or tab between fields, Windows-1252 bytes among the UTF-8.

#include "incidentmap/formats/csv.hpp"
#include "import/rows.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/text/utf8.hpp"

#include <array>
#include <string>

namespace incidentmap::incidents {

namespace detail {

std::string from_cp1252(std::string_view s) {
    static const std::array<char16_t, 32> high = {
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
    std::string out;
    out.reserve(s.size() + 8);
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        char32_t cp = c;
        if (c >= 0x80 && c < 0xA0) {
            cp = high[c - 0x80];
        }
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }
    return out;
}

} // namespace detail

char sniff_delimiter(std::istream& in) {
    const auto start = in.tellg();
    std::size_t counts[3] = {0, 0, 0}; // ',' ';' '\t'
    bool quoted = false;
    for (int c = in.get(); c != std::char_traits<char>::eof(); c = in.get()) {
        if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && c == '\n') {
            break;
        } else if (!quoted) {
            counts[0] += c == ',';
            counts[1] += c == ';';
            counts[2] += c == '\t';
        }
    }
    in.clear();
    in.seekg(start);
    if (counts[1] > counts[0] && counts[1] >= counts[2]) {
        return ';';
    }
    return counts[2] > counts[0] ? '\t' : ',';
}

bool CsvReader::next(std::vector<std::string>& fields, std::size_t& line) {
    if (!m_started) {
        m_started = true;
        if (m_in.peek() == 0xEF) {
            char bom[3];
            m_in.read(bom, 3);
            if (std::string_view(bom, 3) != "\xEF\xBB\xBF") {
                m_in.seekg(0);
            }
        }
    }
    // Bytes straight from the buffer: a million rows are some 300 million of them.
    std::streambuf& in = *m_in.rdbuf();
    constexpr int eof = std::char_traits<char>::eof();
    // Skip blank lines between records.
    for (int c = in.sgetc(); c == '\n' || c == '\r'; c = in.sgetc()) {
        if (in.sbumpc() == '\n') {
            ++m_line;
        }
    }
    if (in.sgetc() == eof) {
        fields.clear();
        return false;
    }
    line = m_line;
    // The fields' strings are reused from row to row (their capacity kept).
    std::size_t n = 0;
    auto field = [&]() -> std::string& {
        if (n == fields.size()) {
            fields.emplace_back();
        }
        return fields[n];
    };
    field().clear();
    bool quoted = false;
    bool was_quoted = false;
    auto push = [&] {
        std::string& f = fields[n];
        if (!text::is_valid_utf8(f)) {
            f = detail::from_cp1252(f);
        }
        ++n;
        field().clear();
        was_quoted = false;
    };
    auto finish = [&] {
        push();
        fields.resize(n);
    };
    for (;;) {
        const int c = in.sbumpc();
        if (c == eof) {
            if (quoted) {
                throw InvalidInput("line " + std::to_string(line) +
                                   ": a quoted field is not closed before the end of the file");
            }
            finish();
            return true;
        }
        std::string& f = fields[n];
        if (quoted) {
            if (c == '"') {
                if (in.sgetc() == '"') {
                    in.sbumpc();
                    f.push_back('"');
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') {
                    ++m_line;
                }
                f.push_back(static_cast<char>(c));
            }
            continue;
        }
        if (c == '"' && f.empty() && !was_quoted) {
            quoted = true;
            was_quoted = true;
        } else if (c == m_delimiter) {
            push();
        } else if (c == '\r' && in.sgetc() == '\n') {
            continue;
        } else if (c == '\n') {
            ++m_line;
            finish();
            return true;
        } else {
            f.push_back(static_cast<char>(c));
        }
    }
}

} // namespace incidentmap::incidents
