// The dashboard's static files (queue/ui/), compiled into the binary by
// cmake/embed_files.cmake at build time: nothing is read from disk or fetched at run time.
#pragma once

#include <span>
#include <string_view>

namespace queue::api {

struct EmbeddedFile {
  std::string_view name;   // the file name, e.g. "app.js"
  std::string_view bytes;  // its content, as it is in the tree
  std::string_view etag;   // a strong ETag from its SHA-256, quotes included
};

// Every file of queue/ui/ (generated: build/queue/api/ui_files.cpp).
std::span<const EmbeddedFile> ui_files();

}  // namespace queue::api
