// The time range every page shares: relative (`since=15m`) or absolute
// (`start=…&end=…`, RFC 3339 or Unix seconds), read from and written to
// the URL so a view can be linked to.
import {h} from "./dom.js";

const units = {s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3};
export const relativeChoices = ["5m", "15m", "1h", "6h", "24h", "7d"];

/** Milliseconds of "15m", or NaN. */
export function duration(text) {
  const match = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(String(text ?? "").trim());
  return match ? Number(match[1]) * units[match[2]] : NaN;
}

/** Milliseconds of an RFC 3339 time or Unix seconds, or NaN. */
export function instant(text) {
  if (text === null || text === undefined || text === "") return NaN;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  return Date.parse(text);
}

/** The range a URL's parameters name: {start, end} in ms, and how to write it back. */
export function fromParams(params, fallback = "1h") {
  const start = instant(params.get("start"));
  const end = instant(params.get("end"));
  if (Number.isFinite(start)) {
    const until = Number.isFinite(end) ? end : Date.now();
    if (until > start) return {start, end: until, absolute: true};
  }
  let since = duration(params.get("since"));
  if (!Number.isFinite(since) || since <= 0) since = duration(fallback);
  const now = Date.now();
  return {start: now - since, end: now, absolute: false, since: params.get("since") || fallback};
}

/** Writes a range into URL parameters. */
export function toParams(range, params) {
  params.delete("since"); params.delete("start"); params.delete("end");
  if (range.absolute) {
    params.set("start", new Date(range.start).toISOString());
    params.set("end", new Date(range.end).toISOString());
  } else {
    params.set("since", range.since);
  }
}

/** `datetime-local`'s value of a time, in the browser's zone. */
function local(milliseconds) {
  const date = new Date(milliseconds - new Date(milliseconds).getTimezoneOffset() * 60e3);
  return date.toISOString().slice(0, 19);
}

/**
 * The picker: a relative choice or "custom" with two absolute inputs.
 * `onChange(range)` runs when the user picks.
 */
export function picker(range, onChange) {
  // A relative range from a link (since=10m) is offered even when it is not one of the usual choices.
  const choices = !range.absolute && !relativeChoices.includes(range.since) ? [range.since, ...relativeChoices] : relativeChoices;
  const select = h("select", {id: "range", "aria-label": "Time range"},
    choices.map((choice) => h("option", {value: choice, selected: !range.absolute && range.since === choice}, `Last ${choice}`)),
    h("option", {value: "custom", selected: range.absolute}, "Custom range"));
  const from = h("input", {type: "datetime-local", step: "1", id: "range-start", "aria-label": "Start", value: local(range.start)});
  const to = h("input", {type: "datetime-local", step: "1", id: "range-end", "aria-label": "End", value: local(range.end)});
  const custom = h("span", {class: "custom-range", hidden: !range.absolute}, from, " to ", to);
  const applyCustom = () => {
    const start = Date.parse(from.value), end = Date.parse(to.value);
    if (Number.isFinite(start) && Number.isFinite(end) && end > start) onChange({start, end, absolute: true});
  };
  select.addEventListener("change", () => {
    if (select.value === "custom") { custom.hidden = false; from.focus(); return; }
    custom.hidden = true;
    const span = duration(select.value);
    onChange({start: Date.now() - span, end: Date.now(), absolute: false, since: select.value});
  });
  from.addEventListener("change", applyCustom);
  to.addEventListener("change", applyCustom);
  return h("span", {class: "range-picker"}, select, custom);
}

/** A step that gives about `points` points over a range, in whole seconds. */
export function stepFor(range, points = 120) {
  const nice = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
  const wanted = (range.end - range.start) / 1000 / points;
  return nice.find((step) => step >= wanted) ?? 86400;
}
