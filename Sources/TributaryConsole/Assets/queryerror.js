// A query error as `trib query` prints it: the message, and the query
// with a caret under the position the node names.
import {h, notice} from "./dom.js";

export function queryError(query, error) {
  const parts = [h("span", {class: "error-message"}, error.message)];
  if (Number.isInteger(error.position) && error.position >= 0 && error.position <= query.length) {
    parts.push(h("pre", {class: "caret", id: "error-position", "data-position": String(error.position)},
      query, "\n", " ".repeat(error.position) + "^"));
  }
  return notice("error", ...parts);
}
