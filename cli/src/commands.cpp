#include "cli.hpp"

#include <algorithm>
#include <cctype>

namespace incidentmap::cli {

const std::vector<const Command*>& commands() {
    static const std::vector<const Command*> all{
        &serve_command(),   &gazetteer_command(), &geocode_command(), &geoparse_command(),
        &ingest_command(),  &export_command(),    &import_command(),  &migrate_command(),
        &openapi_command(), &token_command(),
    };
    return all;
}

const Command* find_command(std::string_view name) {
    const auto& all = commands();
    auto it =
        std::find_if(all.begin(), all.end(), [&](const Command* c) { return c->name == name; });
    return it == all.end() ? nullptr : *it;
}

namespace {

constexpr std::size_t kColumns = 100;

// Appends `text` wrapped at kColumns, its first line after `first` and the others indented to
// the same column.
void append_wrapped(std::string& out, const std::string& first, std::string_view text) {
    const std::size_t indent = first.size();
    std::size_t column = indent;
    out += first;
    bool line_start = true;
    while (!text.empty()) {
        auto space = text.find(' ');
        std::string_view word = text.substr(0, space);
        text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
        if (!line_start && column + 1 + word.size() > kColumns) {
            out += "\n" + std::string(indent, ' ');
            column = indent;
            line_start = true;
        }
        if (!line_start) {
            out += ' ';
            ++column;
        }
        out += word;
        column += word.size();
        line_start = false;
    }
    out += "\n";
}

} // namespace

std::string help_text(const Command& c) {
    std::string summary(c.summary);
    if (!summary.empty()) {
        summary[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(summary[0])));
    }
    std::string out = "usage: incidentmap " + std::string(c.name) + " " + std::string(c.synopsis) +
                      "\n\n" + summary + ".\n\noptions:\n";
    // Option names padded to one column, as `--name VALUE`.
    std::size_t width = 10;
    for (const auto& o : c.options) {
        width = std::max(width, o.name.size() + o.value.size() + 3);
    }
    auto line = [&](std::string left, const std::string& help) {
        left.resize(width + 2, ' ');
        append_wrapped(out, "  " + left, help);
    };
    for (const auto& o : c.options) {
        std::string left = "--" + std::string(o.name);
        if (!o.value.empty()) {
            left += " " + std::string(o.value);
        }
        line(left, std::string(o.help) + (o.repeats ? " (may be repeated)" : ""));
    }
    line("-h, --help", "this text");
    if (!c.notes.empty()) {
        out += "\n" + std::string(c.notes);
        if (out.back() != '\n') {
            out += "\n";
        }
    }
    return out;
}

} // namespace incidentmap::cli
