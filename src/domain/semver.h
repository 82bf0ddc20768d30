#pragma once

// Semantic versions (SemVer 2.0.0) as firmware releases and devices use them.
//
// parse_semver() is the strict parser for versions an operator uploads: it
// accepts exactly the SemVer 2.0.0 grammar (MAJOR.MINOR.PATCH, optional
// "-pre.release" identifiers, optional "+build" identifiers; identifiers are
// non-empty runs of [0-9A-Za-z-]; numeric core parts and numeric pre-release
// identifiers have no leading zeros), plus ONE leading 'v' or 'V'. Inputs
// longer than kMaxSemVerLength characters, and numbers that do not fit in
// 64 bits, are rejected. It returns std::nullopt on any violation.
//
// parse_reported_version() is the lenient parser for versions devices report,
// which are baked into firmware that cannot be fixed retroactively: it trims
// surrounding whitespace and also accepts "1" and "1.2" (missing parts are 0).
// Everything else is checked as strictly as parse_semver().
//
// compare() orders by SemVer precedence: build metadata never matters, a
// version with a pre-release sorts before the same version without one, and
// pre-release identifiers compare pairwise (numeric ones numerically and
// before alphanumeric ones, alphanumeric ones by ASCII order, a shorter list
// first when all shared identifiers are equal). operator== is memberwise, so
// "1.0.0+a" and "1.0.0+b" differ under == but have the same precedence.
//
// All functions are pure and safe to call concurrently.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace apiota::domain {

inline constexpr std::size_t kMaxSemVerLength = 64;

struct SemVer {
  std::uint64_t major = 0;
  std::uint64_t minor = 0;
  std::uint64_t patch = 0;
  std::vector<std::string> prerelease;  // identifiers, without the dots
  std::string build;                    // text after '+', empty if none

  // Normalized form without a leading 'v', e.g. "1.2.3-beta.1+b5".
  std::string to_string() const;

  bool operator==(const SemVer&) const = default;
};

std::optional<SemVer> parse_semver(std::string_view text);

std::optional<SemVer> parse_reported_version(std::string_view text);

// Returns a negative value if a < b, zero if they have equal precedence, and
// a positive value if a > b.
int compare(const SemVer& a, const SemVer& b);

bool same_precedence(const SemVer& a, const SemVer& b);

}  // namespace apiota::domain
