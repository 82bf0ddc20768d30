#pragma once
// Test support: looking into the server's data folder from outside (e.g.
// data/tmp while an upload is in flight or after a crash).
//
// Both functions only read the folder's direct entries. A folder that does not
// exist or cannot be listed counts as empty (0), as does an entry whose size
// cannot be read; they never throw and never fail a test.

#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace apiota::testing {

// How many entries `dir` holds.
std::size_t file_count(const std::filesystem::path& dir);

// The size in bytes of the largest file in `dir`.
std::uintmax_t largest_file(const std::filesystem::path& dir);

}  // namespace apiota::testing
