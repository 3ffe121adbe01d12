// Metrics: a PromQL (or LogQL metric) query drawn as a line chart with a
// legend (click to hide a series), hover values and change events
// (deploys from `trib event`) as markers, or as a table.
import {h, fill, formatTime, labelText, compact, notice} from "./dom.js";
import {get, seconds, ApiError} from "./api.js";
import {fromParams, toParams, picker, stepFor} from "./timerange.js";
import {chart, palette} from "./chart.js";
import {completion} from "./completion.js";
import {queryError} from "./queryerror.js";

/** The change events to mark: lines with an event type among those this selector matches. */
export const defaultEvents = '{service=~".+"}';

export function show(container, params, {remember, signOut}) {
  let range = fromParams(params, "1h");
  let running = null, view = params.get("view") === "table" ? "table" : "chart";
  const input = h("input", {id: "query", type: "text", spellcheck: "false", autocomplete: "off", value: params.get("query") ?? "",
    placeholder: "sum by (route) (rate(checkout_requests[1m]))"});
  const events = h("input", {id: "events", type: "text", spellcheck: "false", value: params.get("events") ?? defaultEvents});
  const rangeSlot = h("span", {});
  const tabs = h("div", {class: "tabs", role: "group", "aria-label": "Show as"},
    h("button", {type: "button", id: "show-chart", "aria-pressed": String(view === "chart"), onclick: () => switchView("chart")}, "Chart"),
    h("button", {type: "button", id: "show-table", "aria-pressed": String(view === "table"), onclick: () => switchView("table")}, "Table"));
  const status = h("div", {id: "status", "aria-live": "polite"});
  const output = h("div", {id: "graph-output"});
  const legend = h("ul", {id: "legend", class: "legend", "aria-label": "Series (click to show or hide)"});
  const form = h("form", {class: "query-bar", role: "search"},
    h("label", {for: "query"}, "PromQL query"), completion(input), rangeSlot, h("button", {type: "submit", id: "run"}, "Run query"),
    h("details", {class: "events-option"}, h("summary", {}, "Change events"),
      h("label", {for: "events"}, "Mark events of"), events));
  fill(container, h("h1", {class: "visually-hidden"}, "Metrics"), form, tabs, status, output, legend);
  let last = null;

  const drawPicker = () => fill(rangeSlot, picker(range, (next) => { range = next; drawPicker(); run(); }));
  drawPicker();

  function switchView(next) {
    view = next;
    for (const button of tabs.children) button.setAttribute("aria-pressed", String(button.id === `show-${next}`));
    const url = new URLSearchParams(location.search);
    if (next === "table") url.set("view", "table"); else url.delete("view");
    remember(url, {replace: true});
    if (last) draw(last);
  }

  async function run({push = true} = {}) {
    running?.abort();
    const query = input.value.trim();
    if (!query) { fill(status, notice("info", "Enter a PromQL query, such as rate(checkout_requests[1m]).")); return; }
    const next = new URLSearchParams({query});
    toParams(range, next);
    if (events.value.trim() && events.value.trim() !== defaultEvents) next.set("events", events.value.trim());
    if (view === "table") next.set("view", "table");
    remember(next, {replace: !push});
    if (!range.absolute) range = fromParams(next, range.since);
    const controller = new AbortController();
    running = controller;
    fill(status, notice("info", h("span", {class: "spinner", "aria-hidden": "true"}), "Running… ",
      h("button", {type: "button", id: "cancel", onclick: () => controller.abort()}, "Cancel")));
    const step = stepFor(range);
    try {
      const [answer, marks] = await Promise.all([
        get("/api/v1/query_range", {query, start: seconds(range.start), end: seconds(range.end), step}, {signal: controller.signal}),
        changeEvents(events.value.trim(), controller.signal),
      ]);
      if (running !== controller) return;
      running = null;
      const data = answer.data ?? {};
      if (data.resultType === "lines") {
        fill(status, notice("info", "This is a log query: ", h("a", {href: `/explore?query=${encodeURIComponent(query)}`, "data-route": true}, "see its lines on Explore")));
        fill(output); fill(legend);
        return;
      }
      const series = (data.result ?? []).map((item, index) => ({
        name: labelText(item.metric ?? {}), labels: item.metric ?? {}, color: palette[index % palette.length], hidden: false,
        points: (item.values ?? (item.value ? [item.value] : [])).map(([time, value]) => [Number(time) * 1000, Number(value)]),
      }));
      last = {series, events: marks, step: step * 1000, range: {start: range.start, end: range.end}};
      fill(status, h("p", {class: "summary", id: "summary"}, `${series.length} series`, marks.length ? ` · ${marks.length} change event${marks.length === 1 ? "" : "s"}` : ""),
        (answer.warnings ?? []).map((warning) => notice("warning", warning)));
      draw(last);
    } catch (error) {
      if (running !== controller && error.name !== "AbortError") return;
      running = null;
      if (error.name === "AbortError") { fill(status, notice("info", "Query cancelled.")); return; }
      if (error instanceof ApiError && error.status === 401) { signOut("The node no longer accepts this token: sign in again."); return; }
      fill(status, queryError(query, error));
      fill(output); fill(legend);
    }
  }

  /** The change events in range: lines with an `event` type. */
  async function changeEvents(selector, signal) {
    if (!selector) return [];
    try {
      const answer = await get("/api/v1/query_range", {query: selector, start: seconds(range.start), end: seconds(range.end), limit: 5000, direction: "backward"}, {signal});
      return (answer.data?.lines ?? []).filter((line) => line.event).map((line) => ({
        time: Number(BigInt(line.ns) / 1000000n), type: line.event, text: `${line.event}: ${line.line} ${labelText(line.labels ?? {})}`,
      }));
    } catch (error) {
      if (error.name === "AbortError") throw error;
      return [];
    }
  }

  function draw(result) {
    fill(legend, result.series.map((series, index) => h("li", {},
      h("button", {type: "button", class: "legend-item", "aria-pressed": String(!series.hidden), onclick: (event) => {
        series.hidden = !series.hidden;
        event.currentTarget.setAttribute("aria-pressed", String(!series.hidden));
        if (view === "chart") output.firstChild?.update?.({series: result.series});
      }}, h("span", {class: "swatch", style: `background:${series.color}`}), series.name || `series ${index + 1}`))));
    const markers = h("ul", {class: "event-list", id: "event-markers", "aria-label": "Change events"},
      result.events.map((event) => h("li", {class: "event-marker", dataset: {time: String(event.time)}}, "⚑ ", formatTime(event.time, false), " ", event.text)));
    if (view === "table") {
      fill(output, h("table", {class: "data", id: "series-table"},
        h("thead", {}, h("tr", {}, h("th", {scope: "col"}, "Series"), h("th", {scope: "col"}, "Last value"), h("th", {scope: "col"}, "At"))),
        h("tbody", {}, result.series.map((series) => {
          const point = series.points[series.points.length - 1] ?? [NaN, NaN];
          return h("tr", {}, h("td", {}, series.name), h("td", {class: "number"}, compact(point[1])), h("td", {}, Number.isFinite(point[0]) ? formatTime(point[0], false) : ""));
        }))), markers);
      return;
    }
    fill(output, chart({kind: "line", range: result.range, series: result.series, events: result.events, step: result.step, height: 280,
      label: `Line chart of ${result.series.length} series; drag to zoom`,
      onZoom: (start, end) => { range = {start, end, absolute: true}; drawPicker(); run(); }}), markers);
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  if (input.value) run({push: false}); else input.focus();
  return () => running?.abort();
}
