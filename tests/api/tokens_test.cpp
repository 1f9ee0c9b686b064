// Write tokens: kept as digests in the token file (`incidentmap token`), taken by the server
// from the Authorization header only, guessing slowed per client.

#include "server_fixture.hpp"

#include "incidentmap/api/tokens.hpp"
#include "incidentmap/error.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace {

using namespace incidentmap;
using incidentmap::test::TempDir;
using incidentmap::test::serve::Server;

std::string file_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(Tokens, TheFileKeepsNamesAndDigestsNeverTheTokens) {
    TempDir dir;
    const auto path = dir.file("tokens.txt");
    const auto a = api::add_token(path, "newsroom");
    const auto b = api::add_token(path, "field-team.2");
    EXPECT_EQ(a.size(), 64u);
    EXPECT_NE(a, b);
    const auto text = file_text(path);
    EXPECT_EQ(text.find(a), std::string::npos) << "the token itself is not stored";
    EXPECT_NE(text.find("newsroom sha256:" + api::token_digest(a)), std::string::npos) << text;
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << "readable by its owner only";
    auto entries = api::read_token_file(path);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[1].name, "field-team.2");
    EXPECT_EQ(entries[1].digest, api::token_digest(b));
    EXPECT_THROW(api::add_token(path, "newsroom"), InvalidInput) << "names are unique";
    EXPECT_THROW(api::add_token(path, "two words"), InvalidInput);
    EXPECT_TRUE(api::revoke_token(path, "newsroom"));
    EXPECT_FALSE(api::revoke_token(path, "newsroom"));
    entries = api::read_token_file(path);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].name, "field-team.2");
}

// Files written by hand (a bare token a line) still work; what is neither is refused with its
// line number.
TEST(Tokens, BareTokensAreHashedAsReadAndBadLinesNamed) {
    TempDir dir;
    const auto path = dir.file("tokens.txt");
    std::ofstream(path) << "# comment\n\nhand-written-token-0123\n";
    auto entries = api::read_token_file(path);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].name, "line 3");
    EXPECT_EQ(entries[0].digest, api::token_digest("hand-written-token-0123"));
    std::ofstream(path) << "short\n";
    EXPECT_THROW(api::read_token_file(path), InvalidInput);
    std::ofstream(path) << "name sha256:not-hex\n";
    try {
        api::read_token_file(path);
        ADD_FAILURE() << "a malformed digest was read";
    } catch (const InvalidInput& e) {
        EXPECT_NE(std::string(e.what()).find("line 1"), std::string::npos) << e.what();
    }
    EXPECT_THROW(api::read_token_file(dir.file("missing.txt")), NotFound);
}

TEST(Tokens, TheServerTakesTheHeaderNotTheQueryAndSlowsGuessing) {
    TempDir dir;
    const auto path = dir.file("tokens.txt");
    const auto token = api::add_token(path, "desk");
    Server server(dir.file("incidents.sqlite"), {"--token-file", path});
    httplib::Client c("127.0.0.1", server.port());
    const std::string feature =
        R"({"type":"Feature","geometry":{"type":"Point","coordinates":[30.5,50.4]},)"
        R"("properties":{"event_date":"2024-01-02","event_type":"Battles"}})";
    auto post = [&](const std::string& bearer, const std::string& query = "") {
        httplib::Headers h;
        if (!bearer.empty()) {
            h.emplace("Authorization", "Bearer " + bearer);
        }
        auto res = c.Post("/api/incidents" + query, h, feature, "application/geo+json");
        return res ? res->status : -1;
    };
    EXPECT_EQ(post(token), 201);
    EXPECT_EQ(post("", "?token=" + token), 401) << "a token in the URL is no token";
    EXPECT_EQ(post(""), 401) << "no token is no guess";
    for (int k = 0; k < 10; ++k) {
        EXPECT_EQ(post("wrong-token-" + std::to_string(k) + "-0123456789"), 401) << k;
    }
    httplib::Headers h{{"Authorization", "Bearer still-guessing-0123456789"}};
    auto res = c.Post("/api/incidents", h, feature, "application/geo+json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 429);
    EXPECT_FALSE(res->get_header_value("Retry-After").empty());
    EXPECT_EQ(res->body.find("still-guessing"), std::string::npos) << "tokens are never echoed";
}

} // namespace
