// The console's shell: login, the page router (History API, so every
// view is a URL and the back button works), log out.
import {h, fill, notice} from "./dom.js";
import {get, token, setToken, forgetToken, ApiError} from "./api.js";

const pages = {
  "/explore": () => import("./explore.js"),
  "/graph": () => import("./graph.js"),
  "/patterns": () => import("./patterns.js"),
  "/fleet": () => import("./fleet.js"),
  "/cluster": () => import("./cluster.js"),
  "/alerts": () => import("./alerts.js"),
};

const view = document.getElementById("view");
const logout = document.getElementById("logout");
/** The running page's clean-up (closes a tail, cancels a query). */
let leave = null;

/** Goes to a console URL, adding it to the history (or replacing the current entry). */
export function navigate(url, {replace = false} = {}) {
  if (replace) history.replaceState(null, "", url); else history.pushState(null, "", url);
  render();
}

/** Rewrites the current URL's parameters without drawing the page again. */
export function remember(params, {replace = false} = {}) {
  const url = `${location.pathname}?${params}`;
  if (url === location.pathname + location.search) return;
  if (replace) history.replaceState(null, "", url); else history.pushState(null, "", url);
}

function loginForm(message) {
  const field = h("input", {id: "token", name: "token", type: "password", autocomplete: "current-password", required: true});
  const status = h("div", {id: "login-status", "aria-live": "polite"}, message ? notice("error", message) : null);
  const form = h("form", {class: "login", "aria-labelledby": "login-title"},
    h("h1", {id: "login-title"}, "Sign in to Tributary"),
    h("p", {}, "Enter a token of this node's tenants (tenants[].tokens in node.yaml). It is kept in this tab only, until you log out."),
    h("label", {for: "token"}, "Token"), field,
    h("button", {type: "submit"}, "Sign in"), status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const candidate = field.value.trim();
    fill(status, notice("info", "Checking…"));
    try {
      // Any role proves the token: /metrics accepts them all.
      await get("/api/v1/status/buildinfo", {}, {credential: candidate}).catch(async (error) => {
        if (error instanceof ApiError && error.status === 403) return get("/metrics", {}, {credential: candidate});
        throw error;
      });
      setToken(candidate);
      render();
    } catch (error) {
      const text = error instanceof ApiError && error.status === 401
        ? "Wrong token: this node does not know it. Check tenants[].tokens in the node's configuration."
        : `Sign-in failed: ${error.message}`;
      fill(status, notice("error", text));
      field.select();
    }
  });
  return form;
}

function home() {
  const links = [
    ["/explore", "Explore logs", "Search with LogQL, see the histogram, follow a live tail."],
    ["/graph", "Metrics", "Chart PromQL queries with deploys and other change events marked."],
    ["/patterns", "Patterns", "The log templates behind a query, new ones highlighted."],
    ["/fleet", "Fleet", "Agents, their inputs, spools, and sources that went silent."],
    ["/cluster", "Cluster", "Nodes, topology epochs, partitions and their copies, repair."],
    ["/alerts", "Alerts and incidents", "Firing and pending alerts, history, explanations."],
  ];
  return h("section", {class: "home"}, h("h1", {}, "Tributary console"),
    h("ul", {class: "cards"}, links.map(([href, title, text]) => h("li", {}, h("a", {href, "data-route": true}, h("strong", {}, title), h("span", {}, text))))));
}

async function render() {
  if (leave) { try { leave(); } catch { /* ignore */ } leave = null; }
  for (const link of document.querySelectorAll("nav a")) {
    if (link.getAttribute("href") === location.pathname) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }
  if (!token()) {
    logout.hidden = true;
    fill(view, loginForm());
    document.getElementById("token").focus();
    return;
  }
  logout.hidden = false;
  const load = pages[location.pathname];
  if (!load) { fill(view, home()); return; }
  try {
    const page = await load();
    const container = h("section", {class: "page"});
    fill(view, container);
    leave = page.show(container, new URLSearchParams(location.search), {navigate, remember, signOut}) ?? null;
  } catch (error) {
    fill(view, notice("error", `Could not load this page: ${error.message}`));
  }
}

/** Forgets the token and shows the login form (also after a 401: the token was revoked). */
export function signOut(message) {
  forgetToken();
  if (leave) { try { leave(); } catch { /* ignore */ } leave = null; }
  logout.hidden = true;
  fill(view, loginForm(message));
}

logout.addEventListener("click", () => signOut());
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-route]");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(link.getAttribute("href"));
});
window.addEventListener("popstate", render);
render();
