#pragma once
// The internal changelog: every release of a project, newest first, with
// what an operator needs to judge and undo it: version, channel, notes,
// digest, size, chip, secure_version, who uploaded it and when, its state and
// rollout share, the history of changes to it (from the audit log), how its
// update attempts ended (installs, failures, stuck, bootloader rollbacks,
// ended by revocation), and its rollback target with the exact command and
// API call that performs the rollback.
//
// changelog_json() reads the store (throws StoreError); changelog_markdown()
// renders that JSON as a Markdown document, numbers written plainly
// (service/json_text.h).

#include <boost/json/array.hpp>

#include <string>
#include <string_view>

#include "store/store.h"

namespace apiota::service {

boost::json::array changelog_json(store::Store& store, std::string_view project_id);
std::string changelog_markdown(const boost::json::array& changelog, std::string_view project_id);

}  // namespace apiota::service
