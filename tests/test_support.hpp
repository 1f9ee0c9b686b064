#pragma once

// Shared helpers for the tests: data locations from the environment CMake sets.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace incidentmap::test {

/// A location the tests need: from the environment, else the value CMake compiled in.
inline std::string env_or_skip(const char* name) {
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0') {
        return v;
    }
    const std::string n = name;
    if (n == "INCIDENTMAP_TEST_GAZETTEER")
        return INCIDENTMAP_DEFAULT_TEST_GAZETTEER;
    if (n == "INCIDENTMAP_TEST_DATA")
        return INCIDENTMAP_DEFAULT_TEST_DATA;
    if (n == "INCIDENTMAP_SAMPLES")
        return INCIDENTMAP_DEFAULT_SAMPLES;
    if (n == "INCIDENTMAP_BIN")
        return INCIDENTMAP_DEFAULT_BIN;
    if (n == "INCIDENTMAP_BUILD")
        return INCIDENTMAP_DEFAULT_BUILD;
    if (n == "INCIDENTMAP_HOME")
        return INCIDENTMAP_DEFAULT_HOME;
    throw std::runtime_error(std::string("unknown test location ") + name);
}

inline std::string gazetteer_path() {
    return env_or_skip("INCIDENTMAP_TEST_GAZETTEER");
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::string sample_article() {
    return read_file(env_or_skip("INCIDENTMAP_SAMPLES") + "/dpa-2022-03-29-istanbul-talks.txt");
}

/// A fresh temporary directory, removed at destruction.
class TempDir {
public:
    TempDir() {
        std::string tmpl =
            (std::filesystem::temp_directory_path() / "incidentmap-test-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_path = tmpl;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    [[nodiscard]] std::string file(const std::string& name) const {
        return (m_path / name).string();
    }
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

} // namespace incidentmap::test
