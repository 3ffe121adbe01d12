// Alerts and incidents: firing and pending alerts, resolved ones (the
// history the node keeps), and each incident with its explanation.
import {h, fill, labelText, notice, formatTime} from "./dom.js";
import {get} from "./api.js";

export function show(container) {
  const active = h("div", {id: "alerts-active"}), history = h("div", {id: "alerts-history"}), incidents = h("div", {id: "incidents"});
  fill(container, h("h1", {}, "Alerts and incidents"), h("h2", {}, "Firing and pending"), active, h("h2", {}, "Resolved"), history, h("h2", {}, "Incidents"), incidents);
  let stopped = false, timer = null;

  const alertTable = (alerts, empty) => alerts.length ? h("table", {class: "data"},
    h("thead", {}, h("tr", {}, ["Alert", "State", "Since", "Value", "Labels", "Summary"].map((title) => h("th", {scope: "col"}, title)))),
    h("tbody", {}, alerts.map((alert) => h("tr", {class: `alert-${alert.state}`},
      h("th", {scope: "row"}, alert.labels.alertname ?? ""), h("td", {}, h("span", {class: `badge ${alert.state === "firing" ? "bad" : alert.state === "pending" ? "warn" : "ok"}`}, alert.state)),
      h("td", {}, formatTime(Date.parse(alert.resolvedAt ?? alert.activeAt), false)), h("td", {class: "number"}, alert.value),
      h("td", {}, labelText(alert.labels)), h("td", {}, alert.annotations.summary ?? alert.annotations.description ?? ""))))) : h("p", {class: "muted"}, empty);

  async function refresh() {
    const [current, resolved, raised] = await Promise.allSettled([get("/api/v1/alerts"), get("/api/v1/alerts", {resolved: "true"}), get("/api/v1/incidents")]);
    if (stopped) return;
    if (current.status === "fulfilled") fill(active, alertTable(current.value.data.alerts.filter((alert) => alert.state !== "inactive" && !alert.resolvedAt), "No alert is firing or pending."));
    else fill(active, notice("error", current.reason.message));
    if (resolved.status === "fulfilled") fill(history, alertTable(resolved.value.data.alerts.filter((alert) => alert.resolvedAt), "No alert resolved recently."));
    else fill(history, notice("error", resolved.reason.message));
    if (raised.status === "fulfilled") {
      const list = raised.value.data.incidents;
      fill(incidents, list.length ? h("ol", {class: "incidents"}, list.map((incident) => h("li", {},
        h("details", {}, h("summary", {}, h("strong", {}, incident.title), ` — ${formatTime(incident.triggered_at * 1000, false)} `, h("span", {class: "muted"}, labelText(incident.scope))),
          h("p", {}, `Began ${formatTime(incident.start * 1000, false)}; trigger: ${incident.trigger}`),
          h("ol", {class: "explanation"}, incident.explanation.map((step) => h("li", {}, step))))))) : h("p", {class: "muted"}, "No incidents."));
    } else fill(incidents, notice("error", raised.reason.message));
    timer = setTimeout(refresh, 10000);
  }
  refresh();
  return () => { stopped = true; clearTimeout(timer); };
}
