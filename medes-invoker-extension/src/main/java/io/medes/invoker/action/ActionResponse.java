package io.medes.invoker.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A runtime's answer to {@code /init} or {@code /run}, classified like OpenWhisk's
 * {@code ActivationResponse}: status 0 success, 1 application error, 2 developer error.
 *
 * @param httpStatus the HTTP status code
 * @param body the parsed JSON body, or null if it was not JSON
 * @param rawBody the body as text, for messages
 */
public record ActionResponse(int httpStatus, JsonNode body, String rawBody) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final int SUCCESS = 0;
  public static final int APPLICATION_ERROR = 1;
  public static final int DEVELOPER_ERROR = 2;

  static ActionResponse of(int status, byte[] bytes) {
    String raw = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    JsonNode parsed;
    try {
      parsed = bytes.length == 0 ? null : JSON.readTree(bytes);
    } catch (IOException e) {
      parsed = null;
    }
    return new ActionResponse(status, parsed, raw);
  }

  /** OpenWhisk's status code for this response. */
  public int statusCode() {
    if (httpStatus != 200 || body == null || !(body.isObject() || body.isArray())) {
      return DEVELOPER_ERROR;
    }
    return body.isObject() && body.has("error") ? APPLICATION_ERROR : SUCCESS;
  }

  public boolean isSuccess() {
    return statusCode() == SUCCESS;
  }
}
