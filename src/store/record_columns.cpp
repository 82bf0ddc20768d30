#include "store/record_columns.h"

namespace apiota::store {

const RowMapping<ProjectRecord>& project_columns() {
  static const RowMapping<ProjectRecord> mapping{
      column<&ProjectRecord::id>("id"),
      column<&ProjectRecord::name>("name"),
      column<&ProjectRecord::plan, &domain::Plan::max_devices>("max_devices"),
      column<&ProjectRecord::plan, &domain::Plan::max_firmware_bytes>("max_firmware_bytes"),
      column<&ProjectRecord::plan, &domain::Plan::device_requests_per_minute>("device_requests_per_minute"),
      column<&ProjectRecord::plan, &domain::Plan::device_burst>("device_burst"),
      column<&ProjectRecord::created_at>("created_at"),
  };
  return mapping;
}

const RowMapping<KeyRecord>& key_columns() {
  static const RowMapping<KeyRecord> mapping{
      column<&KeyRecord::id>("id"),
      column<&KeyRecord::project_id>("project_id"),
      column<&KeyRecord::role>("role"),
      column<&KeyRecord::hash>("hash"),
      column<&KeyRecord::hint>("hint"),
      column<&KeyRecord::created_at>("created_at"),
      column<&KeyRecord::revoked_at>("revoked_at"),
      column<&KeyRecord::label>("label"),
  };
  return mapping;
}

const RowMapping<DeviceRecord>& device_columns() {
  static const RowMapping<DeviceRecord> mapping{
      column<&DeviceRecord::row_id>("row_id"),
      column<&DeviceRecord::device_id>("device_id"),
      column<&DeviceRecord::project_id>("project_id"),
      column<&DeviceRecord::secret_salt>("secret_salt"),
      column<&DeviceRecord::secret_hash>("secret_hash"),
      column<&DeviceRecord::channel>("channel"),
      column<&DeviceRecord::blocked>("blocked"),
      column<&DeviceRecord::blocked_reason>("blocked_reason"),
      column<&DeviceRecord::registered_at>("registered_at"),
      column<&DeviceRecord::firmware_version>("firmware_version"),
      column<&DeviceRecord::last_seen_at>("last_seen_at"),
      column<&DeviceRecord::last_address>("last_address"),
  };
  return mapping;
}

const RowMapping<AttemptRecord>& attempt_columns() {
  static const RowMapping<AttemptRecord> mapping{
      column<&AttemptRecord::id>("id"),
      column<&AttemptRecord::project_id>("project_id"),
      column<&AttemptRecord::device_row_id>("device_row_id"),
      column<&AttemptRecord::device_id>("device_id"),
      column<&AttemptRecord::release_id>("release_id"),
      column<&AttemptRecord::from_version>("from_version"),
      column<&AttemptRecord::target_version>("target_version"),
      column<&AttemptRecord::status>("status"),
      column<&AttemptRecord::status_at>("status_at"),
      column<&AttemptRecord::started_at>("started_at"),
      column<&AttemptRecord::outcome>("outcome"),
      column<&AttemptRecord::ended_at>("ended_at"),
  };
  return mapping;
}

const RowMapping<AttemptRecord>& open_attempt_columns() {
  static const RowMapping<AttemptRecord> mapping = attempt_columns().prefixed("attempt_");
  return mapping;
}

namespace {

void read_open_attempt(const RowValues& s, int attempt_id, DeviceRecord& d) {
  if (s.optional_int64(attempt_id)) d.open_attempt = open_attempt_columns().read(s);
}

}  // namespace

const RowMapping<DeviceRecord>& device_attempt_columns() {
  static const RowMapping<DeviceRecord> mapping{
      Column<DeviceRecord>{"attempt_id", read_open_attempt},
      column<&DeviceRecord::rolled_back_release_ids>("rolled_back_release_ids"),
  };
  return mapping;
}

const RowMapping<ReleaseRecord>& release_columns() {
  static const RowMapping<ReleaseRecord> mapping{
      column<&ReleaseRecord::id>("id"),
      column<&ReleaseRecord::project_id>("project_id"),
      column<&ReleaseRecord::version>("version"),
      Column<ReleaseRecord>{"channel", read_release_channel},
      column<&ReleaseRecord::filename>("filename"),
      column<&ReleaseRecord::size>("size"),
      column<&ReleaseRecord::sha256>("sha256"),
      column<&ReleaseRecord::md5>("md5"),
      column<&ReleaseRecord::chip>("chip"),
      column<&ReleaseRecord::chip_id>("chip_id"),
      column<&ReleaseRecord::image_project_name>("image_project_name"),
      column<&ReleaseRecord::image_version>("image_version"),
      column<&ReleaseRecord::secure_version>("secure_version"),
      column<&ReleaseRecord::idf_version>("idf_version"),
      column<&ReleaseRecord::signature>("signature"),
      column<&ReleaseRecord::appended_sha256>("appended_sha256"),
      column<&ReleaseRecord::elf_sha256>("elf_sha256"),
      column<&ReleaseRecord::uploaded_by>("uploaded_by"),
      column<&ReleaseRecord::uploaded_at>("uploaded_at"),
      column<&ReleaseRecord::state>("state"),
      column<&ReleaseRecord::state_reason>("state_reason"),
      column<&ReleaseRecord::notes>("notes"),
      column<&ReleaseRecord::rollout_percent>("rollout_percent"),
      column<&ReleaseRecord::rollback_target_id>("rollback_target_id"),
      column<&ReleaseRecord::rollout_tags>("rollout_tags"),
      column<&ReleaseRecord::rollout_devices>("rollout_devices"),
      column<&ReleaseRecord::max_failure_rate>("max_failure_rate"),
      column<&ReleaseRecord::safety_window>("safety_window"),
      column<&ReleaseRecord::min_attempts>("min_attempts"),
      column<&ReleaseRecord::stuck_after_s>("stuck_after_s"),
      column<&ReleaseRecord::rollout_stages>("rollout_stages"),
      column<&ReleaseRecord::stage_index>("stage_index"),
      column<&ReleaseRecord::stage_started_at>("stage_started_at"),
      column<&ReleaseRecord::safety_since>("safety_since"),
  };
  return mapping;
}

const RowMapping<PinRecord>& pin_columns() {
  static const RowMapping<PinRecord> mapping{
      column<&PinRecord::project_id>("project_id"),
      column<&PinRecord::scope>("scope"),
      column<&PinRecord::subject>("subject"),
      column<&PinRecord::version>("version"),
      column<&PinRecord::created_at>("created_at"),
  };
  return mapping;
}

const RowMapping<OtaLogRecord>& ota_log_columns() {
  static const RowMapping<OtaLogRecord> mapping{
      column<&OtaLogRecord::id>("id"),
      column<&OtaLogRecord::device_id>("device_id"),
      column<&OtaLogRecord::project_id>("project_id"),
      column<&OtaLogRecord::status>("status"),
      column<&OtaLogRecord::from_version>("from_version"),
      column<&OtaLogRecord::to_version>("to_version"),
      column<&OtaLogRecord::message>("message"),
      column<&OtaLogRecord::received_at>("received_at"),
  };
  return mapping;
}

const RowMapping<ConfigRecord>& config_columns() {
  static const RowMapping<ConfigRecord> mapping{
      column<&ConfigRecord::json>("json"),
      column<&ConfigRecord::updated_at>("updated_at"),
  };
  return mapping;
}

const RowMapping<AuditRecord>& audit_columns() {
  static const RowMapping<AuditRecord> mapping{
      column<&AuditRecord::id>("id"),
      column<&AuditRecord::project_id>("project_id"),
      column<&AuditRecord::actor>("actor"),
      column<&AuditRecord::action>("action"),
      column<&AuditRecord::subject>("subject"),
      column<&AuditRecord::before>("before_json"),
      column<&AuditRecord::after>("after_json"),
      column<&AuditRecord::at>("at"),
  };
  return mapping;
}

const RowMapping<ConsoleSessionRecord>& console_session_columns() {
  static const RowMapping<ConsoleSessionRecord> mapping{
      column<&ConsoleSessionRecord::token_hash>("token_hash"),
      column<&ConsoleSessionRecord::key_id>("key_id"),
      column<&ConsoleSessionRecord::project_id>("project_id"),
      column<&ConsoleSessionRecord::created_at>("created_at"),
      column<&ConsoleSessionRecord::last_used_at>("last_used_at"),
      column<&ConsoleSessionRecord::expires_at>("expires_at"),
  };
  return mapping;
}

const RowMapping<ReleaseOutcomes>& release_outcomes_columns() {
  static const RowMapping<ReleaseOutcomes> mapping{
      column<&ReleaseOutcomes::release_id>("release_id"),
      column<&ReleaseOutcomes::installs>("installs"),
      column<&ReleaseOutcomes::failures>("failures"),
      column<&ReleaseOutcomes::stuck>("stuck"),
      column<&ReleaseOutcomes::rolled_back>("rolled_back"),
      column<&ReleaseOutcomes::revoked>("revoked"),
  };
  return mapping;
}

std::string_view device_sort_column(DeviceSort sort) {
  switch (sort) {
    case DeviceSort::LastSeenAt:
      return "d.last_seen_key";
    case DeviceSort::RegisteredAt:
      return "d.registered_at";
    case DeviceSort::FirmwareVersion:
      return "d.version_key";
    case DeviceSort::DeviceId:
      break;
  }
  return {};
}

std::string id_prefix_end(std::string prefix) {
  prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

}  // namespace apiota::store
