// Cluster: what `trib cluster status` shows — nodes up or down, topology
// epochs, repair progress, partitions with their copies and digests that
// differ — refreshed every 5 seconds.
import {h, fill, compact, notice, ago} from "./dom.js";
import {get, ApiError} from "./api.js";

export function show(container) {
  const body = h("div", {id: "cluster"});
  const updated = h("p", {class: "muted", id: "cluster-updated", "aria-live": "polite"});
  fill(container, h("h1", {}, "Cluster"), updated, body);
  let timer = null, stopped = false;

  async function refresh() {
    try {
      const status = await get("/api/v1/cluster");
      if (stopped) return;
      draw(status);
      updated.textContent = `As seen by ${status.node}, updated ${new Date().toLocaleTimeString()}`;
    } catch (error) {
      if (stopped) return;
      const text = error instanceof ApiError && error.status === 403
        ? `The cluster page needs a token with the admin role (tenants[].tokens with roles: [admin]): ${error.message}`
        : error.message;
      fill(body, notice("error", text));
    }
    if (!stopped) timer = setTimeout(refresh, 5000);
  }

  function draw(status) {
    const up = status.nodes.filter((node) => node.up).length;
    const nodes = h("table", {class: "data", id: "nodes"},
      h("caption", {}, `Nodes: ${up} of ${status.nodes.length} up`),
      h("thead", {}, h("tr", {}, ["Node", "State", "Peer", "HTTP", "Zone", "Hints waiting", "Topology", "Problem"].map((title) => h("th", {scope: "col"}, title)))),
      h("tbody", {}, status.nodes.map((node) => h("tr", {class: node.up ? "up" : "down", dataset: {node: node.id, state: node.removed ? "removed" : node.up ? "up" : "down"}},
        h("th", {scope: "row"}, node.id, node.self ? " (this node)" : ""),
        h("td", {}, h("span", {class: `badge ${node.up ? "ok" : "bad"}`}, node.removed ? "removed" : node.up ? "up" : "down")),
        h("td", {}, node.peer), h("td", {}, node.http ?? ""), h("td", {}, node.zone ?? ""),
        h("td", {class: "number"}, `${node.hints_pending}${node.hint_bytes ? ` (${compact(node.hint_bytes)} B)` : ""}`),
        h("td", {}, node.topology_mismatch ? h("span", {class: "badge bad"}, "different topology") : (node.topology_hash ?? "").slice(0, 12)),
        h("td", {}, [node.error, node.credentials_differ ? "peer credentials differ" : null].filter(Boolean).join("; "))))));
    const topology = status.topology;
    const epochs = h("table", {class: "data", id: "epochs"},
      h("caption", {}, `Topology ${topology.hash.slice(0, 12)}: replication factor ${topology.replication_factor}, write quorum ${topology.write_quorum}, partitions of ${topology.partition_span_seconds} s`),
      h("thead", {}, h("tr", {}, ["From", "Nodes", "Shards"].map((title) => h("th", {scope: "col"}, title)))),
      h("tbody", {}, topology.epochs.map((epoch) => h("tr", {}, h("td", {}, epoch.from ?? "the beginning"), h("td", {}, epoch.nodes.join(", ")), h("td", {class: "number"}, epoch.shards)))));
    const repair = status.repair;
    const repairText = h("p", {id: "repair"}, h("strong", {}, "Repair: "),
      `${repair.passes} passes${repair.running ? " (one running)" : ""}, last ${repair.last_pass ? ago(Date.parse(repair.last_pass)) : "never"}; `,
      `${repair.compared} partitions compared, ${repair.differing} differ, ${repair.repaired_partitions} repaired, ${compact(repair.copied_records)} records copied`,
      repair.last_error ? h("span", {class: "badge bad"}, ` last error: ${repair.last_error}`) : null);
    const partitions = status.partitions.slice(-200).reverse();
    const differs = (partition) => new Set(partition.copies.filter((copy) => copy.sealed).map((copy) => copy.sha256)).size > 1
      || partition.replicas.some((replica) => !partition.copies.some((copy) => copy.node === replica));
    const table = h("table", {class: "data", id: "partitions"},
      h("caption", {}, `Partitions (newest ${partitions.length} of ${status.partitions.length})`),
      h("thead", {}, h("tr", {}, ["Partition", "Tenant", "Start", "Shard", "Replicas", "Copies"].map((title) => h("th", {scope: "col"}, title)))),
      h("tbody", {}, partitions.map((partition) => h("tr", {class: differs(partition) ? "differs" : ""},
        h("td", {}, partition.name), h("td", {}, partition.tenant), h("td", {}, partition.start), h("td", {class: "number"}, `${partition.shard + 1}/${partition.shards}`),
        h("td", {}, partition.replicas.join(", ")),
        h("td", {}, partition.copies.map((copy) => h("span", {class: `copy ${copy.sealed ? "sealed" : "open"}`, title: copy.sha256},
          `${copy.node}: ${compact(copy.records)}${copy.sealed ? ` ${copy.sha256.slice(0, 8)}` : " open"}`)), differs(partition) ? h("span", {class: "badge bad"}, "differ") : null)))));
    fill(body, nodes, repairText, epochs, table);
  }

  refresh();
  return () => { stopped = true; clearTimeout(timer); };
}
