package dev.sluice.cli;

/** Splits the {@code NS/NAME} and {@code NS/SOURCE/EVENT} arguments. */
final class Names {
    private Names() {
    }

    /**
     * @param label what the argument names, for the error: {@code NS/TRIGGER}
     * @throws CliException when the argument does not have exactly that many non-empty parts
     */
    static String[] split(String argument, String label) {
        int parts = label.split("/").length;
        String[] split = argument.split("/", -1);
        if (split.length != parts || java.util.Arrays.stream(split).anyMatch(String::isBlank)) {
            throw new CliException("'" + argument + "' is not " + label);
        }
        return split;
    }
}
