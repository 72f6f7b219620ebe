// queuectl against a live queue-server (no tokens, loopback): every noun, its JSON and
// table output, and the exit codes for usage, not found and unavailable.
#include <gtest/gtest.h>

#include <memory>

#include <boost/json.hpp>

#include "tests/cli/queuectl.h"
#include "tests/concurrency/queue_server.h"

namespace {

using queuectl_test::queuectl;
using queuectl_test::Outcome;
namespace json = boost::json;

constexpr int ok = 0, other = 1, usage = 2, not_found = 4, unavailable = 5;

// One server for the suite; every test uses queues of its own names.
class Queuectl : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<test_support::TempDir>();
    server_ = std::make_unique<robustness::QueueServer>(QUEUE_SERVER_BINARY, dir_->path());
    server_->start();
  }
  static void TearDownTestSuite() {
    server_.reset();
    dir_.reset();
  }

  // queuectl with QUEUE_URL pointing at the server.
  static Outcome run(std::vector<std::string> args, std::string input = {}) {
    return queuectl(*dir_, std::move(args), {{"QUEUE_URL", queuectl_test::url_of(server_->port())}}, std::move(input));
  }
  static Outcome run_json(std::vector<std::string> args, std::string input = {}) {
    args.insert(args.begin(), {"-o", "json"});
    return run(std::move(args), std::move(input));
  }
  static std::string server_output() { return server_->output(); }

  static std::unique_ptr<test_support::TempDir> dir_;
  static std::unique_ptr<robustness::QueueServer> server_;
};

std::unique_ptr<test_support::TempDir> Queuectl::dir_;
std::unique_ptr<robustness::QueueServer> Queuectl::server_;

std::int64_t stat_of(const Outcome& show, const char* name) {
  return show.json().at("stats").at(name).as_int64();
}

TEST_F(Queuectl, CreatesShowsAndUpdatesAQueue) {
  Outcome dlq = run_json({"queues", "create", "life-dlq"});
  ASSERT_EQ(dlq.code, ok) << dlq.err;
  Outcome created = run_json({"queues", "create", "life", "--visibility-timeout", "45", "--dead-letter", "life-dlq",
                          "--max-receives", "3"});
  ASSERT_EQ(created.code, ok) << created.err;
  json::value body = created.json();
  EXPECT_EQ(body.at("created"), true);
  EXPECT_EQ(body.at("queue").at("name"), "life");
  EXPECT_EQ(body.at("queue").at("attributes").at("visibility_timeout_s"), 45);
  EXPECT_EQ(body.at("queue").at("attributes").at("dead_letter").at("queue"), "life-dlq");
  EXPECT_EQ(body.at("queue").at("attributes").at("dead_letter").at("max_receives"), 3);
  EXPECT_EQ(body.at("queue").at("stats").at("visible"), 0);

  Outcome updated = run_json({"queues", "update", "life", "--delay", "7", "--no-dead-letter"});
  ASSERT_EQ(updated.code, ok) << updated.err;
  EXPECT_EQ(updated.json().at("created"), false);
  EXPECT_EQ(updated.json().at("queue").at("attributes").at("delay_s"), 7);
  EXPECT_TRUE(updated.json().at("queue").at("attributes").at("dead_letter").is_null());
  EXPECT_EQ(updated.json().at("queue").at("attributes").at("visibility_timeout_s"), 45);  // untouched

  Outcome shown = run({"queues", "show", "life"});
  ASSERT_EQ(shown.code, ok) << shown.err;
  EXPECT_NE(shown.out.find("FIELD                 VALUE\n"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("visibility_timeout_s  45\n"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("delay_s               7\n"), std::string::npos) << shown.out;
}

TEST_F(Queuectl, UpdateNeverCreatesAQueue) {
  Outcome updated = run({"queues", "update", "update-missing", "--delay", "1"});
  EXPECT_EQ(updated.code, not_found) << updated.out << updated.err;
  EXPECT_NE(updated.err.find("queue_not_found"), std::string::npos) << updated.err;
  EXPECT_EQ(run({"queues", "show", "update-missing"}).code, not_found);
}

TEST_F(Queuectl, ListsQueuesAPageAtATime) {
  for (const char* name : {"page-a", "page-b", "page-c"}) ASSERT_EQ(run({"queues", "create", name}).code, ok);

  Outcome first = run_json({"queues", "list", "--prefix", "page-", "--limit", "2"});
  ASSERT_EQ(first.code, ok) << first.err;
  EXPECT_EQ(first.json().at("queues"), (json::array{"page-a", "page-b"}));
  ASSERT_TRUE(first.json().at("next_cursor").is_string()) << first.out;

  Outcome second = run_json({"queues", "list", "--prefix", "page-", "--limit", "2", "--cursor",
                         std::string(first.json().at("next_cursor").as_string())});
  ASSERT_EQ(second.code, ok) << second.err;
  EXPECT_EQ(second.json().at("queues"), (json::array{"page-c"}));
  EXPECT_TRUE(second.json().at("next_cursor").is_null());

  Outcome all = run_json({"queues", "list", "--prefix", "page-", "--limit", "1", "--all"});
  ASSERT_EQ(all.code, ok) << all.err;
  EXPECT_EQ(all.json().at("queues"), (json::array{"page-a", "page-b", "page-c"}));
  EXPECT_TRUE(all.json().at("next_cursor").is_null());

  Outcome table = run({"queues", "list", "--prefix", "page-", "--limit", "2"});
  EXPECT_EQ(table.out, "QUEUE\npage-a\npage-b\nmore: --cursor " +
                           std::string(first.json().at("next_cursor").as_string()) + " (or --all)\n");
}

TEST_F(Queuectl, DestructiveVerbsRefuseWithoutYes) {
  ASSERT_EQ(run({"queues", "create", "keep"}).code, ok);
  ASSERT_EQ(run({"messages", "send", "keep", "precious"}).code, ok);

  for (std::vector<std::string> args : {std::vector<std::string>{"queues", "delete", "keep"},
                                        std::vector<std::string>{"queues", "purge", "keep"},
                                        std::vector<std::string>{"dlq", "redrive", "keep"}}) {
    Outcome refused = run(args);
    EXPECT_EQ(refused.code, usage) << args[1];
    EXPECT_NE(refused.err.find("add --yes to confirm"), std::string::npos) << refused.err;
    EXPECT_TRUE(refused.out.empty()) << refused.out;
  }
  Outcome still = run_json({"queues", "show", "keep"});
  ASSERT_EQ(still.code, ok);
  EXPECT_EQ(stat_of(still, "visible"), 1);

  Outcome purged = run_json({"queues", "purge", "keep", "--yes"});
  ASSERT_EQ(purged.code, ok) << purged.err;
  EXPECT_EQ(purged.json(), (json::value{{"queue", "keep"}, {"purged", 1}}));
  Outcome deleted = run_json({"queues", "delete", "keep", "-y"});
  ASSERT_EQ(deleted.code, ok) << deleted.err;
  EXPECT_EQ(deleted.json(), (json::value{{"deleted", "keep"}}));
  EXPECT_EQ(run({"queues", "show", "keep"}).code, not_found);
}

TEST_F(Queuectl, SendsPeeksReceivesAndAcks) {
  ASSERT_EQ(run({"queues", "create", "flow"}).code, ok);
  Outcome sent = run_json({"messages", "send", "flow", "-a", "kind=test", "first", "second"});
  ASSERT_EQ(sent.code, ok) << sent.err;
  ASSERT_EQ(sent.json().at("ids").as_array().size(), 2u);

  Outcome peeked = run_json({"messages", "peek", "flow", "--limit", "5"});
  ASSERT_EQ(peeked.code, ok) << peeked.err;
  const json::value peek_answer = peeked.json();
  const json::array& messages = peek_answer.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].at("body"), "first");
  EXPECT_EQ(messages[0].at("id"), sent.json().at("ids").at(0));
  EXPECT_EQ(messages[0].at("attributes"), (json::value{{"kind", "test"}}));
  EXPECT_EQ(messages[0].at("receive_count"), 0);  // peeking leases nothing

  Outcome table = run({"messages", "peek", "flow"});
  EXPECT_EQ(table.out.rfind("ID  STATE    SENT_AT", 0), 0u) << table.out;
  EXPECT_NE(table.out.find("kind=test   first\n"), std::string::npos) << table.out;

  Outcome received = run_json({"messages", "receive", "flow", "--max", "1"});
  ASSERT_EQ(received.code, ok) << received.err;
  ASSERT_EQ(received.json().at("messages").as_array().size(), 1u);
  const json::value receive_answer = received.json();
  const json::value& message = receive_answer.at("messages").at(0);
  EXPECT_EQ(message.at("body"), "first");
  EXPECT_EQ(message.at("receive_count"), 1);
  const std::string receipt(message.at("receipt").as_string());

  Outcome in_flight = run_json({"messages", "peek", "flow", "--state", "in_flight"});
  ASSERT_EQ(in_flight.code, ok) << in_flight.err;
  EXPECT_EQ(in_flight.json().at("messages").at(0).at("body"), "first");

  Outcome acked = run_json({"messages", "ack", "flow", receipt});
  ASSERT_EQ(acked.code, ok) << acked.err;
  EXPECT_EQ(acked.json(), (json::value{{"queue", "flow"}, {"acked", 1}, {"failed", json::array{}}}));

  // The same receipt again: its lease is gone. The answer says so and the exit code is 1.
  Outcome again = run_json({"messages", "ack", "flow", receipt});
  EXPECT_EQ(again.code, other);
  EXPECT_EQ(again.json().at("acked"), 0);
  EXPECT_EQ(again.json().at("failed").at(0).at("receipt"), json::value(receipt));
  EXPECT_EQ(again.json().at("failed").at(0).at("code"), "receipt_invalid");

  Outcome show = run_json({"queues", "show", "flow"});
  EXPECT_EQ(stat_of(show, "visible"), 1);
  EXPECT_EQ(stat_of(show, "in_flight"), 0);
}

TEST_F(Queuectl, SendsEachLineOfStdinInBatches) {
  ASSERT_EQ(run({"queues", "create", "lines"}).code, ok);
  std::string input;
  for (int i = 0; i < 150; ++i) input += "line-" + std::to_string(i) + "\n";
  Outcome sent = run_json({"messages", "send", "lines", "--stdin"}, input);
  ASSERT_EQ(sent.code, ok) << sent.err;
  EXPECT_EQ(sent.json().at("ids").as_array().size(), 150u);
  EXPECT_EQ(stat_of(run_json({"queues", "show", "lines"}), "visible"), 150);

  EXPECT_EQ(run({"messages", "send", "lines"}).code, usage);  // nothing to send
  EXPECT_EQ(run({"messages", "send", "lines", "a", "b", "--dedup-id", "x"}).code, usage);
}

TEST_F(Queuectl, PeeksAndRedrivesDeadLetters) {
  ASSERT_EQ(run({"queues", "create", "work-dlq"}).code, ok);
  ASSERT_EQ(run({"queues", "create", "work", "--dead-letter", "work-dlq", "--max-receives", "1"}).code, ok);
  ASSERT_EQ(run({"messages", "send", "work", "poison"}).code, ok);
  // Delivered once and given back at once (a zero lease); the next receive dead-letters it.
  Outcome first = run_json({"messages", "receive", "work", "--visibility-timeout", "0"});
  ASSERT_EQ(first.json().at("messages").as_array().size(), 1u) << first.out << first.err;
  Outcome second = run_json({"messages", "receive", "work"});
  ASSERT_EQ(second.code, ok) << second.err;
  EXPECT_EQ(second.json().at("messages").as_array().size(), 0u) << second.out;

  Outcome dead = run_json({"dlq", "peek", "work-dlq"});
  ASSERT_EQ(dead.code, ok) << dead.err;
  ASSERT_EQ(dead.json().at("messages").as_array().size(), 1u) << dead.out;
  EXPECT_EQ(dead.json().at("messages").at(0).at("body"), "poison");

  Outcome redriven = run_json({"dlq", "redrive", "work-dlq", "--yes", "--all", "--max", "1"});
  ASSERT_EQ(redriven.code, ok) << redriven.err;
  EXPECT_EQ(redriven.json(), (json::value{{"queue", "work-dlq"}, {"moved", 1}}));
  EXPECT_EQ(stat_of(run_json({"queues", "show", "work"}), "visible"), 1);
  EXPECT_EQ(stat_of(run_json({"queues", "show", "work-dlq"}), "visible"), 0);
}

TEST_F(Queuectl, StatsAndTopShowDepthAndAge) {
  ASSERT_EQ(run({"queues", "create", "top-shallow"}).code, ok);
  ASSERT_EQ(run({"queues", "create", "top-deep"}).code, ok);
  ASSERT_EQ(run({"messages", "send", "top-shallow", "x"}).code, ok);
  ASSERT_EQ(run({"messages", "send", "top-deep", "x", "y", "z"}).code, ok);
  ASSERT_EQ(run({"messages", "receive", "top-deep"}).code, ok);

  Outcome stats = run_json({"stats", "--prefix", "top-"});
  ASSERT_EQ(stats.code, ok) << stats.err;
  EXPECT_EQ(stats.json().at("queues").at(0),
            (json::value{{"name", "top-deep"}, {"visible", 2}, {"in_flight", 1}, {"delayed", 0},
                         {"oldest_age_s", stats.json().at("queues").at(0).at("oldest_age_s")}, {"paused", false}}));
  EXPECT_EQ(stats.json().at("totals").at("queues"), 2);
  EXPECT_EQ(stats.json().at("totals").at("visible"), 3);
  EXPECT_EQ(stats.json().at("totals").at("in_flight"), 1);

  Outcome named = run_json({"stats", "top-shallow"});
  ASSERT_EQ(named.code, ok) << named.err;
  EXPECT_EQ(named.json().at("queues").as_array().size(), 1u);
  EXPECT_EQ(run({"stats", "top-missing"}).code, not_found);

  // --once: one table, deepest first, no escape codes.
  Outcome once = run({"top", "--once", "--prefix", "top-"});
  ASSERT_EQ(once.code, ok) << once.err;
  EXPECT_EQ(once.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(once.out.rfind("queuectl top  http://127.0.0.1:", 0), 0u) << once.out;
  EXPECT_NE(once.out.find("2 queues, by depth then oldest age"), std::string::npos) << once.out;
  const std::size_t deep = once.out.find("\ntop-deep ");
  const std::size_t shallow = once.out.find("\ntop-shallow ");
  ASSERT_NE(deep, std::string::npos) << once.out;
  ASSERT_NE(shallow, std::string::npos) << once.out;
  EXPECT_LT(deep, shallow) << once.out;
  EXPECT_NE(once.out.find("QUEUE             VISIBLE  IN_FLIGHT  DELAYED  OLDEST_AGE\n"), std::string::npos)
      << once.out;

  Outcome rows = run_json({"top", "--once", "--prefix", "top-", "--rows", "1"});
  ASSERT_EQ(rows.code, ok) << rows.err;
  EXPECT_EQ(rows.json().at("queues").as_array().size(), 1u);
  EXPECT_EQ(rows.json().at("queues").at(0).at("name"), "top-deep");
  EXPECT_EQ(rows.json().at("queues_total"), 2);
  EXPECT_EQ(rows.json().at("totals").at("visible"), 3);  // every queue counts, shown or not

  // Refreshing: each redraw homes the cursor and clears the screen.
  Outcome refreshed = run({"top", "--prefix", "top-", "--count", "2", "--interval", "0.1"});
  ASSERT_EQ(refreshed.code, ok) << refreshed.err;
  const std::string clear = "\x1b[H\x1b[2J";
  const std::size_t first_clear = refreshed.out.find(clear);
  EXPECT_EQ(first_clear, 0u) << refreshed.out;
  EXPECT_NE(refreshed.out.find(clear, first_clear + 1), std::string::npos) << refreshed.out;
}

TEST_F(Queuectl, NotFoundExitsWithFourAndAJsonError) {
  Outcome shown = run_json({"queues", "show", "no-such-queue"});
  EXPECT_EQ(shown.code, not_found);
  EXPECT_TRUE(shown.out.empty()) << shown.out;
  json::value error = shown.error_json().at("error");
  EXPECT_EQ(error.at("code"), "queue_not_found");
  EXPECT_TRUE(error.at("request_id").is_string()) << shown.err;
  EXPECT_EQ(run({"messages", "peek", "no-such-queue"}).code, not_found);
  EXPECT_EQ(run({"queues", "delete", "no-such-queue", "--yes"}).code, not_found);
}

TEST_F(Queuectl, BadInputIsAUsageError) {
  Outcome noun = run({"nouns"});
  EXPECT_EQ(noun.code, usage);
  EXPECT_NE(noun.err.find("queuectl: usage:"), std::string::npos) << noun.err;
  // With -o json, a usage error is JSON on stderr too.
  Outcome missing = run_json({"queues", "show"});
  EXPECT_EQ(missing.code, usage);
  EXPECT_EQ(missing.error_json().at("error").at("code"), "usage");
  EXPECT_EQ(run({"queues"}).code, usage);                                  // no verb
  EXPECT_EQ(run({"queues", "show"}).code, usage);                          // no queue
  EXPECT_EQ(run({"-o", "xml", "health"}).code, usage);                     // no such format
  EXPECT_EQ(run({"messages", "peek", "q", "--state", "gone"}).code, usage);  // no such state
  EXPECT_EQ(run({"messages", "receive", "q", "--max", "0"}).code, usage);
  EXPECT_EQ(run({"queues", "create", "q", "--dead-letter", "d"}).code, usage);  // without --max-receives
  EXPECT_EQ(run({"--url", "ftp://nowhere", "health"}).code, usage);

  // What only the server can refuse (invalid_request) is the user's to fix as well.
  Outcome bad_name = run_json({"queues", "create", "no spaces"});
  EXPECT_EQ(bad_name.code, usage) << bad_name.err;
  EXPECT_EQ(bad_name.error_json().at("error").at("code"), "invalid_request");
}

TEST_F(Queuectl, HelpListsTheNounsAndExitsZero) {
  Outcome help = run({"--help"});
  EXPECT_EQ(help.code, ok);
  for (const char* noun : {"queues", "messages", "dlq", "stats", "top", "health"}) {
    EXPECT_NE(help.out.find(noun), std::string::npos) << noun << "\n" << help.out;
  }
}

TEST_F(Queuectl, HealthSaysOk) {
  Outcome health = run_json({"health"});
  ASSERT_EQ(health.code, ok) << health.err;
  EXPECT_EQ(health.json().at("status"), "ok");
  EXPECT_EQ(health.json().at("url"), json::value(queuectl_test::url_of(server_->port())));
  EXPECT_EQ(run({"health"}).out.rfind("ok  http://127.0.0.1:", 0), 0u);
}

TEST_F(Queuectl, PausedQueueAcceptsSendsAndHandsOutNothing) {
  ASSERT_EQ(run({"queues", "create", "pausable"}).code, ok);
  Outcome paused = run_json({"queues", "pause", "pausable"});
  ASSERT_EQ(paused.code, ok) << paused.err;
  EXPECT_EQ(paused.json().at("queue").at("attributes").at("paused"), true);
  ASSERT_EQ(run({"messages", "send", "pausable", "waiting"}).code, ok);
  Outcome none = run_json({"messages", "receive", "pausable"});
  ASSERT_EQ(none.code, ok) << none.err;
  EXPECT_EQ(none.json().at("messages").as_array().size(), 0u);
  Outcome shown = run({"queues", "show", "pausable"});
  EXPECT_NE(shown.out.find("paused                true"), std::string::npos) << shown.out;
  EXPECT_NE(run({"top", "--once", "--prefix", "pausable"}).out.find("pausable (paused)"), std::string::npos);

  Outcome resumed = run_json({"queues", "resume", "pausable"});
  ASSERT_EQ(resumed.code, ok) << resumed.err;
  EXPECT_EQ(resumed.json().at("queue").at("attributes").at("paused"), false);
  Outcome one = run_json({"messages", "receive", "pausable"});
  ASSERT_EQ(one.json().at("messages").as_array().size(), 1u) << one.out;

  EXPECT_EQ(run({"queues", "pause", "pause-missing"}).code, not_found);  // never created
  EXPECT_EQ(run({"queues", "show", "pause-missing"}).code, not_found);
}

TEST_F(Queuectl, PeeksAPageAtATime) {
  ASSERT_EQ(run({"queues", "create", "pages"}).code, ok);
  ASSERT_EQ(run({"messages", "send", "pages", "m1", "m2", "m3"}).code, ok);
  auto bodies = [](const Outcome& outcome) {
    std::vector<std::string> out;
    const json::value answer = outcome.json();  // the loop below walks into it: keep it alive
    for (const json::value& message : answer.at("messages").as_array()) {
      out.emplace_back(message.at("body").as_string());
    }
    return out;
  };
  Outcome first = run_json({"messages", "peek", "pages", "--limit", "2"});
  ASSERT_EQ(first.code, ok) << first.err;
  EXPECT_EQ(bodies(first), (std::vector<std::string>{"m1", "m2"}));
  ASSERT_TRUE(first.json().at("next_cursor").is_string()) << first.out;
  Outcome rest = run_json({"messages", "peek", "pages", "--limit", "2", "--cursor",
                           std::string(first.json().at("next_cursor").as_string())});
  ASSERT_EQ(rest.code, ok) << rest.err;
  EXPECT_EQ(bodies(rest), (std::vector<std::string>{"m3"}));
  EXPECT_TRUE(rest.json().at("next_cursor").is_null());
  Outcome all = run_json({"messages", "peek", "pages", "--limit", "1", "--all"});
  ASSERT_EQ(all.code, ok) << all.err;
  EXPECT_EQ(bodies(all), (std::vector<std::string>{"m1", "m2", "m3"}));
  EXPECT_EQ(all.json().at("messages").at(0).at("state"), "visible");
}

TEST_F(Queuectl, GetsAMessageById) {
  ASSERT_EQ(run({"queues", "create", "by-id"}).code, ok);
  Outcome sent = run_json({"messages", "send", "by-id", "findme"});
  ASSERT_EQ(sent.code, ok) << sent.err;
  const std::string id(sent.json().at("ids").at(0).as_string());
  Outcome got = run_json({"messages", "get", "by-id", id});
  ASSERT_EQ(got.code, ok) << got.err;
  EXPECT_EQ(got.json().at("id"), json::value(id));
  EXPECT_EQ(got.json().at("body"), "findme");
  EXPECT_EQ(got.json().at("state"), "visible");

  Outcome missing = run_json({"messages", "get", "by-id", "999999"});
  EXPECT_EQ(missing.code, not_found) << missing.err;
  EXPECT_EQ(missing.error_json().at("error").at("code"), "message_not_found");
}

// Nothing listening: exit 5, whatever the verb.
TEST(QueuectlUnavailable, NothingListeningExitsWithFive) {
  test_support::TempDir dir;
  const std::string url = queuectl_test::url_of(test_support::free_port());
  Outcome health = queuectl(dir, {"-o", "json", "health"}, {{"QUEUE_URL", url}});
  EXPECT_EQ(health.code, unavailable) << health.out << health.err;
  EXPECT_EQ(health.error_json().at("error").at("code"), "unavailable");
  EXPECT_TRUE(health.error_json().at("error").at("request_id").is_null());

  EXPECT_EQ(queuectl(dir, {"--url", url, "queues", "list"}, {}).code, unavailable);
  EXPECT_EQ(queuectl(dir, {"--url", url, "top", "--once"}, {}).code, unavailable);
}

}  // namespace
