#include "queue/api/timestamps.h"

#include <chrono>
#include <cstdio>

namespace queue::api {

std::string format_timestamp(std::int64_t epoch_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> instant{milliseconds(epoch_ms)};
  const sys_days day = floor<days>(instant);
  const year_month_day date{day};
  const hh_mm_ss<milliseconds> time{instant - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()), static_cast<int>(time.subseconds().count()));
  return text;
}

}  // namespace queue::api
