#!/usr/bin/env bash
# What the PostgreSQL server spends on each PostgreSQL system of a scripts/bench run:
# connections, WAL bytes (pg_stat_wal) and the CPU time of its backends, per system.
#
#   bench/pg_resources.sh sample URL OUT      # every second until killed: samples to OUT
#   bench/pg_resources.sh summary OUT         # per database: max connections, WAL, CPU
#
# scripts/bench runs each PostgreSQL system in a fresh database of its own (pg-baseline,
# queue-pg, queue-pg2) and one after the other, so a second's WAL goes to the database
# that had connections then, and a backend's CPU time to the database in its process title.
# Run the sampler against the server the bench uses (BENCH_POSTGRES_URL), on the same
# machine (it reads the backends' /proc). Approximate by design: a backend's last second
# before it exits is not seen, and a second shared by two systems goes to the busier.
set -euo pipefail

sample() {
  local url=$1 out=$2
  : >"$out"
  while :; do
    local wal conns cpu=""
    wal=$(psql "$url" -XAtqc "SELECT wal_bytes FROM pg_stat_wal" 2>/dev/null || echo "")
    conns=$(psql "$url" -XAtqc "SELECT string_agg(datname || '=' || n, ';') FROM (SELECT datname, count(*) n
      FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname <> current_database()
      GROUP BY datname) c" 2>/dev/null || echo "")
    # Backends' titles are "postgres: USER DATABASE HOST(PORT) ...": pid, database, CPU seconds.
    while read -r pid database; do
      local fields=()
      { read -ra fields <"/proc/$pid/stat"; } 2>/dev/null || continue
      cpu+="$pid:$database:$((fields[13] + fields[14]));"  # utime + stime, clock ticks
    done < <(ps -eo pid=,args= | awk '$2 == "postgres:" && $5 ~ /\(/ { print $1, $4 }')
    echo "$(date +%s) ${wal:-?} ${conns:-} ${cpu}" >>"$out"
    sleep 1
  done
}

summary() {
  awk -v hz="$(getconf CLK_TCK)" '
    {
      wal = $2; n = split($3, dbs, ";"); busiest = ""; most = 0
      for (i = 1; i <= n; i++) {
        split(dbs[i], kv, "=")
        if (kv[2] + 0 > max_conns[kv[1]] + 0) max_conns[kv[1]] = kv[2]
        if (kv[2] + 0 > most) { most = kv[2] + 0; busiest = kv[1] }
        seen[kv[1]] = 1
      }
      if (wal != "?" && prev_wal != "" && busiest != "") wal_of[busiest] += wal - prev_wal
      if (wal != "?") prev_wal = wal
      m = split($4, procs, ";")
      for (i = 1; i <= m; i++) {
        if (procs[i] == "") continue
        split(procs[i], p, ":")
        ticks[p[1]] = p[3]; db_of[p[1]] = p[2]
      }
    }
    END {
      for (pid in ticks) cpu_of[db_of[pid]] += ticks[pid] / hz
      printf "%-12s %12s %14s %12s\n", "database", "max_conns", "wal_bytes", "backend_cpu_s"
      for (db in seen) printf "%-12s %12d %14d %12.1f\n", db, max_conns[db], wal_of[db], cpu_of[db]
    }' "$1"
}

case ${1:-} in
  sample) sample "$2" "$3" ;;
  summary) summary "$2" ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
esac
