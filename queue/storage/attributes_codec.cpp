#include "queue/storage/attributes_codec.h"

#include <boost/json.hpp>

#include "queue/core/store.h"

namespace queue::storage {

std::optional<std::string> encode_attributes(const core::MessageAttributes& attributes) {
  if (attributes.empty()) return std::nullopt;
  boost::json::object object;
  for (const auto& [key, value] : attributes) object.emplace(key, value);
  return boost::json::serialize(object);
}

core::MessageAttributes decode_attributes(const std::optional<std::string>& stored) {
  core::MessageAttributes attributes;
  if (!stored) return attributes;
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(*stored, error);
  if (error || !value.is_object()) {
    throw core::StoreError(core::ErrorCode::internal, "stored message attributes are not a JSON object");
  }
  for (const auto& [key, item] : value.as_object()) {
    if (!item.is_string()) throw core::StoreError(core::ErrorCode::internal, "stored attribute is not a string");
    attributes.emplace(std::string(key), std::string(item.as_string()));
  }
  return attributes;
}

}  // namespace queue::storage
