set terminal pngcairo size 900,540 noenhanced
set output 'benchmarks-latency.png'
set title 'Latency, ingest to receipt, against offered rate (1 Trigger)'
set xlabel 'offered events/s'
set ylabel 'latency (ms)'
set logscale y
set key top left
set grid
set datafile missing 'NaN'
plot 'benchmarks-latency.dat' using 1:2 with linespoints title 'Sluice p50', \
     '' using 1:3 with linespoints title 'Sluice p99', \
     '' using 1:4 with linespoints title 'raw Kafka p50', \
     '' using 1:5 with linespoints title 'raw Kafka p99'
