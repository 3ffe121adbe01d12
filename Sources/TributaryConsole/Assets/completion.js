// Completion of label names and values in a LogQL or PromQL box: a
// listbox under the input (ARIA combobox pattern), driven by the Loki
// label endpoints, answered from a small cache.
import {h, fill} from "./dom.js";
import {get} from "./api.js";

const cache = new Map();

async function cached(path) {
  if (!cache.has(path)) cache.set(path, get(path, {since: "6h"}).then((answer) => answer.data ?? []).catch(() => []));
  return cache.get(path);
}

/** What to complete at the cursor: {kind: "name"|"value", name, prefix, from} or null. */
export function contextAt(text, cursor) {
  const before = text.slice(0, cursor);
  const open = before.lastIndexOf("{");
  if (open < 0 || before.lastIndexOf("}") > open) return null;
  const inside = before.slice(open + 1);
  const item = inside.slice(Math.max(inside.lastIndexOf(","), -1) + 1);
  let match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)$/.exec(item);
  if (match) return {kind: "value", name: match[1], prefix: match[3], from: cursor - match[3].length};
  match = /^\s*([A-Za-z_][A-Za-z0-9_]*)?$/.exec(item);
  if (match) return {kind: "name", prefix: match[1] ?? "", from: cursor - (match[1] ?? "").length};
  return null;
}

/** Wraps an input with its completion list; returns the wrapper. */
export function completion(input) {
  const id = `${input.id}-completions`;
  const list = h("ul", {id, role: "listbox", class: "completions", hidden: true, "aria-label": "Suggestions"});
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", id);
  input.setAttribute("aria-expanded", "false");
  let options = [], active = -1, context = null, generation = 0;

  // Closing also outdates a lookup still on its way, so a late answer cannot reopen the list.
  const close = () => { generation++; list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; options = []; };
  const highlight = (index) => {
    active = index;
    [...list.children].forEach((item, position) => item.setAttribute("aria-selected", String(position === index)));
    if (index >= 0) input.setAttribute("aria-activedescendant", `${id}-${index}`);
  };
  const accept = (index) => {
    if (!context || index < 0 || index >= options.length) return;
    const value = options[index];
    const cursor = input.selectionStart ?? input.value.length;
    const insert = context.kind === "name" ? value : value.replace(/["\\]/g, "\\$&") + '"';
    input.value = input.value.slice(0, context.from) + insert + input.value.slice(cursor);
    const position = context.from + insert.length;
    input.setSelectionRange(position, position);
    close();
  };

  async function suggest() {
    context = contextAt(input.value, input.selectionStart ?? input.value.length);
    if (!context) { close(); return; }
    const mine = ++generation;
    const all = context.kind === "name" ? await cached("/loki/api/v1/labels") : await cached(`/loki/api/v1/label/${encodeURIComponent(context.name)}/values`);
    if (mine !== generation) return;
    options = all.filter((candidate) => candidate.startsWith(context.prefix) && candidate !== context.prefix).slice(0, 50);
    if (!options.length) { close(); return; }
    fill(list, options.map((option, index) => h("li", {id: `${id}-${index}`, role: "option", "aria-selected": "false",
      onmousedown: (event) => { event.preventDefault(); accept(index); }}, option)));
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(-1);
  }

  input.addEventListener("input", suggest);
  input.addEventListener("blur", () => setTimeout(close, 100));
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % options.length); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + options.length) % options.length); }
    else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) { event.preventDefault(); accept(active); }
    else if (event.key === "Enter") close();  // nothing chosen: the form runs the query
    else if (event.key === "Escape") { event.preventDefault(); close(); }
  });
  return h("span", {class: "combobox"}, input, list);
}
