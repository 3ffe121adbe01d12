// Explore: a LogQL box with completion, a time range, the histogram of
// the matching lines by severity (drag to zoom), the lines with their
// fields and context, and a live tail.
import {h, fill, formatTime, labelText, notice} from "./dom.js";
import {get, seconds, tail, ApiError} from "./api.js";
import {fromParams, toParams, picker, stepFor} from "./timerange.js";
import {chart} from "./chart.js";
import {completion} from "./completion.js";
import {queryError} from "./queryerror.js";

/** Lines a live tail keeps on screen; older ones are dropped. */
const tailLimit = 1000;
const pageLimit = 1000;

export function show(container, params, {remember, navigate, signOut}) {
  let range = fromParams(params, "1h");
  let running = null, socket = null, paused = false, held = [];
  const input = h("input", {id: "query", type: "text", spellcheck: "false", autocomplete: "off", value: params.get("query") ?? "",
    placeholder: '{app="checkout"} |= "error"'});
  const runButton = h("button", {type: "submit", id: "run"}, "Run query");
  const tailButton = h("button", {type: "button", id: "tail", "aria-pressed": "false"}, "Live tail");
  const pauseButton = h("button", {type: "button", id: "pause", hidden: true, "aria-pressed": "false"}, "Pause");
  const status = h("div", {id: "status", "aria-live": "polite"});
  const histogram = h("div", {id: "histogram", class: "histogram"});
  const results = h("div", {id: "results"});
  const rangeSlot = h("span", {});
  const form = h("form", {class: "query-bar", role: "search"},
    h("label", {for: "query"}, "LogQL query"), completion(input), rangeSlot, runButton, tailButton, pauseButton);
  fill(container, h("h1", {class: "visually-hidden"}, "Explore logs"), form, status, histogram, results);

  const setRange = (next) => { range = next; drawPicker(); };
  const drawPicker = () => fill(rangeSlot, picker(range, (next) => { setRange(next); run(); }));
  drawPicker();

  function stopTail() {
    if (socket) { socket.onclose = null; socket.close(); socket = null; }
    tailButton.setAttribute("aria-pressed", "false"); tailButton.textContent = "Live tail";
    pauseButton.hidden = true;
  }

  async function run({push = true} = {}) {
    stopTail();
    running?.abort();
    const query = input.value.trim();
    if (!query) { fill(status, notice("info", "Enter a LogQL query, such as {app=\"checkout\"} |= \"error\".")); return; }
    const next = new URLSearchParams({query});
    toParams(range, next);
    remember(next, {replace: !push});
    if (!range.absolute) range = fromParams(next, range.since);
    const controller = new AbortController();
    running = controller;
    const began = performance.now();
    const cancel = h("button", {type: "button", id: "cancel", onclick: () => controller.abort()}, "Cancel");
    fill(status, notice("info", h("span", {class: "spinner", "aria-hidden": "true"}), "Running… ", cancel));
    try {
      const answer = await get("/api/v1/query_range", {query, start: seconds(range.start), end: seconds(range.end), limit: pageLimit, direction: "backward",
        step: stepFor(range)}, {signal: controller.signal});
      if (running !== controller) return;
      running = null;
      const data = answer.data ?? {};
      if (data.resultType !== "lines") {
        fill(status, notice("info", "This is a metric query: ", h("a", {href: `/graph?query=${encodeURIComponent(query)}`, "data-route": true}, "chart it on the Metrics page")));
        fill(histogram); fill(results);
        return;
      }
      const lines = (data.lines ?? []).map((line) => ({...line, ms: Number(BigInt(line.ns ?? "0") / 1000000n)}));
      const took = Math.round(performance.now() - began);
      const warnings = answer.warnings ?? [];
      fill(status, h("p", {class: "summary", id: "summary"}, `${lines.length} line${lines.length === 1 ? "" : "s"}`,
        lines.length >= pageLimit ? ` (the newest ${pageLimit}; narrow the range for older ones)` : "", ` · ${took} ms`),
        warnings.map((warning) => notice("warning", warning)));
      drawHistogram(lines);
      drawLines(lines);
    } catch (error) {
      if (running !== controller && error.name !== "AbortError") return;
      running = null;
      if (error.name === "AbortError") { fill(status, notice("info", "Query cancelled.")); return; }
      if (error instanceof ApiError && error.status === 401) { signOut("The node no longer accepts this token: sign in again."); return; }
      fill(status, queryError(query, error));
      fill(histogram); fill(results);
    }
  }

  function drawHistogram(lines) {
    const step = stepFor(range, 60) * 1000;
    const buckets = new Map();
    for (const line of lines) {
      const time = Math.floor(line.ms / step) * step;
      const bucket = buckets.get(time) ?? new Map();
      const severity = line.severity ?? "unknown";
      bucket.set(severity, (bucket.get(severity) ?? 0) + 1);
      buckets.set(time, bucket);
    }
    const order = ["emergency", "alert", "critical", "error", "warning", "notice", "info", "debug", "unknown"];
    const bars = [...buckets].map(([time, counts]) => ({time, stack: order.filter((name) => counts.has(name)).map((name) => [name, counts.get(name)])}));
    fill(histogram, chart({kind: "bars", range: {start: range.start, end: range.end}, bars: {step, buckets: bars}, height: 120,
      label: `Histogram of ${lines.length} matching lines by severity; drag to zoom`,
      onZoom: (start, end) => { setRange({start, end, absolute: true}); run(); }}));
  }

  function row(line) {
    const severity = line.severity ?? "unknown";
    const details = h("div", {class: "details", hidden: true});
    const summary = h("div", {class: `line sev-${severity}`, tabindex: "0", role: "button", "aria-expanded": "false"},
      h("time", {datetime: line.time}, formatTime(line.ms)),
      h("span", {class: "severity"}, line.event ? `event:${line.event}` : severity),
      h("span", {class: "labels"}, labelText(line.labels ?? {})),
      h("span", {class: "text"}, line.line));
    const toggle = () => {
      const open = details.hidden;
      details.hidden = !open;
      summary.setAttribute("aria-expanded", String(open));
      if (open && !details.firstChild) fill(details, detailsOf(line));
    };
    summary.addEventListener("click", toggle);
    summary.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(); } });
    return h("li", {class: "entry"}, summary, details);
  }

  function detailsOf(line) {
    const pairs = [...Object.entries(line.labels ?? {}).map(([name, value]) => ["label", name, value]),
      ...Object.entries(line.fields ?? {}).map(([name, value]) => ["field", name, value])];
    const context = h("div", {class: "context"});
    return [h("table", {class: "fields"}, h("tbody", {}, pairs.map(([kind, name, value]) => h("tr", {}, h("th", {scope: "row"}, name), h("td", {}, value), h("td", {class: "muted"}, kind))))),
      h("button", {type: "button", class: "context-button", onclick: () => showContext(line, context)}, "Show context"), context];
  }

  /** The ten lines before and after a line in its stream. */
  async function showContext(line, target) {
    const selector = "{" + Object.entries(line.labels ?? {}).map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(",") + "}";
    fill(target, notice("info", "Loading context…"));
    try {
      const ns = BigInt(line.ns);
      const [before, after] = await Promise.all([
        get("/api/v1/query_range", {query: selector, start: seconds(line.ms - 3600e3), end: (ns + 1n).toString(), limit: 11, direction: "backward"}),
        get("/api/v1/query_range", {query: selector, start: (ns + 1n).toString(), end: seconds(line.ms + 3600e3), limit: 10, direction: "forward"}),
      ]);
      const around = [...(before.data?.lines ?? []).reverse(), ...(after.data?.lines ?? [])];
      fill(target, h("ol", {class: "context-lines"}, around.map((other) =>
        h("li", {class: other.ns === line.ns ? "current" : ""}, h("time", {}, formatTime(Number(BigInt(other.ns) / 1000000n))), " ", other.line))));
    } catch (error) {
      fill(target, notice("error", error.message));
    }
  }

  function drawLines(lines) {
    const list = h("ol", {class: "lines", id: "lines", "aria-label": "Matching lines, newest first"});
    const fragment = document.createDocumentFragment();
    for (const line of lines) fragment.append(row(line));
    list.append(fragment);
    fill(results, list);
  }

  function startTail() {
    const query = input.value.trim();
    if (!query) return;
    running?.abort();
    stopTail();
    const list = h("ol", {class: "lines", id: "tail-lines", "aria-label": "Live tail, newest first", "aria-live": "off"});
    const counter = h("span", {id: "tail-count"}, "waiting for lines…");
    fill(status, notice("info", "Live tail of ", h("code", {}, query), ": ", counter));
    fill(histogram); fill(results, list);
    paused = false; held = [];
    let shown = 0;
    const add = (lines) => {
      const fragment = document.createDocumentFragment();
      for (const line of lines.reverse()) fragment.append(row({...line, ms: line.time, time: new Date(line.time).toISOString()}));
      list.prepend(fragment);
      while (list.childElementCount > tailLimit) list.lastElementChild.remove();
      shown += lines.length;
      counter.textContent = `${shown} line${shown === 1 ? "" : "s"} received` + (shown > tailLimit ? ` (the newest ${tailLimit} kept)` : "");
    };
    socket = tail(query, {start: String(BigInt(Date.now() - 60e3) * 1000000n),
      onLines: (lines) => {
        if (paused) { held.push(...lines); if (held.length > tailLimit) held.splice(0, held.length - tailLimit); counter.textContent = `paused: ${held.length} new line(s) waiting`; }
        else add(lines);
      },
      onClose: (code, reason) => { if (socket) { socket = null; stopTail(); fill(status, notice(code === 1008 ? "error" : "info", `Live tail ended${reason ? `: ${reason}` : ""}`)); } }});
    tailButton.setAttribute("aria-pressed", "true"); tailButton.textContent = "Stop tail";
    pauseButton.hidden = false; pauseButton.textContent = "Pause"; pauseButton.setAttribute("aria-pressed", "false");
    const next = new URLSearchParams({query, tail: "1"});
    remember(next, {replace: true});
    pauseButton.onclick = () => {
      paused = !paused;
      pauseButton.textContent = paused ? "Resume" : "Pause";
      pauseButton.setAttribute("aria-pressed", String(paused));
      if (!paused && held.length) { add(held); held = []; }
    };
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  tailButton.addEventListener("click", () => (socket ? stopTail() : startTail()));
  if (params.get("tail") === "1" && input.value) startTail();
  else if (input.value) run({push: false});
  else input.focus();
  return () => { running?.abort(); stopTail(); };
}
