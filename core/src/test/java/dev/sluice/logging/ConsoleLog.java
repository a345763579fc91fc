package dev.sluice.logging;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * The console handler that Quarkus installed in this JVM, found from the root logger, so that a test can see what
 * its configuration made of the console: the lines a service prints, not the properties that should make them.
 */
public final class ConsoleLog {

    private ConsoleLog() {
    }

    /** The console line, without its line end, that a log record of this logger and message becomes. */
    public static String format(String loggerName, String message) {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, message, ExtLogRecord.FormatStyle.NO_FORMAT,
                ConsoleLog.class.getName());
        record.setLoggerName(loggerName);
        return formatter().format(record).strip();
    }

    /** The formatter of the console handler; fails when Quarkus installed no console handler. */
    public static Formatter formatter() {
        Deque<Handler> handlers = new ArrayDeque<>();
        for (Handler handler : LogContext.getLogContext().getLogger("").getHandlers()) {
            handlers.add(handler);
        }
        // Quarkus nests its handlers (a delayed handler at the root, maybe an async one) around the console one.
        while (!handlers.isEmpty()) {
            Handler handler = handlers.poll();
            if (handler instanceof ConsoleHandler) {
                return handler.getFormatter();
            }
            if (handler instanceof ExtHandler ext) {
                handlers.addAll(List.of(ext.getHandlers()));
            }
        }
        throw new AssertionError("no console handler under the root logger");
    }
}
