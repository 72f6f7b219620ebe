#include "postgres_fixture.h"

namespace queue::testing {

void PostgresTest::SetUp() {
  set_current_engine(EngineKind::postgres);
  require_postgres();
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace queue::testing
