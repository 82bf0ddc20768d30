#include "service/render.h"

#include <boost/json.hpp>

#include "service/clock.h"
#include "service/key_issuer.h"

namespace apiota::service {
namespace {

boost::json::value optional_time(const std::optional<std::int64_t>& t) {
  return t ? boost::json::value(iso8601(*t)) : boost::json::value(nullptr);
}

boost::json::value optional_text(const std::optional<std::string>& s) {
  return s ? boost::json::value(*s) : boost::json::value(nullptr);
}

boost::json::object render_safety(const store::ReleaseRecord& r) {
  return {{"max_failure_rate", r.max_failure_rate},
          {"window", r.safety_window},
          {"min_attempts", r.min_attempts},
          {"stuck_after_seconds", r.stuck_after_s}};
}

boost::json::array render_stages(const store::ReleaseRecord& r) {
  boost::json::array out;
  for (const auto& stage : r.rollout_stages) {
    out.push_back(boost::json::object{{"percent", stage.percent},
                                      {"min_duration_seconds", stage.min_duration_s},
                                      {"min_successes", stage.min_successes}});
  }
  return out;
}

// The device's open update attempt.
boost::json::object render_attempt(const store::AttemptRecord& a) {
  return {{"release_id", a.release_id},
          {"version", a.target_version},
          {"from_version", optional_text(a.from_version)},
          {"status", domain::to_string(a.status)},
          {"status_at", iso8601(a.status_at)},
          {"started_at", iso8601(a.started_at)}};
}

}  // namespace

boost::json::object render(const store::ProjectRecord& p) {
  return {
      {"id", p.id},
      {"name", p.name},
      {"plan",
       {{"max_devices", p.plan.max_devices},
        {"max_firmware_bytes", p.plan.max_firmware_bytes},
        {"device_requests_per_minute", p.plan.device_requests_per_minute},
        {"device_burst", p.plan.device_burst}}},
      {"created_at", iso8601(p.created_at)},
  };
}

boost::json::object render(const store::KeyRecord& k) {
  return {
      {"id", k.id},
      {"project_id", k.project_id},
      {"role", role_name(k.role)},
      {"label", k.label.empty() ? boost::json::value(nullptr) : boost::json::value(k.label)},
      {"hint", k.hint},
      {"created_at", iso8601(k.created_at)},
      {"revoked_at", optional_time(k.revoked_at)},
  };
}

boost::json::object render(const store::DeviceRecord& d) {
  return {
      {"device_id", d.device_id},
      {"project_id", d.project_id},
      {"channel", domain::to_string(d.channel)},
      {"blocked", d.blocked},
      {"blocked_reason", d.blocked_reason.empty() ? boost::json::value(nullptr) : boost::json::value(d.blocked_reason)},
      {"firmware_version", optional_text(d.firmware_version)},
      {"registered_at", iso8601(d.registered_at)},
      {"last_seen_at", optional_time(d.last_seen_at)},
      {"last_address", optional_text(d.last_address)},
      {"update_attempt", d.open_attempt ? boost::json::value(render_attempt(*d.open_attempt)) : nullptr},
      {"rolled_back_release_ids", boost::json::value_from(d.rolled_back_release_ids)},
  };
}

boost::json::object render(const store::ReleaseRecord& r) {
  return {
      {"id", r.id},
      {"project_id", r.project_id},
      {"version", r.version},
      {"channel", domain::to_string(r.channel)},
      {"filename", r.filename},
      {"size", r.size},
      {"sha256", r.sha256},
      {"md5", r.md5},
      {"chip", r.chip},
      {"chip_id", r.chip_id},
      {"image_project_name", r.image_project_name},
      {"image_version", r.image_version},
      {"secure_version", r.secure_version},
      {"idf_version", r.idf_version},
      {"signature", r.signature},
      {"appended_sha256", r.appended_sha256},
      {"elf_sha256", r.elf_sha256},
      {"uploaded_by", r.uploaded_by},
      {"uploaded_at", iso8601(r.uploaded_at)},
      {"state", domain::to_string(r.state)},
      {"state_reason", r.state_reason},
      {"notes", r.notes},
      {"rollout_percent", r.rollout_percent},
      {"rollout_tags", boost::json::value_from(r.rollout_tags)},
      {"rollout_devices", boost::json::value_from(r.rollout_devices)},
      {"rollback_target_id",
       r.rollback_target_id ? boost::json::value(*r.rollback_target_id) : boost::json::value(nullptr)},
      {"safety", render_safety(r)},
      {"stages", render_stages(r)},
      {"stage", r.rollout_stages.empty() ? boost::json::value(nullptr) : boost::json::value(r.stage_index + 1)},
      {"stage_started_at",
       r.rollout_stages.empty() ? boost::json::value(nullptr) : boost::json::value(iso8601(r.stage_started_at))},
  };
}

boost::json::object render(const store::PinRecord& p) {
  return {
      {p.scope == domain::PinScope::Tag ? "tag" : "device_id", p.subject},
      {"version", p.version},
      {"created_at", iso8601(p.created_at)},
  };
}

boost::json::object render(const store::AuditRecord& a) {
  auto parsed = [](const std::string& text) {
    boost::system::error_code ec;
    auto value = boost::json::parse(text, ec);
    return ec ? boost::json::value(text) : value;
  };
  return {
      {"id", a.id},
      {"actor", a.actor},
      {"actor_label", a.actor_label.empty() ? boost::json::value(nullptr) : boost::json::value(a.actor_label)},
      {"action", a.action},
      {"subject", a.subject},
      {"before", parsed(a.before)},
      {"after", parsed(a.after)},
      {"at", iso8601(a.at)},
  };
}

boost::json::object render(const store::OtaLogRecord& l) {
  return {
      {"id", l.id},
      {"device_id", l.device_id},
      {"status", domain::to_string(l.status)},
      {"from_version", optional_text(l.from_version)},
      {"to_version", optional_text(l.to_version)},
      {"message", optional_text(l.message)},
      {"received_at", iso8601(l.received_at)},
  };
}

boost::json::object render(const store::AttemptRecord& a) {
  boost::json::object out = render_attempt(a);
  out.emplace("id", a.id);
  boost::json::value outcome = nullptr;
  // The API calls a success what the operator sees: the image was installed.
  if (a.outcome) outcome = *a.outcome == domain::AttemptEnd::Succeeded ? "installed" : domain::to_string(*a.outcome);
  out["outcome"] = std::move(outcome);
  out["ended_at"] = optional_time(a.ended_at);
  return out;
}

}  // namespace apiota::service
