package io.fleetrun.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict exposition-format check refuses each kind of malformed input it claims to. */
class PrometheusTextTest {
  private static final String GOOD = """
      # HELP http_requests_total The total number of HTTP requests.
      # TYPE http_requests_total counter
      http_requests_total{method="post",code="200"} 1027 1395066363000
      http_requests_total{method="post",code="400"} 3 1395066363000
      # A plain comment.
      msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
      # TYPE rpc_duration_seconds histogram
      rpc_duration_seconds_bucket{le="0.05"} 24054
      rpc_duration_seconds_bucket{le="0.1"} 33444
      rpc_duration_seconds_bucket{le="+Inf"} 144320
      rpc_duration_seconds_sum 53423
      rpc_duration_seconds_count 144320
      # TYPE temp gauge
      temp NaN
      temp{room="b"} -Inf
      # TYPE q summary
      q{quantile="0.5"} 4773
      q_sum 1.7560473e+07
      q_count 2693
      """;

  @Test
  void theExamplesOfTheFormatParse() {
    List<PrometheusText.Sample> s = PrometheusText.parse(GOOD);
    assertEquals(13, s.size());
    assertEquals(Map.of("path", "C:\\DIR\\FILE.TXT", "error", "Cannot find file:\n\"FILE.TXT\""), s.get(2).labels());
    assertTrue(Double.isNaN(s.get(8).value()));
  }

  @Test
  void eachMalformedLineIsRefusedNamingTheLine() {
    String[][] bad = {
        {"no final newline", "a 1"},
        {"bad name", "1a 1\n"},
        {"bad value", "a one\n"},
        {"trailing text", "a 1 2 3\n"},
        {"bad timestamp", "a 1 1.5\n"},
        {"unquoted label", "a{b=c} 1\n"},
        {"bad escape", "a{b=\"\\t\"} 1\n"},
        {"reserved label", "a{__b=\"c\"} 1\n"},
        {"label twice", "a{b=\"1\",b=\"2\"} 1\n"},
        {"unterminated", "a{b=\"1} 1\n"},
        {"series twice", "a{b=\"1\"} 1\na{b=\"1\"} 2\n"},
        {"unknown type", "# TYPE a thing\na 1\n"},
        {"type twice", "# TYPE a gauge\n# TYPE a gauge\na 1\n"},
        {"type after samples", "a 1\nb 1\n# TYPE a gauge\n"},
        {"family split", "a 1\nb 1\na{x=\"y\"} 1\n"},
        {"bucket without le", "# TYPE h histogram\nh_bucket 1\nh_count 1\n"},
        {"no +Inf bucket", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n"},
        {"not cumulative", "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n"},
        {"count differs", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 1\n"},
        {"summary without quantile", "# TYPE q summary\nq 1\n"},
    };
    for (String[] c : bad) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(c[1]), c[0]);
      assertTrue(e.getMessage().startsWith("line ") || e.getMessage().contains("histogram")
          || e.getMessage().contains("line feed"), c[0] + ": " + e.getMessage());
    }
  }
}
