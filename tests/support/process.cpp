// child-process launcher for tests (owned by the foundation work)
