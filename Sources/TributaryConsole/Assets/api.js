// The node's public HTTP API as the console uses it: the same endpoints
// Grafana and `trib query` call, with the token from session storage.

const tokenKey = "tributary.token";

export function token() { return sessionStorage.getItem(tokenKey); }
export function setToken(value) { sessionStorage.setItem(tokenKey, value); }
export function forgetToken() { sessionStorage.removeItem(tokenKey); }

/** An API answer that was not a success: status, message and, for query errors, the position. */
export class ApiError extends Error {
  constructor(status, message, position) {
    super(message);
    this.status = status;
    this.position = position;
  }
}

/** GETs `path` with `params`; resolves to the parsed JSON, rejects with ApiError. */
export async function get(path, params = {}, {signal, credential} = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.set(name, value);
  }
  const url = query.size ? `${path}?${query}` : path;
  const bearer = credential ?? token();
  let response;
  try {
    response = await fetch(url, {headers: bearer ? {Authorization: `Bearer ${bearer}`} : {}, signal});
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, `The node did not answer (${error.message}). Is it running, and is this the right address?`);
  }
  const text = await response.text();
  let body = null;
  try { body = JSON.parse(text); } catch { /* plain-text errors (Loki's shape) */ }
  if (!response.ok || (body && body.status === "error")) {
    const message = body?.error ?? (text.trim() || response.statusText);
    throw new ApiError(response.status, message, body?.position ?? undefined);
  }
  return body;
}

/** Seconds since the epoch, as the query API takes them. */
export function seconds(milliseconds) { return (milliseconds / 1000).toFixed(3); }

/**
 * Opens Loki's tail WebSocket for a LogQL query. The token travels as a
 * WebSocket protocol (browsers cannot set Authorization on a WebSocket,
 * and a token in the URL would be logged): `tributary.bearer.<base64url>`.
 */
export function tail(query, {onLines, onClose, start}) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const params = new URLSearchParams({query, limit: "100", delay_for: "0"});
  if (start) params.set("start", String(start));
  const encoded = btoa(String.fromCharCode(...new TextEncoder().encode(token() ?? "")))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const socket = new WebSocket(`${scheme}//${location.host}/loki/api/v1/tail?${params}`, ["tributary.tail", `tributary.bearer.${encoded}`]);
  socket.addEventListener("message", (event) => {
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    const lines = [];
    for (const stream of message.streams ?? []) {
      for (const [ns, line] of stream.values ?? []) lines.push({ns, time: Number(BigInt(ns) / 1000000n), labels: stream.stream ?? {}, line});
    }
    lines.sort((a, b) => a.time - b.time);
    if (lines.length) onLines(lines);
  });
  socket.addEventListener("close", (event) => onClose?.(event.code, event.reason));
  return socket;
}
