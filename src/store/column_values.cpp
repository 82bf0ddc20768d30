#include "store/column_values.h"

#include <cinttypes>
#include <cstdio>
#include <string_view>

namespace apiota::store {
namespace {

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    text.remove_prefix(comma == std::string_view::npos ? text.size() : comma + 1);
  }
  return out;
}

}  // namespace

void read_column(const RowValues& s, int index, std::int64_t& out) { out = s.int64(index); }

void read_column(const RowValues& s, int index, double& out) { out = s.real(index); }

void read_column(const RowValues& s, int index, bool& out) { out = s.int64(index) != 0; }

void read_column(const RowValues& s, int index, std::string& out) { out = s.text(index); }

void read_column(const RowValues& s, int index, std::optional<std::string>& out) { out = s.optional_text(index); }

void read_column(const RowValues& s, int index, std::optional<std::int64_t>& out) { out = s.optional_int64(index); }

void read_column(const RowValues& s, int index, KeyRole& out) {
  out = s.text(index) == "admin" ? KeyRole::Admin : KeyRole::Provision;
}

void read_column(const RowValues& s, int index, domain::ReleaseState& out) {
  out = domain::parse_release_state(s.text(index)).value_or(domain::ReleaseState::Paused);
}

void read_column(const RowValues& s, int index, domain::Channel& out) {
  out = domain::parse_channel(s.text(index)).value_or(domain::Channel::Stable);
}

void read_release_channel(const RowValues& s, int index, ReleaseRecord& out) {
  out.channel = domain::parse_channel(s.text(index)).value_or(domain::Channel::Dev);
}

void read_column(const RowValues& s, int index, domain::OtaStatus& out) {
  out = domain::parse_ota_status(s.text(index)).value_or(domain::OtaStatus::Pending);
}

void read_column(const RowValues& s, int index, std::optional<domain::AttemptEnd>& out) {
  const std::string text = s.text(index);
  out = text.empty() ? std::nullopt
                     : std::optional(domain::parse_attempt_end(text).value_or(domain::AttemptEnd::Superseded));
}

void read_column(const RowValues& s, int index, domain::PinScope& out) {
  out = domain::parse_pin_scope(s.text(index)).value_or(domain::PinScope::Device);
}

void read_column(const RowValues& s, int index, std::vector<std::string>& out) { out = split_list(s.text(index)); }

void read_column(const RowValues& s, int index, std::vector<std::int64_t>& out) {
  out.clear();
  for (const auto& item : split_list(s.text(index))) out.push_back(std::stoll(item));
}

void read_column(const RowValues& s, int index, std::vector<RolloutStageRecord>& out) {
  out.clear();
  for (const auto& item : split_list(s.text(index))) {
    RolloutStageRecord stage;
    if (std::sscanf(item.c_str(), "%lf:%" SCNd64 ":%" SCNd64, &stage.percent, &stage.min_duration_s,
                    &stage.min_successes) == 3) {
      out.push_back(stage);
    }
  }
}

std::string stored_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out.push_back(',');
    out += item;
  }
  return out;
}

std::string stored_stages(const std::vector<RolloutStageRecord>& stages) {
  std::vector<std::string> items;
  for (const auto& stage : stages) {
    char text[96];
    std::snprintf(text, sizeof text, "%.2f:%" PRId64 ":%" PRId64, stage.percent, stage.min_duration_s,
                  stage.min_successes);
    items.emplace_back(text);
  }
  return stored_list(items);
}

std::string_view stored_role(KeyRole role) { return role == KeyRole::Admin ? "admin" : "provision"; }

std::string_view stored_outcome(const std::optional<domain::AttemptEnd>& outcome) {
  return outcome ? domain::to_string(*outcome) : std::string_view("");  // '' (a null data() would bind NULL)
}

}  // namespace apiota::store
