// implemented by the web layer work
