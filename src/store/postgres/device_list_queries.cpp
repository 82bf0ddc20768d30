// DeviceStore on PostgreSQL, its lists: filters, sort orders, offset and
// keyset paging, and capped counts. The indexes are SQLite's (schema.h), each
// filter and sort ending in device_id, so PostgreSQL's planner reads a page
// as one index range in list order; the stand-in sort keys (last_seen_key,
// version_key) are stored generated columns, so keyset paging compares plain
// columns.

#include <algorithm>

#include "store/postgres/device_rows.h"
#include "store/postgres/postgres_store.h"
#include "store/record_columns.h"

namespace apiota::store::postgres {
namespace {

// A query's conditions, numbering their parameters as they are added.
struct Conditions {
  std::string sql;
  Params params;

  // Adds `value` as the next parameter; returns its placeholder.
  template <class T>
  std::string param(const T& value) {
    params.add(value);
    // Appended piecewise: GCC 12 at -O3 misreports `"$" + string` (-Wrestrict).
    std::string placeholder(1, '$');
    return placeholder.append(std::to_string(params.size()));
  }
  // Appends `clause` followed by the placeholder of `value`.
  template <class T>
  void add(std::string_view clause, const T& value) {
    sql.append(clause).append(param(value));
  }
};

Conditions filters(const DeviceQuery& q) {
  Conditions c;
  c.add("WHERE d.project_id = ", q.project_id);
  if (!q.id_prefix.empty()) {
    c.add(" AND d.device_id >= ", q.id_prefix);
    c.add(" AND d.device_id < ", id_prefix_end(q.id_prefix));
  }
  if (q.tag) {
    c.add(" AND d.device_id IN (SELECT t.device_id FROM device_tags t WHERE t.project_id = ", q.project_id);
    c.add(" AND t.tag = ", *q.tag);
    c.sql += ")";
  }
  if (q.version) c.add(" AND d.version_key = ", *q.version);
  if (q.channel) c.add(" AND d.channel = ", *q.channel);
  // Named, not a parameter: blocked devices have a partial index (schema.h)
  // that the planner uses only for the literal.
  if (q.blocked) c.sql += *q.blocked ? " AND d.blocked = 1" : " AND d.blocked = 0";
  if (q.seen_after) c.add(" AND d.last_seen_key >= ", std::max<std::int64_t>(*q.seen_after, 0));
  if (q.seen_before) {
    c.sql += " AND d.last_seen_key >= 0";
    c.add(" AND d.last_seen_key < ", *q.seen_before);
  }
  return c;
}

// Starts the page after `after`, in the list's direction.
void add_keyset(Conditions& c, const DeviceQuery& q) {
  const DevicePosition& p = *q.after;
  const std::string op = q.descending ? " < " : " > ";
  const std::string key(device_sort_column(q.sort));
  if (key.empty()) {
    c.add(" AND d.device_id" + op, p.device_id);
    return;
  }
  if (q.sort == DeviceSort::FirmwareVersion) {
    c.add(" AND (" + key + ", d.device_id)" + op + "(", p.text.value_or(""));
  } else {
    c.add(" AND (" + key + ", d.device_id)" + op + "(", p.number.value_or(-1));
  }
  c.add(", ", p.device_id);
  c.sql += ")";
}

}  // namespace

std::vector<DeviceRecord> PostgresStore::list_devices(const DeviceQuery& q) {
  Conditions c = filters(q);
  if (q.after) add_keyset(c, q);
  const std::string direction = q.descending ? " DESC" : "";
  const std::string key(device_sort_column(q.sort));
  std::string order = " ORDER BY ";
  if (!key.empty()) order += key + direction + ", ";
  order += "d.device_id" + direction;
  // The page's rows are chosen first (row ids), and only they are read whole
  // with their attempts.
  std::string sql = select_devices_with_attempts() + "WHERE d.row_id IN (SELECT d.row_id FROM devices d " + c.sql +
                    order;
  sql += " LIMIT " + c.param(q.limit) + " OFFSET " + c.param(q.offset) + ")" + order;
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(sql, c.params);
    std::vector<DeviceRecord> out;
    while (r.next()) out.push_back(device_with_attempts(r));
    return out;
  });
}

DeviceCount PostgresStore::count_matching_devices(const DeviceQuery& q, std::int64_t cap) {
  Conditions c = filters(q);
  std::string sql = "SELECT COUNT(*) FROM (SELECT 1 FROM devices d " + c.sql;
  sql += " LIMIT " + c.param(cap + 1) + ") s";
  const std::int64_t counted = db_.read([&](Connection& conn) {
    Result r = conn.exec(sql, c.params);
    r.next();
    return r.int64(0);
  });
  return counted > cap ? DeviceCount{cap, false} : DeviceCount{counted, true};
}

}  // namespace apiota::store::postgres
