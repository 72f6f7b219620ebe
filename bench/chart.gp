# The benchmark's chart, drawn by scripts/bench:
#   gnuplot -e "throughput='t.dat'; scaling='s.dat'; output='chart.png'" bench/chart.gp
# Both data files come from queue-bench-report: a header row naming each system/mode
# column, then one row per workload (throughput) or connection count (scaling).
# Throughput spans two orders of magnitude between fsync-bound and batched runs, hence log y.

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
  set terminal pngcairo size 1500,1000 font "sans,10"
} else {
  set terminal png size 1500,1000
}
set output output
set datafile missing "NaN"
set key autotitle columnheader
columns = words(system(sprintf("head -1 '%s'", throughput)))

set multiplot layout 2,1 title "Queue vs Redis vs beanstalkd (msg/s, log scale; higher is better)"

set title "Main workloads, 4 connections (W1 send 1, W2 receive+ack 1, W3 batches of 10, W4 steady at half of W1)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set grid ytics
set ylabel "msg/s"
set key outside right top vertical
plot for [i=2:columns] throughput using i:xtic(1)

set title "Send throughput by connection count (one message per call)"
unset style
set style data linespoints
set logscale x 2
set xlabel "connections"
set xtics (1, 4, 16, 64)
set xrange [0.8:80]
plot for [i=2:columns] scaling using 1:i pointsize 1.2 linewidth 2

unset multiplot
