// What Raptor's in-process tests share: the environment Raptor's factory is given
// (Queue on a temp SQLite file when the flag is on) and Raptor's error shape.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "tests/integration/in_process.h"
#include "tests/integration/temp_dir.h"
#include "web/config.h"
#include "web/response.h"

namespace test_support {

inline web::Config raptor_environment(const TempDir& dir, bool queue_flag) {
  return web::Config(web::Config::Values{{"FLAG_QUEUE_V1", queue_flag ? "1" : "0"},
                                         {"QUEUE_DATABASE_URL", "sqlite:" + dir.file("queue.db")},
                                         {"QUEUE_OPEN_RETRY_MIN_MS", "20"}});
}

// Raptor's error shape: {"status":"error","error":{"type","detail"},"request_id"}.
inline void expect_raptor_error(const web::Response& response, int status, const std::string& type) {
  EXPECT_EQ(response.status, status) << response.body;
  boost::json::value body = json_of(response);
  ASSERT_TRUE(body.is_object()) << response.body;
  EXPECT_EQ(body.at("status"), "error") << response.body;
  EXPECT_EQ(body.at("error").at("type"), boost::json::string(type)) << response.body;
  EXPECT_TRUE(body.at("error").as_object().contains("detail")) << response.body;
  EXPECT_EQ(body.at("request_id"), boost::json::string(*response.header("X-Request-ID"))) << response.body;
}

}  // namespace test_support
