#include <boost/json.hpp>

#include <memory>

#include "cli/administration.h"
#include "cli/commands.h"
#include "cli/data_folder.h"
#include "cli/output.h"
#include "service/key_issuer.h"
#include "service/render.h"

namespace apiota::cli {
namespace {

const std::vector<Column> kAuditColumns = {{"ID", "id"},           {"AT", "at"},           {"ACTOR", "actor"},
                                           {"KEY LABEL", "actor_label"}, {"ACTION", "action"}, {"SUBJECT", "subject"},
                                           {"CHANGE", "change"}};

// "field: old -> new, ..." for an entry's changed fields; "created" or
// "deleted" when the subject did not exist on one side.
std::string change_summary(const boost::json::value& before, const boost::json::value& after) {
  if (before.is_null()) return "created";
  if (after.is_null()) return "deleted";
  if (!before.is_object() || !after.is_object()) return cell_text(before) + " -> " + cell_text(after);
  std::string summary;
  auto side = [](const boost::json::object& fields, std::string_view name) {
    const auto* value = fields.if_contains(name);
    return value ? cell_text(*value) : std::string("-");
  };
  for (const auto& field : after.as_object()) {
    if (!summary.empty()) summary += ", ";
    summary += std::string(field.key()) + ": " + side(before.as_object(), field.key()) + " -> " +
               cell_text(field.value());
  }
  for (const auto& field : before.as_object()) {
    if (after.as_object().contains(field.key())) continue;
    if (!summary.empty()) summary += ", ";
    summary += std::string(field.key()) + ": " + cell_text(field.value()) + " -> -";
  }
  return summary;
}

}  // namespace

void add_audit_command(CLI::App& app) {
  struct Args {
    DataLocation data;
    std::string project = std::string(service::kDefaultProjectId);
    std::int64_t limit = 100;
  };
  auto args = std::make_shared<Args>();
  auto* audit = app.add_subcommand("audit", "the project's audit log, newest first: who changed what");
  audit->add_option("--project", args->project, "project id (default: default)");
  audit->add_option("--limit", args->limit, "at most this many");
  add_data_option(audit, args->data);
  audit->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    const Printer out = printer();
    std::vector<boost::json::object> rows;
    for (const auto& entry : administration(data).audit_log(args->project, args->limit)) {
      auto row = service::render(entry);
      if (!out.json()) row["change"] = change_summary(row.at("before"), row.at("after"));
      rows.push_back(std::move(row));
    }
    out.list(kAuditColumns, rows);
  });
}

}  // namespace apiota::cli
