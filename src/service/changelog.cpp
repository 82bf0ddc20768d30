#include "service/changelog.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <map>

#include "service/render.h"
#include "service/json_text.h"

namespace apiota::service {
namespace {

constexpr std::int64_t kHistoryLimit = 100000;

std::string text_of(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_null()) return "-";
  return to_json_text(v);
}

}  // namespace

boost::json::array changelog_json(store::Store& store, std::string_view project_id) {
  std::map<std::int64_t, store::ReleaseOutcomes> outcomes;
  for (auto& o : store.release_outcomes(project_id)) outcomes.emplace(o.release_id, o);
  std::map<std::string, boost::json::array, std::less<>> history;
  for (const auto& a : store.list_audit(project_id, kHistoryLimit)) {
    if (!a.subject.starts_with("release:")) continue;
    auto entry = render(a);
    entry.erase("before");
    entry.erase("after");
    boost::system::error_code ec;
    auto after = boost::json::parse(a.after, ec);
    if (!ec && after.is_object()) {
      for (const char* field : {"state", "state_reason", "rollout_percent", "stage", "rollback_target_id"}) {
        if (const auto* v = after.as_object().if_contains(field)) entry[field] = *v;
      }
    }
    history[a.subject].push_back(std::move(entry));
  }

  boost::json::array out;
  for (const auto& r : store.list_releases(project_id)) {
    boost::json::object item = render(r);
    const auto found = outcomes.find(r.id);
    const store::ReleaseOutcomes counts = found == outcomes.end() ? store::ReleaseOutcomes{r.id} : found->second;
    item["installs"] = counts.installs;
    item["failures"] = counts.failures;
    item["stuck"] = counts.stuck;
    item["bootloader_rollbacks"] = counts.rolled_back;
    item["ended_by_revocation"] = counts.revoked;
    auto h = history.find("release:" + std::to_string(r.id));
    item["history"] = h == history.end() ? boost::json::array{} : h->second;
    std::string id = std::to_string(r.id);
    item["rollback"] = {
        {"target_id", r.rollback_target_id ? boost::json::value(*r.rollback_target_id) : boost::json::value(nullptr)},
        {"command", fmt::format("apiota releases revoke {} --project {} --reason \"...\"", id, project_id)},
        {"api", fmt::format("POST /api/admin/releases/{}/revoke", id)},
        {"effect", r.rollback_target_id
                       ? fmt::format("devices running {} are offered release {} with \"rollback\": true", r.version,
                                     *r.rollback_target_id)
                       : std::string("revoke picks the newest active release of the channel below it")},
    };
    out.push_back(std::move(item));
  }
  return out;
}

std::string changelog_markdown(const boost::json::array& changelog, std::string_view project_id) {
  std::string md = fmt::format("# Changelog: project {}\n", project_id);
  for (const auto& v : changelog) {
    const auto& r = v.as_object();
    md += fmt::format("\n## {} ({}) - release {}, {}\n\n", text_of(r.at("version")), text_of(r.at("channel")),
                      text_of(r.at("id")), text_of(r.at("state")));
    if (!r.at("notes").as_string().empty()) md += text_of(r.at("notes")) + "\n\n";
    md += fmt::format("- uploaded {} by {}\n", text_of(r.at("uploaded_at")), text_of(r.at("uploaded_by")));
    md += fmt::format("- {} bytes, chip {}, secure_version {}, sha256 `{}`\n", text_of(r.at("size")),
                      text_of(r.at("chip")), text_of(r.at("secure_version")), text_of(r.at("sha256")));
    md += fmt::format(
        "- rollout {}%, installs {}, failures {}, stuck {}, bootloader rollbacks {}, ended by revocation {}\n",
        text_of(r.at("rollout_percent")), text_of(r.at("installs")), text_of(r.at("failures")), text_of(r.at("stuck")),
        text_of(r.at("bootloader_rollbacks")), text_of(r.at("ended_by_revocation")));
    if (const auto& stages = r.at("stages").as_array(); !stages.empty()) {
      md += "- schedule:";
      for (const auto& s : stages) {
        const auto& stage = s.as_object();
        md += fmt::format(" {}% (after {} s and {} installs);", text_of(stage.at("percent")),
                          text_of(stage.at("min_duration_seconds")), text_of(stage.at("min_successes")));
      }
      md += fmt::format(" now at stage {}\n", text_of(r.at("stage")));
    }
    const auto& rollback = r.at("rollback").as_object();
    md += fmt::format("- rollback: `{}` ({}): {}\n", text_of(rollback.at("command")), text_of(rollback.at("api")),
                      text_of(rollback.at("effect")));
    const auto& history = r.at("history").as_array();
    if (!history.empty()) {
      md += "- history:\n";
      for (const auto& h : history) {
        const auto& e = h.as_object();
        std::string reason = e.contains("state_reason") ? text_of(e.at("state_reason")) : "";
        md += fmt::format("  - {} {} by {}{}\n", text_of(e.at("at")), text_of(e.at("action")), text_of(e.at("actor")),
                          reason.empty() || reason == "-" ? "" : ": " + reason);
      }
    }
  }
  return md;
}

}  // namespace apiota::service
