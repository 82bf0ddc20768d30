#include "domain/pin_scope.h"

namespace apiota::domain {

std::string_view to_string(PinScope scope) { return scope == PinScope::Tag ? "tag" : "device"; }

std::optional<PinScope> parse_pin_scope(std::string_view name) {
  if (name == "device") return PinScope::Device;
  if (name == "tag") return PinScope::Tag;
  return std::nullopt;
}

}  // namespace apiota::domain
