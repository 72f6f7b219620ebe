// Reading query parameters with Queue's validation: bad input is a 400
// invalid_request naming the parameter, never a 500.
#pragma once

#include <string>
#include <string_view>

#include "web/request.h"

namespace queue::api {

// The parameter as an integer in [min, max], or `fallback` when absent.
int query_int(const web::Request& request, std::string_view key, int fallback, int min, int max);
// The parameter, or "" when absent.
std::string query_string(const web::Request& request, std::string_view key);

}  // namespace queue::api
