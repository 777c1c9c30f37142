package dev.flinksupervisor.benchmarks;

import dev.flinksupervisor.testing.KubernetesRequests;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Every request the Kubernetes API receives, as its authorizer sees it (verb, resource, name; see
 * {@link KubernetesRequests#describe}), with the bearer token that made it and when it arrived. A
 * watch counts once, when it is opened.
 */
final class KubernetesRequestLog {
  /** One request: the caller's token, when ({@link System#nanoTime}), and what it asked. */
  record Entry(String token, long atNanos, KubernetesRequests.Request request) {
    String verbAndResource() {
      return request.isResourceRequest()
          ? request.verb() + " " + request.resource()
          : request.verb() + " " + request.path();
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  /** Wraps the API server's dispatcher so that every request passes through this log first. */
  Dispatcher around(Dispatcher next) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String auth = request.getHeader("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
        Entry entry =
            new Entry(
                token,
                System.nanoTime(),
                KubernetesRequests.describe("", request.getMethod(), request.getPath()));
        synchronized (entries) {
          entries.add(entry);
        }
        return next.dispatch(request);
      }
    };
  }

  /** The requests made with {@code token} from {@code fromNanos} (inclusive) to {@code toNanos}. */
  List<Entry> between(String token, long fromNanos, long toNanos) {
    synchronized (entries) {
      return entries.stream()
          .filter(
              e ->
                  e.token().equals(token)
                      && e.atNanos() - fromNanos >= 0
                      && e.atNanos() - toNanos < 0)
          .toList();
    }
  }
}
