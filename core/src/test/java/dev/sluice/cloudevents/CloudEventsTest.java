package dev.sluice.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CloudEventsTest {
    @ParameterizedTest(name = "''{0}'' is JSON: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            application/json                       | true
            Application/JSON; charset=utf-8        | true
            '  text/json ;q=1'                     | true
            application/cloudevents+json           | true
            application/vnd.order+JSON;v=2         | true
            +json                                  | true
            application/jsonl                      | false
            text/plain                             | false
            application/json-seq                   | false
            json                                   | false
            ''                                     | false
            """)
    void namesJsonAsTheContentTypeSays(String contentType, boolean json) {
        assertThat(CloudEvents.isJson(contentType)).isEqualTo(json);
    }
}
