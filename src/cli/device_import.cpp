#include "cli/device_import.h"

#include <boost/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "api/api_error.h"
#include "api/audit.h"
#include "api/clock.h"
#include "api/device_enrollment.h"
#include "domain/channel.h"

namespace apiota::cli {
namespace {

constexpr std::size_t kBatch = 10000;

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  while (true) {
    auto comma = line.find(',');
    fields.push_back(line.substr(0, comma));
    if (comma == std::string_view::npos) return fields;
    line.remove_prefix(comma + 1);
  }
}

}  // namespace

ImportCounts import_devices(DataFolder& data, std::string_view project_id, std::string_view channel,
                            std::istream& csv) {
  auto project = data.store->find_project(project_id);
  if (!project) throw std::invalid_argument("no project " + std::string(project_id));
  auto parsed_channel = domain::parse_channel(channel);
  if (!parsed_channel) throw std::invalid_argument("channel must be stable, beta or dev");

  ImportCounts counts;
  std::vector<store::DeviceRecord> batch;
  auto store_batch = [&] {
    if (batch.empty()) return;
    auto result = data.store->import_devices(batch, project->plan.max_devices);
    if (!result.within_plan) {
      throw std::invalid_argument("the project's plan allows " + std::to_string(project->plan.max_devices) +
                                  " devices; " + std::to_string(counts.created) + " were imported before the limit");
    }
    counts.created += result.created;
    counts.existing += result.existing;
    api::record_audit(*data.store, project->id, api::kCliActor, "device.import", "project:" + project->id, nullptr,
                      boost::json::object{{"devices", batch.size()}, {"created", result.created}});
    batch.clear();
  };

  std::string line;
  std::int64_t number = 0;
  const std::int64_t now = api::now_ms();
  while (std::getline(csv, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    auto fields = split_fields(line);
    if (fields.size() < 2 || fields.size() > 3) {
      throw std::invalid_argument("line " + std::to_string(number) + ": expected device_id,secret[,firmware_version]");
    }
    try {
      std::optional<std::string_view> version;
      if (fields.size() == 3) version = fields[2];
      store::DeviceRecord record = api::enrollment_record(*data.hasher, project->id, fields[0], fields[1], version, now);
      record.channel = std::string(domain::to_string(*parsed_channel));
      batch.push_back(std::move(record));
    } catch (const api::ApiError& e) {
      throw std::invalid_argument("line " + std::to_string(number) + ": " + e.what());
    }
    if (batch.size() == kBatch) store_batch();
  }
  store_batch();
  return counts;
}

}  // namespace apiota::cli
