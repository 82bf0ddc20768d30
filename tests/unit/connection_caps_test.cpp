#include "http/connection_caps.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>

#include "http/address_connections.h"
#include "http/open_files_limit.h"

namespace apiota::http {
namespace {

using boost::asio::ip::make_address;

TEST(ConnectionCaps, KeepAReserveBelowTheCap) {
  EXPECT_EQ(connection_caps(10000).cap, 10000u);
  EXPECT_EQ(connection_caps(10000).evict_above, 10000u - 157u);
  EXPECT_EQ(connection_caps(64).evict_above, 62u);
  EXPECT_EQ(connection_caps(1).evict_above, 0u);
}

TEST(AddressConnections, CapsEachAddressSeparately) {
  AddressConnections open(2);
  auto a = make_address("192.0.2.1");
  auto b = make_address("192.0.2.2");
  EXPECT_TRUE(open.try_add(a));
  EXPECT_TRUE(open.try_add(a));
  EXPECT_FALSE(open.try_add(a));
  EXPECT_TRUE(open.try_add(b));
  open.remove(a);
  EXPECT_TRUE(open.try_add(a));
  EXPECT_FALSE(open.try_add(a));
}

TEST(AddressConnections, CountsAnIpv4MappedAddressAsItsIpv4) {
  AddressConnections open(1);
  EXPECT_TRUE(open.try_add(make_address("192.0.2.7")));
  EXPECT_FALSE(open.try_add(make_address("::ffff:192.0.2.7")));
}

TEST(AddressConnections, CountsIpv6ByItsSlash64) {
  AddressConnections open(2);
  EXPECT_TRUE(open.try_add(make_address("2001:db8:1:2::1")));
  EXPECT_TRUE(open.try_add(make_address("2001:db8:1:2:ffff::9")));
  EXPECT_FALSE(open.try_add(make_address("2001:db8:1:2:abcd::1")));
  EXPECT_TRUE(open.try_add(make_address("2001:db8:1:3::1")));
}

TEST(OpenFilesLimit, RaisesTheSoftLimitAsFarAsNeededAndAllowed) {
  EXPECT_EQ(wanted_soft_limit({1024, 1048576}, 10000), 10000 + kFilesBesideConnections);
  EXPECT_EQ(wanted_soft_limit({1024, 4096}, 10000), 4096u);
  EXPECT_EQ(wanted_soft_limit({1024, OpenFilesLimit::unlimited}, 10000), 10000 + kFilesBesideConnections);
  // Never lowers it.
  EXPECT_EQ(wanted_soft_limit({65536, 65536}, 100), 65536u);
}

TEST(OpenFilesLimit, LeavesRoomForOtherFiles) {
  EXPECT_EQ(connections_within(10000 + kFilesBesideConnections, 10000), 10000u);
  EXPECT_EQ(connections_within(4096, 10000), 4096 - kFilesBesideConnections);
  EXPECT_EQ(connections_within(OpenFilesLimit::unlimited, 10000), 10000u);
  EXPECT_EQ(connections_within(100, 10000), 50u);
  EXPECT_EQ(connections_within(1, 10000), 1u);
}

}  // namespace
}  // namespace apiota::http
