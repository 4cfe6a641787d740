package io.medes.invoker.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ActionRuntimeClientTest {
  private static ActionResponse parse(String raw) throws ActionProtocolException {
    return ActionRuntimeClient.parse(raw.getBytes(StandardCharsets.UTF_8), "http://x/run");
  }

  @Test
  void successApplicationErrorAndDeveloperErrorAreClassifiedLikeOpenWhisk() throws Exception {
    ActionResponse ok = parse("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"count\":1}");
    assertThat(ok.isSuccess()).isTrue();
    assertThat(ok.body().get("count").asInt()).isEqualTo(1);
    assertThat(parse("HTTP/1.0 200 OK\r\n\r\n{\"error\":\"bad\"}").statusCode()).isEqualTo(ActionResponse.APPLICATION_ERROR);
    assertThat(parse("HTTP/1.0 200 OK\r\n\r\n[1,2]").statusCode()).isEqualTo(ActionResponse.SUCCESS);
    assertThat(parse("HTTP/1.0 502 Bad Gateway\r\n\r\n{\"error\":\"x\"}").statusCode()).isEqualTo(ActionResponse.DEVELOPER_ERROR);
    assertThat(parse("HTTP/1.0 200 OK\r\n\r\nnot json").statusCode()).isEqualTo(ActionResponse.DEVELOPER_ERROR);
  }

  @Test
  void bodyIsCutAtContentLengthAndATruncatedBodyIsAnError() throws Exception {
    assertThat(parse("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}garbage").rawBody()).isEqualTo("{}");
    assertThatThrownBy(() -> parse("HTTP/1.0 200 OK\r\nContent-Length: 50\r\n\r\n{}"))
        .isInstanceOf(ActionProtocolException.class).hasMessageContaining("2 of 50");
    assertThatThrownBy(() -> parse("HTTP/1.0 200 OK\r\nContent-Type: app")).hasMessageContaining("no complete HTTP response");
    assertThatThrownBy(() -> parse("garbage\r\n\r\n")).hasMessageContaining("malformed status line");
  }
}
