package dev.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The management API over HTTP/1.1; any answer but 2xx becomes a {@link CliException} with the server's error line. */
final class ManagementClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    ManagementClient(String server) {
        this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    }

    JsonNode get(String path) {
        return json(send(request(path).GET()));
    }

    JsonNode post(String path, Object body) {
        try {
            return json(send(request(path).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))));
        } catch (JsonProcessingException e) {
            throw new CliException("could not write the request: " + e.getMessage());
        }
    }

    JsonNode delete(String path) {
        return json(send(request(path).DELETE()));
    }

    /** Sends a prepared request to {@code path} on this server, as it is. */
    HttpResponse<String> send(HttpRequest.Builder request) {
        HttpResponse<String> response = exchange(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new CliException(errorOf(response.statusCode(), response.body()));
        }
        return response;
    }

    /** A streamed GET, for server-sent events: the body as it arrives. */
    InputStream stream(String path) {
        HttpResponse<InputStream> response = exchange(HttpRequest.newBuilder(uri(path))
                .header("accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() / 100 != 2) {
            try (InputStream body = response.body()) {
                throw new CliException(errorOf(response.statusCode(),
                        new String(body.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new CliException(server + ": HTTP " + response.statusCode());
            }
        }
        return response.body();
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request, body);
        } catch (ConnectException e) {
            throw new CliException("no Sluice server answers at " + server + " (start the local mode, or give --server)");
        } catch (IOException e) {
            throw new CliException(server + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
    }

    private URI uri(String path) {
        try {
            return URI.create(server + path);
        } catch (IllegalArgumentException e) {
            throw new CliException("'" + server + "' is not a server URL");
        }
    }

    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String triggerPath(String[] trigger) {
        return "/triggers/" + segment(trigger[0]) + "/" + segment(trigger[1]);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new CliException("the server answered something that is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String errorOf(int status, String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.isTextual()) {
                return error.asText() + " (HTTP " + status + ")";
            }
        } catch (JsonProcessingException e) {
            // not JSON: say what there is
        }
        String text = body == null ? "" : body.strip().lines().findFirst().orElse("");
        return "HTTP " + status + (text.isEmpty() ? "" : ": " + text);
    }

    static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                body.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return body;
    }
}
