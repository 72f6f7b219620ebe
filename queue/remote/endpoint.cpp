#include "queue/remote/endpoint.h"

#include <stdexcept>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "queue/contract/version.h"

namespace queue::remote {
namespace {

[[noreturn]] void bad_url(std::string_view base_url, std::string_view why) {
  throw std::invalid_argument("queue::remote: base_url '" + std::string(base_url) + "' " + std::string(why));
}

}  // namespace

Endpoint Endpoint::parse(std::string_view base_url) {
  auto parsed = boost::urls::parse_absolute_uri(base_url);
  if (!parsed) bad_url(base_url, "is not an absolute URL (" + parsed.error().message() + ")");
  const boost::urls::url_view& url = *parsed;
  Endpoint endpoint;
  if (url.scheme_id() == boost::urls::scheme::https) {
    endpoint.tls = true;
  } else if (url.scheme_id() != boost::urls::scheme::http) {
    bad_url(base_url, "must start with http:// or https://");
  }
  if (url.has_userinfo()) bad_url(base_url, "must not carry credentials (use HttpClientOptions::token)");
  if (url.has_query() || url.has_fragment()) bad_url(base_url, "must not have a query or a fragment");
  // host_address() is the host without IPv6 brackets and with %-escapes decoded.
  endpoint.host = url.host_address();
  if (endpoint.host.empty()) bad_url(base_url, "has no host");
  if (url.has_port()) {
    if (url.port_number() == 0) bad_url(base_url, "has an invalid port");
    endpoint.port = std::to_string(url.port_number());
  } else {
    endpoint.port = endpoint.tls ? "443" : "80";
  }
  endpoint.host_header = url.encoded_host_and_port();
  std::string prefix(url.encoded_path());
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  endpoint.api_path = prefix + std::string(contract::api_mount_prefix);
  return endpoint;
}

std::string Endpoint::target(std::initializer_list<std::string_view> segments, const Query& query) const {
  boost::urls::url url;
  url.set_encoded_path(api_path);
  for (std::string_view segment : segments) url.segments().push_back(segment);
  for (const auto& [key, value] : query) url.params().append({key, value});
  return std::string(url.buffer());
}

std::string Endpoint::origin() const { return (tls ? "https://" : "http://") + host_header; }

}  // namespace queue::remote
