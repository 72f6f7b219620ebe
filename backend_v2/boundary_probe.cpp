// Never built by default. tests/integration builds it to prove the module boundary
// holds at compile time: Queue's public header resolves, its internals do not.
#include "queue/api/app.h"
#include "queue/core/service.h"  // must fail: "No such file or directory"

int main() { return 0; }
