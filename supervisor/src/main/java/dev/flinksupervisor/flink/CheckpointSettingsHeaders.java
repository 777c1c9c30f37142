package dev.flinksupervisor.flink;

import org.apache.flink.runtime.rest.HttpMethodWrapper;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobIDPathParameter;
import org.apache.flink.runtime.rest.messages.JobMessageParameters;
import org.apache.flink.runtime.rest.messages.ResponseBody;
import org.apache.flink.runtime.rest.messages.RuntimeMessageHeaders;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.annotation.JsonCreator;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.flink.shaded.netty4.io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Flink's {@code GET /jobs/:jobid/checkpoints/config}, read with Flink's REST client into the few
 * fields the sidecar needs (Flink's own {@code CheckpointConfigInfo} has no accessors).
 */
final class CheckpointSettingsHeaders
    implements RuntimeMessageHeaders<
        EmptyRequestBody, CheckpointSettingsHeaders.Body, JobMessageParameters> {
  static final CheckpointSettingsHeaders INSTANCE = new CheckpointSettingsHeaders();

  /** The part of Flink's answer the sidecar reads; the rest is ignored. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Body(long interval, long timeout, long minPause, int tolerableFailedCheckpoints)
      implements ResponseBody {
    @JsonCreator
    Body(
        @JsonProperty("interval") long interval,
        @JsonProperty("timeout") long timeout,
        @JsonProperty("min_pause") long minPause,
        @JsonProperty("tolerable_failed_checkpoints") int tolerableFailedCheckpoints) {
      this.interval = interval;
      this.timeout = timeout;
      this.minPause = minPause;
      this.tolerableFailedCheckpoints = tolerableFailedCheckpoints;
    }
  }

  private CheckpointSettingsHeaders() {}

  @Override
  public Class<EmptyRequestBody> getRequestClass() {
    return EmptyRequestBody.class;
  }

  @Override
  public Class<Body> getResponseClass() {
    return Body.class;
  }

  @Override
  public HttpResponseStatus getResponseStatusCode() {
    return HttpResponseStatus.OK;
  }

  @Override
  public JobMessageParameters getUnresolvedMessageParameters() {
    return new JobMessageParameters();
  }

  @Override
  public HttpMethodWrapper getHttpMethod() {
    return HttpMethodWrapper.GET;
  }

  @Override
  public String getTargetRestEndpointURL() {
    return "/jobs/:" + JobIDPathParameter.KEY + "/checkpoints/config";
  }

  @Override
  public String getDescription() {
    return "The job's checkpoint configuration.";
  }
}
