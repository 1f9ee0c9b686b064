// The ACLED API's JSON as rows, parsed as it streams: a 100 MB answer is never held whole.

#include "rows.hpp"

#include "incidentmap/error.hpp"

#include "incidentmap/text/ascii.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <streambuf>
#include <unordered_map>

namespace incidentmap::incidents::detail {

namespace {

// Passes a stream's bytes through and knows the line of the last byte read (the parser reads
// one byte at a time and tells nothing of where it is).
class LineCountingBuffer : public std::streambuf {
public:
    explicit LineCountingBuffer(std::streambuf* source) : m_source(source) {}

    std::size_t line() {
        m_lines +=
            static_cast<std::size_t>(std::count(m_counted, static_cast<const char*>(gptr()), '\n'));
        m_counted = gptr();
        return m_lines + 1;
    }

protected:
    int_type underflow() override {
        if (gptr() != nullptr) {
            line();
        }
        const auto n =
            m_source->sgetn(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
        if (n <= 0) {
            return traits_type::eof();
        }
        setg(m_buffer.data(), m_buffer.data(), m_buffer.data() + n);
        m_counted = m_buffer.data();
        return traits_type::to_int_type(*gptr());
    }

private:
    std::streambuf* m_source;
    std::array<char, 1 << 16> m_buffer{};
    const char* m_counted = nullptr;
    std::size_t m_lines = 0;
};

// The SAX handler: depth 1 is the top object, 2 its "data" array, 3 a record, deeper a value
// nested in a record (left out).
class Handler {
public:
    using json = nlohmann::json;

    Handler(LineCountingBuffer& buffer, RowVisitor* visitor, std::vector<std::string>& header)
        : m_buffer(buffer), m_visitor(visitor), m_header(header) {
        for (std::size_t k = 0; k < header.size(); ++k) {
            m_index.emplace(text::lower_ascii(header[k]), k);
        }
    }

    bool null() { return scalar(""); }
    bool boolean(bool v) { return scalar(v ? "true" : "false"); }
    bool number_integer(json::number_integer_t v) { return scalar(std::to_string(v)); }
    bool number_unsigned(json::number_unsigned_t v) { return scalar(std::to_string(v)); }
    bool number_float(json::number_float_t /*v*/, const std::string& text) { return scalar(text); }
    bool string(std::string& v) {
        if (!in_data() && (m_key == "message" || m_key == "error") && m_api_error.empty()) {
            m_api_error = v;
        }
        return scalar(std::move(v));
    }
    bool binary(json::binary_t& /*v*/) { return scalar(""); }

    bool start_object(std::size_t /*size*/) {
        ++m_depth;
        if (m_depth == 1) {
            m_object = true;
        } else if (m_depth == 3 && in_data()) {
            ++m_records;
            m_line = m_buffer.line();
            m_cells.assign(m_header.size(), std::string());
            m_cell = npos;
        }
        return true;
    }
    bool key(std::string& k) {
        if (m_depth == 1) {
            m_top_key = k;
        }
        m_key = k;
        if (m_depth == 3 && in_data()) {
            if (m_visitor == nullptr) { // the first record names the columns
                m_header.push_back(k);
                m_index.emplace(text::lower_ascii(k), m_header.size() - 1);
                m_cells.emplace_back();
            }
            auto it = m_index.find(text::lower_ascii(k));
            m_cell = it == m_index.end() ? npos : it->second;
        }
        return true;
    }
    bool end_object() {
        --m_depth;
        if (m_depth == 2 && in_data()) {
            if (m_visitor == nullptr) {
                return false; // the header is known: stop reading
            }
            m_visitor->row(m_cells, m_line, "record " + std::to_string(m_records));
        }
        return true;
    }
    bool start_array(std::size_t /*size*/) {
        ++m_depth;
        if (m_depth == 1) {
            return false; // a top-level array is no API answer: stop reading
        }
        if (m_depth == 2 && m_top_key == "data") {
            m_data = true;
            m_saw_data = true;
        } else if (m_depth == 3 && in_data()) {
            ++m_records;
            not_an_object();
        }
        return true;
    }
    bool end_array() {
        if (m_depth == 2) {
            m_data = false;
        }
        --m_depth;
        return true;
    }
    bool parse_error(std::size_t position, const std::string& /*last_token*/,
                     const nlohmann::detail::exception& e) {
        m_parse_error =
            "the JSON is malformed at byte " + std::to_string(position) + ": " + e.what();
        return false;
    }

    [[nodiscard]] bool object() const { return m_object; }
    [[nodiscard]] bool saw_data() const { return m_saw_data; }
    [[nodiscard]] const std::string& api_error() const { return m_api_error; }
    [[nodiscard]] const std::string& parse_error_message() const { return m_parse_error; }

private:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    [[nodiscard]] bool in_data() const { return m_data; }

    bool scalar(std::string v) {
        if (m_depth == 3 && in_data() && m_cell != npos) {
            m_cells[m_cell] = std::move(v);
        } else if (m_depth == 2 && in_data()) {
            ++m_records;
            not_an_object();
        } else if (m_depth == 0) {
            m_object = false;
            return false;
        }
        return true;
    }

    void not_an_object() {
        if (m_visitor != nullptr) {
            m_visitor->error(m_buffer.line(),
                             "record " + std::to_string(m_records) + " is not a JSON object");
        }
    }

    LineCountingBuffer& m_buffer;
    RowVisitor* m_visitor; // null: reading the header
    std::vector<std::string>& m_header;
    std::unordered_map<std::string, std::size_t> m_index;
    std::vector<std::string> m_cells;
    std::size_t m_cell = npos;
    int m_depth = 0;
    bool m_object = false;
    bool m_data = false;
    bool m_saw_data = false;
    std::size_t m_records = 0;
    std::size_t m_line = 0;
    std::string m_top_key;
    std::string m_key;
    std::string m_api_error;
    std::string m_parse_error;
};

} // namespace

AcledJsonRows::AcledJsonRows(std::istream& in) : m_in(in), m_start(in.tellg()) {
    if (m_start == std::streampos(-1)) {
        throw InvalidInput("the ACLED JSON input cannot be read twice: give a file");
    }
    LineCountingBuffer buffer(m_in.rdbuf());
    std::istream stream(&buffer);
    Handler handler(buffer, nullptr, m_header);
    const bool whole = nlohmann::json::sax_parse(stream, &handler);
    if (!handler.object()) {
        throw InvalidInput("this is not ACLED API JSON: the top level is not an object");
    }
    if (!handler.saw_data()) {
        if (!handler.api_error().empty()) {
            throw InvalidInput("the file is the ACLED API's answer of an error: " +
                               handler.api_error().substr(0, 300));
        }
        throw InvalidInput(handler.parse_error_message().empty()
                               ? "this is not ACLED API JSON: it has no \"data\" array"
                               : handler.parse_error_message());
    }
    if (!whole && !handler.parse_error_message().empty() && m_header.empty()) {
        throw InvalidInput(handler.parse_error_message());
    }
}

void AcledJsonRows::read(RowVisitor& visitor) {
    m_in.clear();
    m_in.seekg(m_start);
    if (!m_in) {
        throw InvalidInput("the ACLED JSON input cannot be read again");
    }
    LineCountingBuffer buffer(m_in.rdbuf());
    std::istream stream(&buffer);
    std::vector<std::string> header = m_header;
    Handler handler(buffer, &visitor, header);
    if (!nlohmann::json::sax_parse(stream, &handler)) {
        visitor.error(buffer.line(), handler.parse_error_message());
    }
    m_in.clear();
}

} // namespace incidentmap::incidents::detail
