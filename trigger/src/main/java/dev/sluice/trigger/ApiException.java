package dev.sluice.trigger;

/**
 * A management request refused, with the HTTP status it answers and one clear line for {@code {"error": ...}}:
 * 400 bad input, 404 unknown Trigger or id, 409 a Trigger that cannot do it now.
 */
public class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    static ApiException conflict(String message) {
        return new ApiException(409, message);
    }
}
