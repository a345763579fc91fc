package dev.sluice.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SinkResponseTest {

    @ParameterizedTest(name = "{0} -> retry {1}")
    @CsvSource({
            "0, true", "200, false", "202, false", "400, false", "401, false", "403, false", "404, true",
            "408, true", "409, true", "410, false", "413, false", "422, false", "429, true", "500, true",
            "502, true", "503, true", "504, true" })
    void retriesConnectionErrorsTimeoutsConflictsThrottlingAndServerErrorsOnly(int status, boolean retryable) {
        SinkResponse response = status == 0 ? SinkResponse.unreachable(new ConnectException("refused"))
                : FakeSink.status(status);

        assertThat(response.isRetryable()).isEqualTo(retryable);
    }
}
