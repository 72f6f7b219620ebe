// Queue administration: create, update, get, list, delete.
#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(Queues);

TEST_P(Queues, CreateThenGetReturnsDefaults) {
  ServiceHarness h;
  auto created = h.put("orders");
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(created.value().created);
  EXPECT_EQ(created.value().queue.name, "orders");
  EXPECT_EQ(created.value().queue.created_at_ms, h.clock().now_ms());

  auto info = h.get("orders");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info.value().attributes, QueueAttributes{});
  EXPECT_FALSE(info.value().attributes.fifo);
  EXPECT_EQ(info.value().stats.visible, 0);
}

TEST_P(Queues, PutOnExistingQueueUpdatesOnlyGivenFields) {
  ServiceHarness h;
  h.create("orders");
  AttributesPatch patch;
  patch.visibility_timeout_s = 5;
  auto updated = h.put("orders", patch);
  ASSERT_TRUE(updated.ok());
  EXPECT_FALSE(updated.value().created);
  EXPECT_EQ(updated.value().queue.attributes.visibility_timeout_s, 5);
  EXPECT_EQ(updated.value().queue.attributes.retention_s, QueueAttributes{}.retention_s);
  EXPECT_EQ(h.get("orders").value().attributes.visibility_timeout_s, 5);
}

TEST_P(Queues, FifoComesFromTheName) {
  ServiceHarness h;
  EXPECT_TRUE(h.create("jobs.fifo").attributes.fifo);
  AttributesPatch fifo;
  fifo.fifo = true;
  EXPECT_EQ(h.put("plain", fifo).error().code, ErrorCode::invalid_request);
  AttributesPatch standard;
  standard.fifo = false;
  EXPECT_EQ(h.put("jobs.fifo", standard).error().code, ErrorCode::conflict);
  EXPECT_EQ(h.put("new.fifo", standard).error().code, ErrorCode::invalid_request);
  EXPECT_TRUE(h.put("jobs.fifo", fifo).ok());
}

TEST_P(Queues, GetUnknownQueueIsNotFound) {
  ServiceHarness h;
  EXPECT_EQ(h.get("missing").error().code, ErrorCode::queue_not_found);
}

TEST_P(Queues, ListPagesByPrefixWithCursor) {
  ServiceHarness h;
  for (auto name : {"a-1", "a-2", "a-3", "b-1", "a-4.fifo"}) h.create(name);
  ListQueuesRequest request;
  request.prefix = "a-";
  request.limit = 2;
  auto first = await<QueueList>([&](auto done) { h.service().list_queues(request, std::move(done)); });
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.value().names, (std::vector<std::string>{"a-1", "a-2"}));
  ASSERT_TRUE(first.value().next_cursor);
  request.cursor = *first.value().next_cursor;
  auto second = await<QueueList>([&](auto done) { h.service().list_queues(request, std::move(done)); });
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second.value().names, (std::vector<std::string>{"a-3", "a-4.fifo"}));
  EXPECT_FALSE(second.value().next_cursor);

  ListQueuesRequest all;
  auto everything = await<QueueList>([&](auto done) { h.service().list_queues(all, std::move(done)); });
  EXPECT_EQ(everything.value().names.size(), 5u);
}

TEST_P(Queues, DeleteRemovesQueueAndMessages) {
  ServiceHarness h;
  h.create("orders");
  h.send_one("orders", "x");
  auto deleted = await<Done>([&](auto done) { h.service().delete_queue("orders", std::move(done)); });
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(h.get("orders").error().code, ErrorCode::queue_not_found);
  h.create("orders");
  EXPECT_EQ(h.stats("orders").visible, 0);
  auto again = await<Done>([&](auto done) { h.service().delete_queue("nope", std::move(done)); });
  EXPECT_EQ(again.error().code, ErrorCode::queue_not_found);
}

}  // namespace
}  // namespace queue::testing
