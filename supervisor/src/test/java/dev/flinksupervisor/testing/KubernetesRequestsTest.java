package dev.flinksupervisor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.testing.KubernetesRequests.Request;
import org.junit.jupiter.api.Test;

/** Requests are named as Kubernetes' RequestInfo names them, so that RBAC can be checked. */
class KubernetesRequestsTest {

  private static Request describe(String method, String path) {
    return KubernetesRequests.describe("c1", method, path);
  }

  @Test
  void a_get_by_name_is_get_with_the_name() {
    Request r = describe("GET", "/api/v1/namespaces/flink/configmaps/c1-supervisor");
    assertThat(r)
        .isEqualTo(
            new Request(
                "c1",
                "get",
                "",
                "configmaps",
                "flink",
                "c1-supervisor",
                "/api/v1/namespaces/flink/configmaps/c1-supervisor"));
  }

  @Test
  void a_collection_is_list_or_watch_named_by_a_field_selector() {
    Request list =
        describe(
            "GET",
            "/api/v1/namespaces/flink/configmaps?fieldSelector=metadata.name%3Dc1-cluster-config-map");
    assertThat(list.verb()).isEqualTo("list");
    assertThat(list.name()).isEqualTo("c1-cluster-config-map");
    Request watch =
        describe(
            "GET",
            "/api/v1/namespaces/flink/configmaps?fieldSelector=metadata.name%3Dx&watch=true&resourceVersion=5");
    assertThat(watch.verb()).isEqualTo("watch");
    assertThat(watch.name()).isEqualTo("x");
    assertThat(describe("GET", "/api/v1/watch/namespaces/flink/configmaps").verb())
        .isEqualTo("watch");
    assertThat(describe("GET", "/api/v1/configmaps").namespace()).isEmpty();
  }

  @Test
  void writes_map_to_create_update_patch_and_delete() {
    assertThat(describe("POST", "/api/v1/namespaces/flink/configmaps").verb()).isEqualTo("create");
    assertThat(describe("POST", "/api/v1/namespaces/flink/configmaps").name()).isEmpty();
    assertThat(describe("PUT", "/api/v1/namespaces/flink/configmaps/a").verb()).isEqualTo("update");
    assertThat(describe("PATCH", "/api/v1/namespaces/flink/configmaps/a").verb())
        .isEqualTo("patch");
    assertThat(describe("DELETE", "/api/v1/namespaces/flink/configmaps/a").verb())
        .isEqualTo("delete");
    assertThat(describe("DELETE", "/api/v1/namespaces/flink/configmaps").verb())
        .isEqualTo("deletecollection");
  }

  @Test
  void groups_subresources_and_discovery_are_told_apart() {
    Request lease = describe("PUT", "/apis/coordination.k8s.io/v1/namespaces/flink/leases/l1");
    assertThat(lease.apiGroup()).isEqualTo("coordination.k8s.io");
    assertThat(lease.resource()).isEqualTo("leases");
    assertThat(describe("GET", "/api/v1/namespaces/flink/pods/p/log").resource())
        .isEqualTo("pods/log");
    Request version = describe("GET", "/version");
    assertThat(version.isResourceRequest()).isFalse();
    assertThat(version.path()).isEqualTo("/version");
  }
}
