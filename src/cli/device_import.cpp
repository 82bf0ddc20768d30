#include "cli/device_import.h"

#include <boost/json.hpp>

#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cli/administration.h"
#include "domain/channel.h"
#include "domain/identifiers.h"
#include "service/api_error.h"
#include "service/audit.h"
#include "service/device_enrollment.h"

namespace apiota::cli {
namespace {

constexpr std::size_t kBatch = 10000;

struct Line {
  std::int64_t number = 0;
  std::string_view device_id;
  std::string_view secret;
  std::optional<std::string_view> version;
};

// The lines to enroll, and what else the file holds.
struct SortedLines {
  std::vector<Line> fresh;
  std::int64_t existing = 0;
  std::vector<std::string> conflicts;  // "line N: ..."
};

std::string at_line(std::int64_t number, std::string_view message) {
  return "line " + std::to_string(number) + ": " + std::string(message);
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  while (true) {
    auto comma = line.find(',');
    fields.push_back(line.substr(0, comma));
    if (comma == std::string_view::npos) return fields;
    line.remove_prefix(comma + 1);
  }
}

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// "device_id,secret..." names the columns; neither "secret" nor
// "device_secret" can be a device secret (too short), so no device line
// looks like it.
bool is_header(const std::vector<std::string_view>& fields) {
  return fields.size() >= 2 && trimmed(fields[0]) == "device_id" &&
         (trimmed(fields[1]) == "secret" || trimmed(fields[1]) == "device_secret");
}

// The lines of `text` that name a device, split into their fields; throws
// std::invalid_argument for one that does not have two or three fields.
std::vector<Line> read_lines(std::string_view text) {
  std::vector<Line> lines;
  std::int64_t number = 0;
  bool first = true;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    auto fields = split_fields(line);
    if (std::exchange(first, false) && is_header(fields)) continue;
    if (fields.size() < 2 || fields.size() > 3) {
      throw std::invalid_argument(at_line(number, "expected device_id,secret[,firmware_version]"));
    }
    Line parsed{number, fields[0], fields[1], std::nullopt};
    if (fields.size() == 3) parsed.version = fields[2];
    lines.push_back(parsed);
  }
  return lines;
}

// Checks every line and sorts it (device_import.h); throws
// std::invalid_argument for the first bad line.
SortedLines sort_lines(service::FleetAdministration& admin, const store::ProjectRecord& project,
                       const std::vector<Line>& lines) {
  SortedLines sorted;
  std::unordered_map<std::string_view, const Line*> fresh_ids;
  for (const Line& line : lines) {
    try {
      service::check_enrollment(line.device_id, line.version);
      // A secret from before the rule may still name a device that holds it.
      if (!domain::is_pre_rule_device_secret(line.secret)) service::refuse_device_secret();
      if (auto existing = admin.find_device(line.device_id)) {
        if (existing->project_id != project.id) {
          sorted.conflicts.push_back(at_line(line.number, std::string(line.device_id) + " is registered in project " + existing->project_id));
        } else if (admin.holds_secret(*existing, line.secret)) {
          ++sorted.existing;
        } else {
          sorted.conflicts.push_back(at_line(line.number, std::string(line.device_id) + " is registered with another secret"));
        }
        continue;
      }
      if (!domain::is_valid_device_secret(line.secret)) service::refuse_device_secret();
      auto [first, inserted] = fresh_ids.emplace(line.device_id, &line);
      if (inserted) {
        sorted.fresh.push_back(line);
      } else if (first->second->secret == line.secret) {
        ++sorted.existing;  // enrolled by its first line
      } else {
        sorted.conflicts.push_back(
            at_line(line.number, std::string(line.device_id) + " is on line " + std::to_string(first->second->number) +
                                     " with another secret"));
      }
    } catch (const service::ApiError& e) {
      throw std::invalid_argument(at_line(line.number, e.what()));
    }
  }
  return sorted;
}

}  // namespace

ImportCounts import_devices(DataFolder& data, std::string_view project_id, std::string_view channel,
                            std::istream& csv, bool skip_conflicts) {
  auto admin = administration(data);
  auto project = admin.find_project(project_id);
  if (!project) throw std::invalid_argument("no project " + std::string(project_id));
  auto parsed_channel = domain::parse_channel(channel);
  if (!parsed_channel) throw std::invalid_argument("channel must be stable, beta or dev");

  const std::string text{std::istreambuf_iterator<char>(csv), std::istreambuf_iterator<char>()};
  const std::vector<Line> lines = read_lines(text);
  SortedLines sorted = sort_lines(admin, *project, lines);
  if (!sorted.conflicts.empty() && !skip_conflicts) {
    std::string message = std::to_string(sorted.conflicts.size()) +
                          (sorted.conflicts.size() == 1 ? " conflict" : " conflicts") +
                          ", nothing was imported (--skip-conflicts imports the other lines):";
    for (const auto& conflict : sorted.conflicts) message += "\n" + conflict;
    throw ImportConflicts(message);
  }
  const std::int64_t devices = admin.count_devices(project->id);
  const auto adding = static_cast<std::int64_t>(sorted.fresh.size());
  if (devices + adding > project->plan.max_devices) {
    throw std::invalid_argument("the project's plan allows " + std::to_string(project->plan.max_devices) +
                                " devices; it has " + std::to_string(devices) + " and the file adds " +
                                std::to_string(adding) + ", nothing was imported");
  }

  ImportCounts counts;
  counts.existing = sorted.existing;
  counts.skipped = std::move(sorted.conflicts);
  std::vector<store::DeviceRecord> batch;
  auto store_batch = [&] {
    if (batch.empty()) return;
    auto result = admin.import_devices(*project, batch, service::kCliActor);
    if (!result.within_plan) {
      throw std::invalid_argument("the project's plan allows " + std::to_string(project->plan.max_devices) +
                                  " devices; " + std::to_string(counts.created) + " were imported before the limit");
    }
    counts.created += result.created;
    counts.existing += result.existing;
    batch.clear();
  };
  for (const Line& line : sorted.fresh) {
    store::DeviceRecord record = admin.enrollment_record(project->id, line.device_id, line.secret, line.version);
    record.channel = *parsed_channel;
    batch.push_back(std::move(record));
    if (batch.size() == kBatch) store_batch();
  }
  store_batch();
  return counts;
}

}  // namespace apiota::cli
