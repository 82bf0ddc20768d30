#include "domain/identifiers.h"

#include <algorithm>

namespace apiota::domain {
namespace {

bool is_lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool is_alnum(char c) { return is_lower_or_digit(c) || (c >= 'A' && c <= 'Z'); }

bool is_device_id_char(char c) { return is_alnum(c) || c == '.' || c == '_' || c == ':' || c == '-'; }

bool is_project_id_char(char c) { return is_lower_or_digit(c) || c == '-'; }

bool is_secret_char(char c) { return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

bool is_pre_rule_secret_char(char c) { return c >= 0x21 && c <= 0x7e; }

bool has_secret_length(std::string_view secret) {
  return secret.size() >= kMinDeviceSecretLength && secret.size() <= kMaxDeviceSecretLength;
}

bool is_tag_char(char c) { return is_lower_or_digit(c) || c == '.' || c == '_' || c == '-'; }

}  // namespace

bool is_valid_device_id(std::string_view id) {
  return !id.empty() && id.size() <= kMaxDeviceIdLength && std::all_of(id.begin(), id.end(), is_device_id_char);
}

bool is_valid_project_id(std::string_view id) {
  return !id.empty() && id.size() <= kMaxProjectIdLength && is_lower_or_digit(id.front()) &&
         std::all_of(id.begin(), id.end(), is_project_id_char);
}

bool is_valid_device_secret(std::string_view secret) {
  return has_secret_length(secret) && std::all_of(secret.begin(), secret.end(), is_secret_char);
}

bool is_pre_rule_device_secret(std::string_view secret) {
  return has_secret_length(secret) && std::all_of(secret.begin(), secret.end(), is_pre_rule_secret_char);
}

bool is_valid_tag(std::string_view tag) {
  return !tag.empty() && tag.size() <= kMaxTagLength && std::all_of(tag.begin(), tag.end(), is_tag_char);
}

}  // namespace apiota::domain
