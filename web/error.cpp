#include "web/error.h"

namespace web {

HttpError::HttpError(int status, std::string code, std::string message,
                     std::vector<std::pair<std::string, std::string>> headers)
    : std::runtime_error(message),
      error_{status, std::move(code), std::move(message), std::move(headers)} {}

}  // namespace web
