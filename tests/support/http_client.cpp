// HTTP client for tests (owned by the web layer work)
