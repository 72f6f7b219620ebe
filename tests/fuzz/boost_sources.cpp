// Boost.JSON and Boost.URL compiled into the fuzz targets (their documented
// header-only mode) instead of linked from the system's libraries: so the JSON and
// URL parsing the targets drive is instrumented too, and libFuzzer sees its coverage.
#include <boost/json/src.hpp>
#include <boost/url/src.hpp>
