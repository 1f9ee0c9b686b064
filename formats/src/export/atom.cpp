#include "incidentmap/formats/atom.hpp"

#include <algorithm>
#include <string_view>

namespace incidentmap::incidents {

namespace {

// Text as XML character data: markup escaped, and the control characters XML 1.0 forbids
// dropped (a stored note may hold one; a feed reader rejects the whole feed for it).
void append_xml(std::string& out, std::string_view text) {
    for (const char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        default:
            if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                out += c;
            }
        }
    }
}

void element(std::string& out, std::string_view name, std::string_view text) {
    out += '<';
    out += name;
    out += '>';
    append_xml(out, text);
    out += "</";
    out += name;
    out += ">\n";
}

void link(std::string& out, std::string_view rel, std::string_view type, std::string_view href) {
    out += "<link rel=\"";
    out += rel;
    out += "\" type=\"";
    out += type;
    out += "\" href=\"";
    append_xml(out, href);
    out += "\"/>\n";
}

// What a reader shows of an incident: its kind, its toll, who, and what the report said.
std::string summary_of(const Incident& i) {
    std::string s = i.sub_event_type.empty() ? i.event_type : i.sub_event_type;
    s +=
        ". " + std::to_string(i.fatalities) + " killed, " + std::to_string(i.injured) + " injured.";
    if (!i.actor1.empty()) {
        s += " " + i.actor1 + (i.actor2.empty() ? "" : " vs " + i.actor2) + ".";
    }
    if (!i.notes.empty()) {
        s += " " + i.notes;
    } else if (!i.evidence.empty()) {
        s += " " + i.evidence.front().text;
    }
    if (!i.source.empty()) {
        s += " (" + i.source + ")";
    }
    return s;
}

std::string place_of(const Incident& i) {
    std::string place = i.location.empty() ? "unnamed place" : i.location;
    if (!i.country.empty()) {
        place += ", " + i.country;
    }
    return place;
}

void append_entry(std::string& out, const AtomFeed& feed, const Incident& i) {
    const std::string url = feed.base + "/api/incidents/" + std::to_string(i.id);
    out += "<entry>\n";
    element(out, "id", url);
    element(out, "title", i.event_type + ": " + place_of(i) + " (" + i.event_date + ")");
    element(out, "updated", i.updated.empty() ? feed.now : i.updated);
    if (!i.created.empty()) {
        element(out, "published", i.created);
    }
    const std::string point = std::to_string(i.point.lat) + ' ' + std::to_string(i.point.lon);
    const std::string view =
        std::to_string(i.point.lat) + ',' + std::to_string(i.point.lon) + ",10";
    link(out, "alternate", "text/html", feed.base + "/?view=" + view);
    link(out, "related", "application/geo+json", url);
    out += "<category term=\"";
    append_xml(out, i.event_type);
    out += "\"/>\n";
    element(out, "georss:point", point);
    out += "<summary type=\"text\">";
    append_xml(out, summary_of(i));
    out += "</summary>\n</entry>\n";
}

} // namespace

std::string atom_feed(const AtomFeed& feed, const std::vector<Incident>& entries) {
    std::string updated = feed.now;
    if (!entries.empty()) {
        updated =
            std::max_element(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
                return a.updated < b.updated;
            })->updated;
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                      "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
                      "xmlns:georss=\"http://www.georss.org/georss\">\n";
    element(out, "id", feed.self);
    element(out, "title", feed.title);
    element(out, "updated", updated.empty() ? feed.now : updated);
    out += "<author><name>incidentmap</name></author>\n";
    element(out, "generator", "incidentmap");
    if (!feed.rights.empty()) {
        element(out, "rights", feed.rights);
    }
    link(out, "self", "application/atom+xml", feed.self);
    link(out, "alternate", "text/html", feed.alternate);
    for (const auto& i : entries) {
        append_entry(out, feed, i);
    }
    out += "</feed>\n";
    return out;
}

} // namespace incidentmap::incidents
