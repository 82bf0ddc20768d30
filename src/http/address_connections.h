#pragma once
// AddressConnections: how many connections each client address has open,
// held under a per-address cap (ServerOptions::max_connections_per_address).
//
// An address is counted as the server sees it: an IPv4 address (also one that
// arrives IPv4-mapped on an IPv6 socket), or the /64 prefix of an IPv6
// address, since a single IPv6 host usually holds a whole /64.
//
// Thread-safe. The counts are spread over shards, each behind its own mutex,
// so I/O threads opening connections from different addresses rarely wait
// for each other; an address has an entry only while it has connections open,
// so memory follows the open connections.

#include <array>
#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace apiota::http {

class AddressConnections {
 public:
  // `cap_per_address` >= 1.
  explicit AddressConnections(std::size_t cap_per_address);

  // Counts one more connection from `address` and returns true, or returns
  // false, counting nothing, when `address` already has the cap open.
  bool try_add(const boost::asio::ip::address& address);
  // Counts one connection from `address` fewer; call once per successful
  // try_add, when that connection closes.
  void remove(const boost::asio::ip::address& address);

 private:
  struct Key {
    std::uint64_t high = 0;  // IPv6: the /64 prefix; IPv4: 0
    std::uint64_t low = 0;   // IPv4: ::ffff:a.b.c.d as in an IPv4-mapped address; IPv6: 0
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::uint64_t seed;
    std::size_t operator()(const Key& key) const;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<Key, std::uint32_t, KeyHash> open;
  };
  static constexpr std::size_t kShards = 64;

  static Key key_of(const boost::asio::ip::address& address);
  Shard& shard_of(const Key& key);

  std::size_t cap_;
  KeyHash hash_;
  std::array<Shard, kShards> shards_;
};

}  // namespace apiota::http
