// Patterns: the log templates of a query's streams, with counts, a
// sparkline of each over the range, and those first seen in the range
// highlighted.
import {h, fill, compact, notice, formatTime} from "./dom.js";
import {get, ApiError} from "./api.js";
import {fromParams, toParams, picker, stepFor} from "./timerange.js";
import {completion} from "./completion.js";
import {queryError} from "./queryerror.js";

function sparkline(samples, range) {
  const width = 160, height = 28;
  const max = Math.max(1, ...samples.map(([, count]) => count));
  const x = (time) => (time * 1000 - range.start) / (range.end - range.start) * width;
  const points = samples.map(([time, count]) => `${x(time).toFixed(1)},${(height - count / max * (height - 2) - 1).toFixed(1)}`).join(" ");
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`); svg.setAttribute("width", width); svg.setAttribute("height", height);
  svg.setAttribute("role", "img"); svg.setAttribute("aria-label", `${samples.length} samples, at most ${max}`);
  const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
  line.setAttribute("points", points); line.setAttribute("class", "spark");
  svg.append(line);
  return svg;
}

export function show(container, params, {remember}) {
  let range = fromParams(params, "1h");
  const input = h("input", {id: "query", type: "text", spellcheck: "false", autocomplete: "off", value: params.get("query") ?? "", placeholder: '{app="checkout"}'});
  const rangeSlot = h("span", {});
  const status = h("div", {id: "status", "aria-live": "polite"});
  const output = h("div", {id: "patterns"});
  const form = h("form", {class: "query-bar", role: "search"}, h("label", {for: "query"}, "Streams (LogQL selector)"), completion(input), rangeSlot,
    h("button", {type: "submit", id: "run"}, "Show patterns"));
  fill(container, h("h1", {class: "visually-hidden"}, "Log patterns"), form, status, output);
  const drawPicker = () => fill(rangeSlot, picker(range, (next) => { range = next; drawPicker(); run(); }));
  drawPicker();

  async function run({push = true} = {}) {
    const query = input.value.trim();
    const next = new URLSearchParams(query ? {query} : {});
    toParams(range, next);
    remember(next, {replace: !push});
    if (!range.absolute) range = fromParams(next, range.since);
    fill(status, notice("info", "Loading…"));
    try {
      const answer = await get("/loki/api/v1/patterns", {query, start: new Date(range.start).toISOString(), end: new Date(range.end).toISOString(), step: `${stepFor(range, 40)}s`});
      const entries = (answer.data ?? []).map((entry) => ({...entry, total: entry.lines ?? entry.samples.reduce((sum, [, count]) => sum + count, 0)}))
        .sort((a, b) => b.total - a.total);
      fill(status, h("p", {class: "summary"}, `${entries.length} pattern${entries.length === 1 ? "" : "s"}`));
      fill(output, entries.length ? h("table", {class: "data", id: "pattern-table"},
        h("thead", {}, h("tr", {}, ["Lines", "Over time", "Pattern", "First seen"].map((title) => h("th", {scope: "col"}, title)))),
        h("tbody", {}, entries.map((entry) => {
          const fresh = entry.first_seen && entry.first_seen * 1000 >= range.start;
          return h("tr", {class: fresh ? "new-pattern" : ""}, h("td", {class: "number"}, compact(entry.total)), h("td", {}, sparkline(entry.samples, range)),
            h("td", {}, h("code", {}, entry.pattern), fresh ? h("span", {class: "badge warn"}, "new") : null),
            h("td", {}, entry.first_seen ? formatTime(entry.first_seen * 1000, false) : ""));
        }))) : h("p", {class: "muted"}, "No patterns in this range. Patterns are mined as lines arrive (log_patterns in node.yaml)."));
    } catch (error) {
      fill(status, error instanceof ApiError && error.position !== undefined ? queryError(query, error) : notice("error", error.message));
      fill(output);
    }
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  run({push: false});
}
