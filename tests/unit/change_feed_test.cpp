// ChangeFeed (service/change_feed.h) and the events a stream renders from it
// (api/admin/event_stream.h).

#include "service/change_feed.h"

#include <gtest/gtest.h>

#include "api/admin/event_stream.h"

namespace apiota::service {
namespace {

TEST(ChangeFeed, ASubscriptionSeesOnlyChangesAfterItBegan) {
  ChangeFeed feed;
  feed.note("p", ChangeKind::Device);
  auto sub = feed.subscribe("p");
  ASSERT_TRUE(sub);
  EXPECT_FALSE(sub->poll().any());
  feed.note("p", ChangeKind::Audit);
  Changes changes = sub->poll();
  EXPECT_TRUE(changes.has(ChangeKind::Audit));
  EXPECT_FALSE(changes.has(ChangeKind::Device));
  EXPECT_FALSE(sub->poll().any());
}

TEST(ChangeFeed, ManyChangesBetweenPollsAreCoalescedWithTheirReleases) {
  ChangeFeed feed;
  auto sub = feed.subscribe("p");
  ASSERT_TRUE(sub);
  const std::int64_t seven = 7, three = 3;
  for (int i = 0; i < 50; ++i) feed.note("p", ChangeKind::Ota, std::span(&seven, 1));
  feed.note("p", ChangeKind::Ota, std::span(&three, 1));
  feed.note_release("p", 7);
  Changes changes = sub->poll();
  EXPECT_TRUE(changes.has(ChangeKind::Ota));
  EXPECT_TRUE(changes.has(ChangeKind::Release));
  EXPECT_TRUE(changes.has(ChangeKind::Audit));
  EXPECT_EQ(changes.ota_release_ids, (std::vector<std::int64_t>{3, 7}));
  EXPECT_EQ(changes.changed_release_ids, (std::vector<std::int64_t>{7}));
  feed.note("p", ChangeKind::Ota, std::span(&three, 1));
  EXPECT_EQ(sub->poll().ota_release_ids, (std::vector<std::int64_t>{3}));
}

TEST(ChangeFeed, ProjectsAreSeparate) {
  ChangeFeed feed;
  auto sub = feed.subscribe("p");
  ASSERT_TRUE(sub);
  feed.note_device("q");
  EXPECT_FALSE(sub->poll().any());
}

TEST(ChangeFeed, SubscriptionsAreBoundedPerProjectAndInAll) {
  ChangeFeed feed(StreamLimits{2, 3});
  auto a = feed.subscribe("p");
  auto b = feed.subscribe("p");
  EXPECT_TRUE(a && b);
  EXPECT_FALSE(feed.subscribe("p"));
  auto c = feed.subscribe("q");
  EXPECT_TRUE(c);
  EXPECT_FALSE(feed.subscribe("r"));
  a.reset();
  EXPECT_TRUE(feed.subscribe("p"));  // a's place is free again (and freed at once)
  auto d = feed.subscribe("p");
  EXPECT_TRUE(d);
}

TEST(ChangeFeed, RemembersABoundedNumberOfReleases) {
  ChangeFeed feed;
  auto sub = feed.subscribe("p");
  ASSERT_TRUE(sub);
  for (std::int64_t id = 1; id <= 1000; ++id) feed.note("p", ChangeKind::Ota, std::span(&id, 1));
  const Changes changes = sub->poll();
  ASSERT_EQ(changes.ota_release_ids.size(), ChangeFeed::kMaxRememberedReleases);
  EXPECT_EQ(changes.ota_release_ids.back(), 1000);
}

TEST(EventStreamText, RendersOneEventPerKindInOrder) {
  Changes changes;
  changes.changed = {true, true, true, true};
  changes.ota_release_ids = {7};
  changes.changed_release_ids = {7, 9};
  EXPECT_EQ(api::admin::render_events(changes),
            "event: ota\ndata: {\"release_ids\":[7]}\n\n"
            "event: release\ndata: {\"release_ids\":[7,9]}\n\n"
            "event: device\ndata: {}\n\n"
            "event: audit\ndata: {}\n\n");
  EXPECT_EQ(api::admin::render_events(Changes{}), "");
}

}  // namespace
}  // namespace apiota::service
