#include "service/fleet_administration.h"

#include <boost/json.hpp>

#include <stdexcept>

#include "domain/identifiers.h"
#include "service/api_error.h"
#include "service/audit.h"
#include "service/config_document.h"
#include "service/credential_hash.h"
#include "service/device_changes.h"
#include "service/device_enrollment.h"
#include "service/device_tags.h"
#include "service/key_revocation.h"
#include "service/render.h"

namespace apiota::service {

FleetAdministration::FleetAdministration(store::Store& store, blob::BlobStore& blobs,
                                         const crypto::KeyedHasher& hasher, Settings settings, env::Env& env,
                                         ChangeFeed& changes, FileRemoval removal)
    : store_(store),
      blobs_(blobs),
      hasher_(hasher),
      settings_(std::move(settings)),
      env_(env),
      changes_(changes),
      removal_(removal) {}

std::optional<IssuedKey> FleetAdministration::bootstrap() {
  return service::bootstrap(store_, hasher_, settings_.default_plan, env_);
}

void FleetAdministration::check_project_id(std::string_view id) {
  if (!domain::is_valid_project_id(id)) {
    throw std::invalid_argument("project id must be 1-32 characters of a-z 0-9 - (starting with a letter or digit)");
  }
}

store::ProjectRecord FleetAdministration::create_project(std::string_view id, std::string_view name,
                                                         std::string_view actor) {
  check_project_id(id);
  if (store_.find_project(id)) throw std::invalid_argument("project " + std::string(id) + " already exists");
  store::ProjectRecord project{std::string(id), std::string(name.empty() ? id : name), settings_.default_plan,
                               env_.now_ms()};
  store_.upsert_project(project);
  record_audit(store_, env_, project.id, actor, "project.create", "project:" + project.id, nullptr, render(project));
  changes_.note(project.id, ChangeKind::Audit);
  return project;
}

store::ProjectRecord FleetAdministration::change_plan(std::string_view project_id, const PlanChange& change,
                                                      std::string_view actor) {
  auto project = store_.find_project(project_id);
  if (!project) throw std::invalid_argument("no project " + std::string(project_id));
  const store::ProjectRecord before = *project;
  domain::Plan& plan = project->plan;
  if (change.max_devices) plan.max_devices = *change.max_devices;
  if (change.max_firmware_bytes) plan.max_firmware_bytes = *change.max_firmware_bytes;
  if (change.device_requests_per_minute) plan.device_requests_per_minute = *change.device_requests_per_minute;
  if (change.device_burst) plan.device_burst = *change.device_burst;
  if (auto problem = domain::validate_plan(plan); !problem.empty()) throw std::invalid_argument(problem);
  store_.upsert_project(*project);
  record_audit(store_, env_, project->id, actor, "project.plan", "project:" + project->id, render(before),
               render(*project));
  changes_.note(project->id, ChangeKind::Audit);
  return std::move(*project);
}

std::vector<store::ProjectRecord> FleetAdministration::list_projects() { return store_.list_projects(); }

std::optional<store::ProjectRecord> FleetAdministration::find_project(std::string_view project_id) {
  return store_.find_project(project_id);
}

IssuedKey FleetAdministration::issue_key(std::string_view project_id, store::KeyRole role, std::string_view label,
                                         std::string_view actor) {
  IssuedKey issued = service::issue_key(store_, hasher_, project_id, role, label, env_);
  record_audit(store_, env_, issued.record.project_id, actor, "key.create", "key:" + issued.record.id, nullptr,
               render(issued.record));
  changes_.note(issued.record.project_id, ChangeKind::Audit);
  return issued;
}

store::KeyRecord FleetAdministration::label_key(std::string_view key_id, std::optional<std::string_view> project_id,
                                                std::string_view label, std::string_view actor) {
  check_key_label(label);
  for (const auto& before : store_.list_keys(project_id)) {
    if (before.id != key_id) continue;
    store_.set_key_label(key_id, label);
    store::KeyRecord after = before;
    after.label = std::string(label);
    record_audit(store_, env_, before.project_id, actor, "key.label", "key:" + before.id, render(before),
                 render(after));
    return after;
  }
  throw ApiError(ErrorCode::NotFound, "no key with id " + std::string(key_id));
}

store::KeyRecord FleetAdministration::revoke_key(std::string_view key_id, std::optional<std::string_view> project_id,
                                                 std::string_view actor) {
  store::KeyRecord revoked = revoke_api_key(store_, env_, key_id, project_id, actor);
  changes_.note(revoked.project_id, ChangeKind::Audit);
  return revoked;
}

std::vector<store::KeyRecord> FleetAdministration::list_keys(std::optional<std::string_view> project_id) {
  return store_.list_keys(project_id);
}

store::DeviceRecord FleetAdministration::set_blocked(store::DeviceRecord device, bool blocked,
                                                     std::string_view reason, std::string_view actor) {
  store::DeviceRecord changed = change_device_block(store_, env_, std::move(device), blocked, reason, actor);
  changes_.note_device(changed.project_id);
  return changed;
}

store::DeviceRecord FleetAdministration::set_channel(store::DeviceRecord device, std::string_view channel,
                                                     std::string_view actor) {
  store::DeviceRecord changed = change_device_channel(store_, env_, std::move(device), channel, actor);
  changes_.note_device(changed.project_id);
  return changed;
}

std::vector<std::string> FleetAdministration::replace_tags(const store::DeviceRecord& device,
                                                           std::span<const std::string> tags,
                                                           std::string_view actor) {
  std::vector<std::string> replaced = replace_device_tags(store_, env_, device, tags, actor);
  changes_.note_device(device.project_id);
  return replaced;
}

store::Store::ImportResult FleetAdministration::import_devices(const store::ProjectRecord& project,
                                                               std::span<const store::DeviceRecord> devices,
                                                               std::string_view actor) {
  auto result = store_.import_devices(devices, project.plan.max_devices);
  if (result.within_plan) {
    record_audit(store_, env_, project.id, actor, "device.import", "project:" + project.id, nullptr,
                 boost::json::object{{"devices", devices.size()}, {"created", result.created}});
    changes_.note_device(project.id);
  }
  return result;
}

store::DeviceRecord FleetAdministration::enrollment_record(std::string_view project_id, std::string_view device_id,
                                                           std::string_view secret,
                                                           std::optional<std::string_view> firmware_version) {
  return service::enrollment_record(hasher_, project_id, device_id, secret, firmware_version, env_.now_ms(), env_);
}

bool FleetAdministration::holds_secret(const store::DeviceRecord& device, std::string_view secret) const {
  return device_secret_matches(hasher_, device, secret);
}

std::optional<store::DeviceRecord> FleetAdministration::find_device(std::string_view device_id) {
  return store_.find_device(device_id);
}

std::vector<std::string> FleetAdministration::device_ids_with_tag(std::string_view project_id, std::string_view tag) {
  return store_.device_ids_with_tag(project_id, tag);
}

FilesCleanedUp FleetAdministration::clean_up_files(bool references_known) {
  FilesCleanedUp cleaned;
  cleaned.temp_files = blobs_.clean_temp();
  if (references_known) {
    auto referenced = store_.referenced_sha256s();
    cleaned.unreferenced = blobs_.remove_unreferenced({referenced.begin(), referenced.end()});
  }
  if (auto* copies = store_.firmware_copies()) {
    cleaned.unreferenced += static_cast<std::size_t>(copies->remove_unreferenced_firmware());
  }
  return cleaned;
}

std::vector<store::DeviceRecord> FleetAdministration::list_devices(const store::DeviceQuery& query) {
  return store_.list_devices(query);
}

store::DeviceCount FleetAdministration::count_matching_devices(const store::DeviceQuery& query, std::int64_t cap) {
  return store_.count_matching_devices(query, cap);
}

std::int64_t FleetAdministration::count_devices(std::string_view project_id) {
  return store_.count_devices(project_id);
}

std::vector<std::string> FleetAdministration::device_tags(std::string_view device_id) {
  return store_.device_tags(device_id);
}

std::vector<store::OtaLogRecord> FleetAdministration::ota_logs(std::string_view device_id, std::int64_t limit) {
  return store_.list_ota_logs(device_id, limit);
}

std::vector<store::AttemptRecord> FleetAdministration::device_attempts(std::string_view device_id,
                                                                       std::int64_t limit) {
  return store_.device_attempts(device_id, limit);
}

store::ConfigRecord FleetAdministration::set_device_config(const store::DeviceRecord& device,
                                                           std::string_view json_text, std::string_view actor) {
  store::ConfigRecord record = make_config_record(json_text, env_.now_ms());
  auto before = store_.device_config(device.device_id);
  store_.set_device_config(device.device_id, record);
  record_audit(store_, env_, device.project_id, actor, "config.device", "device:" + device.device_id,
               config_json(before), config_json(record));
  changes_.note_device(device.project_id);
  return record;
}

store::ConfigRecord FleetAdministration::set_project_config(std::string_view project_id, std::string_view json_text,
                                                            std::string_view actor) {
  store::ConfigRecord record = make_config_record(json_text, env_.now_ms());
  auto before = store_.project_config(project_id);
  store_.set_project_config(project_id, record);
  record_audit(store_, env_, project_id, actor, "config.project", "project:" + std::string(project_id),
               config_json(before), config_json(record));
  changes_.note(project_id, ChangeKind::Audit);
  return record;
}

std::optional<store::ConfigRecord> FleetAdministration::device_config(std::string_view device_id) {
  return store_.device_config(device_id);
}

std::optional<store::ConfigRecord> FleetAdministration::project_config(std::string_view project_id) {
  return store_.project_config(project_id);
}

}  // namespace apiota::service
