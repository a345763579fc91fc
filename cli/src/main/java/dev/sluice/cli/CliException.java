package dev.sluice.cli;

/** Why a command failed, in the one line it prints. */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }
}
