// Fleet: agents with their inputs, spool and lag, and the audit's
// findings (silent sources, missing agents, gaps, drops), from
// /api/v1/fleet and /api/v1/fleet/audit.
import {h, fill, compact, notice, ago} from "./dom.js";
import {get, ApiError} from "./api.js";

export function show(container) {
  const body = h("div", {id: "fleet"}), audit = h("div", {id: "fleet-audit"});
  fill(container, h("h1", {}, "Fleet"), body, h("h2", {}, "Audit"), audit);
  let stopped = false, timer = null;

  async function refresh() {
    try {
      const answer = await get("/api/v1/fleet");
      if (stopped) return;
      const agents = answer.data?.agents ?? [];
      fill(body, agents.length ? h("table", {class: "data", id: "agents"},
        h("caption", {}, `${agents.filter((agent) => agent.state === "up").length} of ${agents.length} agents up`),
        h("thead", {}, h("tr", {}, ["Agent", "Host", "State", "Last seen", "Version", "Config", "Spool", "Oldest unacked", "Inputs"].map((title) => h("th", {scope: "col"}, title)))),
        h("tbody", {}, agents.map((agent) => h("tr", {class: agent.state === "up" ? "up" : "down"},
          h("th", {scope: "row"}, agent.id), h("td", {}, agent.host), h("td", {}, h("span", {class: `badge ${agent.state === "up" ? "ok" : "bad"}`}, agent.state)),
          h("td", {}, agent.last_seen ? ago(Date.parse(agent.last_seen)) : ""), h("td", {}, agent.version), h("td", {}, agent.config_version ?? "—"),
          h("td", {class: "number"}, `${compact(agent.spool_bytes)} B`), h("td", {class: "number"}, `${compact(agent.oldest_unacked_s)} s`),
          h("td", {}, (agent.inputs ?? []).map((input) => h("span", {class: `copy ${input.state === "ok" || input.state === "up" ? "sealed" : "open"}`},
            `${input.name} (${input.type}) ${input.state}, ${compact(input.records)} records`))))))) : h("p", {class: "muted"}, "No agent has connected to this node yet."));
    } catch (error) {
      if (stopped) return;
      fill(body, notice(error instanceof ApiError && error.status === 404 ? "info" : "error",
        error instanceof ApiError && error.status === 404 ? "The fleet inventory is not available on this node (it answers 404 for /api/v1/fleet): it needs a version with the fleet API." : error.message));
    }
    try {
      const answer = await get("/api/v1/fleet/audit");
      if (stopped) return;
      const findings = answer.data?.findings ?? [];
      fill(audit, findings.length ? h("ul", {class: "findings"}, findings.map((finding) => h("li", {class: `finding ${finding.kind}`},
        h("span", {class: "badge warn"}, finding.kind.replace(/_/g, " ")), " ", h("strong", {}, finding.subject), ` since ${finding.since ? ago(Date.parse(finding.since)) : "?"}: ${finding.detail}`)))
        : h("p", {class: "muted"}, "Every source is delivering."));
    } catch (error) {
      if (stopped) return;
      fill(audit, error instanceof ApiError && error.status === 404 ? h("p", {class: "muted"}, "No audit on this node.") : notice("error", error.message));
    }
    if (!stopped) timer = setTimeout(refresh, 10000);
  }
  refresh();
  return () => { stopped = true; clearTimeout(timer); };
}
