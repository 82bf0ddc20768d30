// DeviceStore on SQLite, its lists: filters, sort orders, offset and keyset
// paging, and capped counts. Every filter and sort has an index ending in
// device_id (schema.cpp, kSchemaV9), so a page is one index range read in
// list order and a deep page costs what the first one does. A tag is an
// index range of device_tags (kSchemaV13): filtered by a tag alone (and an id
// prefix), a page in device_id order reads the tag's rows in order and looks
// up only the page's devices, and a count reads the tag's rows alone.

#include <functional>
#include <vector>

#include "store/record_columns.h"
#include "store/sqlite/device_rows.h"
#include "store/sqlite/sqlite_store.h"

namespace apiota::store::sqlite {
namespace {

// Up to this many devices in the last-seen range, sorting them by another
// field is cheaper than walking that field's index past the others.
constexpr std::int64_t kSortableSeenRange = 10000;

// Where a query reads its devices from.
enum class Source {
  Devices,  // devices d; a tag is a membership test
  TagRows,  // the tag's device_tags rows t in device_id order, each joined to its devices row d
  TagOnly,  // the tag's device_tags rows t alone (a count filtered by nothing else but an id prefix)
};

// Whether a tag (with an id prefix or not) is the query's only filter.
bool tag_alone(const DeviceQuery& q) {
  return q.tag && !q.version && !q.channel && !q.blocked && !q.seen_after && !q.seen_before;
}

std::string from(Source source) {
  switch (source) {
    case Source::TagRows:
      return "FROM device_tags t JOIN devices d ON d.device_id = t.device_id ";
    case Source::TagOnly:
      return "FROM device_tags t ";
    case Source::Devices:
      break;
  }
  return "FROM devices d ";
}

// The column of the device id a source reads in order.
std::string id_column(Source source) { return source == Source::Devices ? "d.device_id" : "t.device_id"; }

// The SQL of a query's conditions with the values to bind, in order.
struct Conditions {
  std::string sql;
  std::vector<std::function<void(Statement&, int)>> binds;

  template <class T>
  void add(std::string clause, T value) {
    sql += std::move(clause);
    binds.emplace_back([value = std::move(value)](Statement& s, int index) { s.bind(index, value); });
  }
  void bind_all(Statement& stmt, int& index) const {
    for (const auto& bind : binds) bind(stmt, index++);
  }
};

// `use_seen_index` false writes the last-seen range so SQLite will not read
// it from its index (unary +), leaving the sort order's index to the plan.
// A tag source (TagRows, TagOnly) needs q.tag.
Conditions filters(const DeviceQuery& q, bool use_seen_index, Source source = Source::Devices) {
  Conditions c;
  if (source == Source::Devices) {
    c.add("WHERE d.project_id = ?", q.project_id);
  } else {
    c.add("WHERE t.project_id = ?", q.project_id);
    c.add(" AND t.tag = ?", *q.tag);
  }
  if (source == Source::TagRows) c.add(" AND d.project_id = ?", q.project_id);
  const std::string id = id_column(source);
  if (!q.id_prefix.empty()) {
    // A bound the device_id cursor already passes is left out: SQLite seeks
    // the index by one lower (upper) bound only, and it must be the cursor.
    const std::string end = id_prefix_end(q.id_prefix);
    const bool by_id_after = q.after && q.sort == DeviceSort::DeviceId;
    if (!(by_id_after && !q.descending && q.after->device_id >= q.id_prefix)) {
      c.add(" AND " + id + " >= ?", q.id_prefix);
    }
    if (!(by_id_after && q.descending && q.after->device_id < end)) c.add(" AND " + id + " < ?", end);
  }
  if (q.tag && source == Source::Devices) {
    c.add(" AND d.device_id IN (SELECT t.device_id FROM device_tags t WHERE t.project_id = ?", q.project_id);
    c.add(" AND t.tag = ?)", *q.tag);
  }
  if (q.version) c.add(" AND d.version_key = ?", *q.version);
  if (q.channel) c.add(" AND d.channel = ?", *q.channel);
  // Named, not bound: blocked devices have a partial index (schema.cpp,
  // kSchemaV14) that only a literal `blocked = 1` lets SQLite use.
  if (q.blocked) c.sql += *q.blocked ? " AND d.blocked = 1" : " AND d.blocked = 0";
  const std::string seen = use_seen_index ? "d.last_seen_key" : "+d.last_seen_key";
  if (q.seen_after) c.add(" AND " + seen + " >= ?", std::max<std::int64_t>(*q.seen_after, 0));
  if (q.seen_before) {
    c.sql += " AND " + seen + " >= 0";
    c.add(" AND " + seen + " < ?", *q.seen_before);
  }
  return c;
}

// Starts the page after `after`, in the list's direction.
void add_keyset(Conditions& c, const DeviceQuery& q, Source source) {
  const DevicePosition& p = *q.after;
  const char* op = q.descending ? " < " : " > ";
  const std::string key(device_sort_column(q.sort));
  if (key.empty()) {
    c.add(" AND " + id_column(source) + op + "?", p.device_id);
    return;
  }
  c.sql += " AND (" + key + ", d.device_id)" + op + "(?, ?)";
  if (q.sort == DeviceSort::FirmwareVersion) {
    const std::string text = p.text.value_or("");
    c.binds.emplace_back([text](Statement& s, int index) { s.bind(index, text); });
  } else {
    const std::int64_t number = p.number.value_or(-1);
    c.binds.emplace_back([number](Statement& s, int index) { s.bind(index, number); });
  }
  c.binds.emplace_back([id = p.device_id](Statement& s, int index) { s.bind(index, id); });
}

std::int64_t count_up_to(Connection& conn, Source source, const Conditions& c, std::int64_t limit) {
  auto stmt = conn.prepare("SELECT COUNT(*) FROM (SELECT 1 " + from(source) + c.sql + " LIMIT ?)");
  int index = 1;
  c.bind_all(stmt, index);
  stmt.bind(index, limit);
  stmt.step();
  return stmt.int64(0);
}

// Whether to read a last-seen filter from its index: yes unless the list is
// sorted by something else and the range is too large to sort.
bool seen_index_fits(Connection& conn, const DeviceQuery& q) {
  if (!q.seen_after && !q.seen_before) return false;
  if (q.sort == DeviceSort::LastSeenAt) return true;
  DeviceQuery seen_only{q.project_id};
  seen_only.seen_after = q.seen_after;
  seen_only.seen_before = q.seen_before;
  return count_up_to(conn, Source::Devices, filters(seen_only, true), kSortableSeenRange + 1) <= kSortableSeenRange;
}

}  // namespace

std::vector<DeviceRecord> SqliteStore::list_devices(const DeviceQuery& q) {
  auto conn = db_.reader();
  const Source source = tag_alone(q) && q.sort == DeviceSort::DeviceId ? Source::TagRows : Source::Devices;
  Conditions c = filters(q, seen_index_fits(*conn, q), source);
  if (q.after) add_keyset(c, q, source);
  const std::string direction = q.descending ? " DESC" : "";
  const std::string key(device_sort_column(q.sort));
  std::string order = " ORDER BY ";
  if (!key.empty()) order += key + direction + ", ";
  // The page's rows are chosen from the indexes alone (row ids), and only
  // they are read whole with their attempts: a sort before the limit then
  // orders index entries, not joined rows.
  auto stmt = conn->prepare(select_devices_with_attempts() + "WHERE d.row_id IN (SELECT d.row_id " + from(source) +
                            c.sql + order + id_column(source) + direction + " LIMIT ? OFFSET ?)" + order +
                            "d.device_id" + direction);
  int index = 1;
  c.bind_all(stmt, index);
  stmt.bind(index, q.limit).bind(index + 1, q.offset);
  std::vector<DeviceRecord> out;
  while (stmt.step()) out.push_back(device_with_attempts(stmt));
  return out;
}

DeviceCount SqliteStore::count_matching_devices(const DeviceQuery& q, std::int64_t cap) {
  auto conn = db_.reader();
  const Source source = tag_alone(q) ? Source::TagOnly : Source::Devices;
  const std::int64_t counted = count_up_to(*conn, source, filters(q, true, source), cap + 1);
  return counted > cap ? DeviceCount{cap, false} : DeviceCount{counted, true};
}

}  // namespace apiota::store::sqlite
