// The sidecar's status page: reads the admin API with the token entered in the page (kept in this
// tab's sessionStorage only) and renders it. Read-only; every value is written as text, never as HTML.
"use strict";

const WINDOW_MS = 60 * 60 * 1000;
const POLL_MS = 2000;
const SAVEPOINT_POLL_MS = 5000;
const MAX_EVENTS = 200;

const state = {
  token: null,
  etags: {},
  jobs: [],
  checkpoints: new Map(), // jobId -> Map(checkpointId -> completedAt ms)
  savepoints: new Map(), // jobId -> records
  savepointsReadAt: new Map(),
  stream: null,
  lastEventTime: null, // where a new stream resumes
  shownEvents: new Set(),
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function ago(iso) {
  if (!iso) return "";
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 90) return s + " s ago";
  if (s < 5400) return Math.round(s / 60) + " min ago";
  return Math.round(s / 3600) + " h ago";
}

function showProblem(text) {
  const p = $("problem");
  p.textContent = text || "";
  p.hidden = !text;
}

async function api(path, tagged) {
  const headers = { Accept: "application/json" };
  if (state.token) headers.Authorization = "Bearer " + state.token;
  if (tagged && state.etags[path]) headers["If-None-Match"] = state.etags[path].tag;
  const r = await fetch(path, { headers, cache: "no-store" });
  if (r.status === 304) return state.etags[path].body;
  if (!r.ok) {
    let detail = r.status + " " + r.statusText;
    try {
      const problem = await r.json();
      detail = problem.status + " " + problem.title + ": " + problem.detail;
    } catch (e) { /* not a problem detail */ }
    const err = new Error(detail);
    err.status = r.status;
    throw err;
  }
  const body = await r.json();
  const tag = r.headers.get("ETag");
  if (tagged && tag) state.etags[path] = { tag, body };
  return body;
}

function renderCluster(c) {
  $("cluster-name").textContent = c.clusterId + " in " + c.namespace;
  const facts = $("cluster-facts");
  facts.replaceChildren();
  const add = (k, v, cls) => facts.append(el("dt", {}, k), el("dd", { class: cls }, v));
  add("This sidecar", c.role + (c.roleSince ? " since " + new Date(c.roleSince).toLocaleString() : ""), "role-" + c.role);
  add("Leading JobManager", c.leader ? c.leader.restUrl : "none");
  add("Flink", c.flinkVersion || "unknown");
  add("TaskManagers", c.taskManagers == null ? "unknown"
      : c.taskManagers + (c.slots ? " (" + c.slots.available + " of " + c.slots.total + " slots free)" : ""));
  if (c.health) add("Cluster health", c.health.verdict, "verdict verdict-" + c.health.verdict);
  if (c.jobManagerContainer) {
    add("JobManager container", c.jobManagerContainer.state + ", " + c.jobManagerContainer.restarts + " restarts");
  }
  if (c.record) add("Record", (c.record.loaded ? "read" : "not read") + ", " + c.record.bytes + " of " + c.record.capacityBytes + " bytes");
  if (c.freshness) add("Observed", c.freshness.stale ? "STALE, " + ago(c.freshness.observedAt) : ago(c.freshness.observedAt));
  if (c.lastError) add("Last error", c.lastError);
}

function renderJobs(list) {
  state.jobs = list.jobs;
  const body = $("jobs").querySelector("tbody");
  body.replaceChildren();
  $("no-jobs").hidden = list.jobs.length > 0;
  for (const j of list.jobs) {
    if (j.lastCheckpoint && !j.lastCheckpoint.savepoint) {
      let seen = state.checkpoints.get(j.id);
      if (!seen) state.checkpoints.set(j.id, (seen = new Map()));
      seen.set(j.lastCheckpoint.id, Date.parse(j.lastCheckpoint.completedAt));
    }
    const reasons = el("ul", { class: "reasons" });
    for (const r of (j.health && j.health.reasons) || []) {
      reasons.append(el("li", {}, r.code + ": " + r.message));
    }
    const verdict = j.health ? j.health.verdict : "UNKNOWN";
    body.append(el("tr", { "data-job-id": j.id },
      el("td", {}, el("div", {}, j.name), el("div", { class: "id" }, j.id)),
      el("td", { class: "status status-" + j.status }, j.status),
      el("td", {}, el("span", { class: "verdict verdict-" + verdict }, verdict), reasons),
      el("td", {}, j.restarts == null ? "" : j.restarts),
      el("td", {}, j.lastCheckpoint ? "#" + j.lastCheckpoint.id + ", " + ago(j.lastCheckpoint.completedAt) : "none"),
      el("td", {}, j.restorable ? (j.restorable.savepoint ? "savepoint" : "checkpoint #" + j.restorable.checkpointId) + " (" + j.restorable.source + ")" : "none")));
  }
}

async function readSavepoints(jobId, force) {
  const last = state.savepointsReadAt.get(jobId) || 0;
  if (!force && Date.now() - last < SAVEPOINT_POLL_MS) return;
  state.savepointsReadAt.set(jobId, Date.now());
  try {
    const list = await api("/api/v1/jobs/" + encodeURIComponent(jobId) + "/savepoints");
    state.savepoints.set(jobId, list.savepoints);
  } catch (e) {
    if (e.status !== 404) throw e;
    state.savepoints.set(jobId, []);
  }
}

function renderTimelines() {
  const now = Date.now();
  const from = now - WINDOW_MS;
  // The window spans x = 10 to 990, so that a mark at either end is drawn whole.
  const x = (t) => (10 + ((t - from) / WINDOW_MS) * 980).toFixed(1);
  const box = $("timelines");
  box.replaceChildren();
  for (const j of state.jobs) {
    const line = svg("svg", { viewBox: "0 0 1000 28", preserveAspectRatio: "none", role: "img" });
    for (const [id, at] of state.checkpoints.get(j.id) || []) {
      if (at < from) continue;
      const c = svg("rect", { x: x(at), y: 9, width: 3, height: 10, class: "checkpoint" });
      c.append(svg("title", {}));
      c.firstChild.textContent = "checkpoint #" + id + " at " + new Date(at).toLocaleTimeString();
      line.append(c);
    }
    const list = el("ul", { class: "reasons savepoints" });
    for (const s of state.savepoints.get(j.id) || []) {
      const at = Date.parse(s.completedAt || s.requestedAt);
      const kind = s.state === "COMPLETED" ? "savepoint-completed"
        : s.state === "FAILED" || s.state === "ABANDONED" ? "savepoint-failed" : "savepoint-progress";
      if (at >= from) {
        const mark = svg("circle", { cx: x(at), cy: 14, r: 6, class: kind, "data-savepoint-id": s.id });
        mark.append(svg("title", {}));
        mark.firstChild.textContent = s.origin + " savepoint " + s.state + " " + new Date(at).toLocaleTimeString();
        line.append(mark);
      }
      if (list.childElementCount < 3) {
        list.append(el("li", { "data-savepoint-id": s.id, "data-state": s.state },
          s.origin.toLowerCase() + " savepoint " + s.state + ", " + ago(s.completedAt || s.requestedAt)));
      }
    }
    box.append(el("div", { class: "timeline", "data-job-id": j.id },
      el("div", {}, el("div", {}, j.name), list), line));
  }
}

function addEvent(e) {
  if (state.shownEvents.has(e.id)) return; // replayed by a resumed stream
  state.shownEvents.add(e.id);
  state.lastEventTime = e.time;
  const list = $("events");
  const item = el("li", { class: "severity-" + e.severity, "data-event-id": e.id },
    new Date(e.time).toLocaleTimeString() + "  " + e.severity.padEnd(7) + " " + e.type
      + (e.jobId ? " [" + e.jobId.slice(0, 8) + "]" : "") + "  " + e.message
      + (e.count > 1 ? "  (×" + e.count + ")" : ""));
  list.prepend(item);
  while (list.childElementCount > MAX_EVENTS) list.lastChild.remove();
  if (e.jobId && e.type.startsWith("SAVEPOINT_")) readSavepoints(e.jobId, true).then(renderTimelines, () => {});
}

// Server-sent events through fetch, which (unlike EventSource) can send the Authorization header.
async function followEvents() {
  if (state.stream) state.stream.abort();
  const controller = new AbortController();
  state.stream = controller;
  $("events").replaceChildren();
  state.shownEvents.clear();
  state.lastEventTime = null;
  while (!controller.signal.aborted) {
    try {
      $("stream-state").textContent = "(connecting)";
      // The last quarter of an hour first; after a break, from the last event shown on.
      const since = state.lastEventTime || new Date(Date.now() - 15 * 60 * 1000).toISOString();
      const r = await fetch("/api/v1/events/stream?since=" + encodeURIComponent(since), {
        headers: { Accept: "text/event-stream", Authorization: "Bearer " + state.token },
        signal: controller.signal,
      });
      if (!r.ok) throw new Error("event stream: " + r.status);
      $("stream-state").textContent = "(live)";
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
          const name = (block.split("\n").find((l) => l.startsWith("event:")) || "").slice(6).trim();
          if (data && name !== "dropped") addEvent(JSON.parse(data));
        }
      }
    } catch (e) {
      if (controller.signal.aborted) return;
    }
    $("stream-state").textContent = "(reconnecting)";
    await new Promise((res) => setTimeout(res, 3000));
  }
}

async function refresh() {
  if (!state.token) {
    showProblem("Enter a viewer or operator token to read the sidecar.");
    return;
  }
  try {
    const [cluster, jobs] = await Promise.all([api("/api/v1/cluster"), api("/api/v1/jobs", true)]);
    renderCluster(cluster);
    renderJobs(jobs);
    await Promise.all(jobs.jobs.map((j) => readSavepoints(j.id, false)));
    renderTimelines();
    showProblem(null);
    $("updated").textContent = "Updated " + new Date().toLocaleTimeString() + ".";
  } catch (e) {
    showProblem(e.status === 401 || e.status === 403 ? "The token was refused: " + e.message : "Cannot read the sidecar: " + e.message);
  }
}

function useToken(token) {
  state.token = token || null;
  state.etags = {};
  if (token) sessionStorage.setItem("flink-supervisor.token", token);
  else sessionStorage.removeItem("flink-supervisor.token");
  refresh();
  if (token) followEvents();
  else if (state.stream) state.stream.abort();
}

function start() {
  $("window-minutes").textContent = String(WINDOW_MS / 60000);
  // A link may carry the token in its fragment (never sent to the server); it is moved into this
  // tab's storage and taken out of the address bar and history.
  const fromLink = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromLink) history.replaceState(null, "", location.pathname);
  $("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    useToken($("token").value.trim());
    $("token").value = "";
  });
  $("forget").addEventListener("click", () => useToken(null));
  useToken(fromLink || sessionStorage.getItem("flink-supervisor.token"));
  setInterval(refresh, POLL_MS);
}

document.addEventListener("DOMContentLoaded", start);
