package dev.sluice.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, read from {@code /proc}. */
final class ProcessStats {
    private final long pid;
    private final long clockTicksPerSecond;

    /** @param clockTicksPerSecond {@code getconf CLK_TCK}, the unit of the CPU times in /proc/PID/stat */
    ProcessStats(long pid, long clockTicksPerSecond) {
        this.pid = pid;
        this.clockTicksPerSecond = clockTicksPerSecond;
    }

    /** User plus system CPU seconds the process has used since it started. */
    double cpuSeconds() {
        String stat = read("stat");
        // the command name may hold spaces and parentheses: count fields after its closing parenthesis
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(fields[11]);
        long stime = Long.parseLong(fields[12]);
        return (utime + stime) / (double) clockTicksPerSecond;
    }

    /** Resident set size in MiB. */
    double rssMiB() {
        for (String line : read("status").split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return -1;
    }

    long pid() {
        return pid;
    }

    private String read(String file) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(pid), file));
        } catch (IOException e) {
            throw new UncheckedIOException("process " + pid + " is gone", e);
        }
    }
}
