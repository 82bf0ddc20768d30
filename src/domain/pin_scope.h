#pragma once
// What an operator's pin holds at an exact version (domain/release_decision.h
// rule b): one Device, named by its id, or every device carrying a Tag. A
// device pin beats a tag pin.
//
// to_string() gives the stored and rendered name ("device", "tag");
// parse_pin_scope() accepts exactly those. The schema allows no other stored
// name (a CHECK constraint); a store that still reads one it does not know
// reads it as Device, which holds at most the one device whose id is the
// pin's subject.
//
// All functions are pure and safe to call concurrently.

#include <optional>
#include <string_view>

namespace apiota::domain {

enum class PinScope { Device, Tag };

std::string_view to_string(PinScope scope);
std::optional<PinScope> parse_pin_scope(std::string_view name);

}  // namespace apiota::domain
