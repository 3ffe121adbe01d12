// Small DOM helpers shared by the pages: element creation and formatting.

/** Creates an element: h("a", {href: "/x", onclick: f}, "text", child). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    // Through the CSSOM: the console's Content-Security-Policy refuses style attributes.
    else if (name === "style") element.style.cssText = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** Replaces a node's children. */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

/** "2026-12-03 16:04:26.123" in the browser's time zone. */
export function formatTime(milliseconds, withMilliseconds = true) {
  const date = new Date(milliseconds);
  const pad = (value, width = 2) => String(value).padStart(width, "0");
  const text = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return withMilliseconds ? `${text}.${pad(date.getMilliseconds(), 3)}` : text;
}

/** "3 min ago", "2 h ago". */
export function ago(milliseconds) {
  const seconds = Math.max(0, Math.round((Date.now() - milliseconds) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

/** 1234567 → "1.2M". */
export function compact(value) {
  const number = Number(value);
  if (!Number.isFinite(number)) return String(value);
  const magnitude = Math.abs(number);
  if (magnitude >= 1e9) return `${(number / 1e9).toFixed(1)}G`;
  if (magnitude >= 1e6) return `${(number / 1e6).toFixed(1)}M`;
  if (magnitude >= 1e4) return `${(number / 1e3).toFixed(1)}k`;
  if (Number.isInteger(number)) return String(number);
  return number.toPrecision(4).replace(/\.?0+$/, "");
}

/** `{a="1", b="2"}` of a label object. */
export function labelText(labels) {
  return "{" + Object.keys(labels).sort().map((name) => `${name}="${labels[name]}"`).join(", ") + "}";
}

/** A message box: kind is "error", "info" or "warning". */
export function notice(kind, ...children) {
  return h("div", {class: `notice ${kind}`, role: kind === "error" ? "alert" : "status"}, ...children);
}
