// The status page: polls /admin/overview once a second (the session cookie authenticates it) and redraws.
// Everything is written with textContent, never as HTML, so nothing a request carried can run here.
"use strict";

const POLL_MS = 1000;
const HISTORY = 120;
const burn = new Map();

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const cell of cells) {
    tr.appendChild(cell instanceof Node ? cell : el("td", cell));
  }
  return tr;
}

function td(child, id) {
  const cell = document.createElement("td");
  if (id) cell.id = id;
  cell.appendChild(child instanceof Node ? child : document.createTextNode(child));
  return cell;
}

function ms(value) {
  return value === null || value === undefined ? "–" : value + " ms";
}

function usd(value) {
  return "$" + Number(value).toFixed(value < 1 ? 6 : 2);
}

function percent(value) {
  return (100 * value).toFixed(1) + " %";
}

function replaceRows(tableId, rows) {
  const body = document.querySelector("#" + tableId + " tbody");
  body.replaceChildren(...rows);
}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {})
  });
  const answer = await response.json();
  const text = answer.error ? answer.error.message : (answer.result || answer.state || "done");
  document.getElementById("message").textContent = path + ": " + text;
  refresh();
}

// Ends the session on the gateway too, so a copy of the cookie left in this browser opens nothing afterwards.
async function signOut() {
  await fetch("/ui/logout", {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: "{}"
  });
  location.assign("/ui");
}

function breakerButton(target, breaker, deployment) {
  if (!breaker) return "";
  const wanted = breaker.state === "closed" ? "open" : "closed";
  const button = el("button", wanted === "open" ? "Force open" : "Close");
  button.type = "button";
  const body = deployment ? { state: wanted, deployment: deployment } : { state: wanted };
  button.addEventListener("click", () => post("/admin/targets/" + encodeURIComponent(target) + "/breaker", body));
  return button;
}

// A target with deployments has no breaker of its own: each deployment shows its state (in service, cooling
// down, ejected, or its breaker's) and the button of its own breaker.
function deploymentStates(t) {
  const box = el("span");
  for (const d of t.deployments) {
    const shown = d.breaker && d.breaker.forced ? d.state + " (forced)" : d.state;
    const look = d.state === "in_service" ? "closed" : d.state === "half_open" ? "half_open" : "open";
    const line = el("div");
    const state = el("span", d.name + ": " + shown, "state " + look);
    state.id = "deployment-" + t.name + "/" + d.name;
    state.dataset.state = d.state;
    line.appendChild(state);
    const button = breakerButton(t.name, d.breaker, d.name);
    if (button) line.append(" ", button);
    box.appendChild(line);
  }
  return box;
}

function drawTargets(targets) {
  replaceRows("targets", targets.map(t => {
    const recent = t.recent || {};
    const pooled = t.deployments && t.deployments.length > 0;
    const state = t.breaker ? t.breaker.state : "none";
    const stateCell = pooled ? td(deploymentStates(t), "breaker-" + t.name)
      : td(el("span", t.breaker && t.breaker.forced ? state + " (forced)" : state, "state " + state),
        "breaker-" + t.name);
    stateCell.dataset.state = pooled ? "deployments" : state;
    const hits = recent.cache_hits || 0, misses = recent.cache_misses || 0;
    return row([
      td(t.name + (t.kind === "llm" ? " (" + t.provider + ")" : "")),
      stateCell,
      td(recent.requests_per_s === undefined ? "–" : recent.requests_per_s.toFixed(2)),
      td(recent.requests ? recent.errors + " (" + percent(recent.error_ratio) + ")" : "–", "errors-" + t.name),
      td(ms(recent.p50_ms)),
      td(ms(recent.p99_ms)),
      td(hits + misses > 0 ? percent(hits / (hits + misses)) : "–"),
      td(pooled ? "" : breakerButton(t.name, t.breaker))
    ]);
  }));
}

function sparkline(points, limit) {
  const svgNs = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNs, "svg");
  svg.setAttribute("class", "spark");
  svg.setAttribute("viewBox", "0 0 " + HISTORY + " 20");
  svg.setAttribute("preserveAspectRatio", "none");
  const line = document.createElementNS(svgNs, "polyline");
  const offset = HISTORY - points.length;
  line.setAttribute("points", points.map((left, i) =>
    (offset + i) + "," + (20 - 20 * (limit > 0 ? left / limit : 0)).toFixed(2)).join(" "));
  svg.appendChild(line);
  return svg;
}

function drawBudgets(budgets) {
  replaceRows("budgets", budgets.map(b => {
    const key = b.owner + "-" + b.name + "-" + b.period;
    const history = burn.get(key) || [];
    history.push(b.left_usd);
    if (history.length > HISTORY) history.shift();
    burn.set(key, history);
    const bar = el("span", null, "bar");
    const fill = el("span");
    fill.style.width = Math.min(100, 100 * b.spent_usd / Math.max(b.limit_usd, 1e-12)).toFixed(1) + "%";
    bar.appendChild(fill);
    const spent = td(bar);
    spent.appendChild(document.createTextNode(" " + usd(b.spent_usd)));
    return row([
      td(b.owner + " " + b.name), td(b.period), spent, td(usd(b.left_usd), "budget-left-" + key),
      td(usd(b.limit_usd)), td(sparkline(history, b.limit_usd)), td(new Date(b.resets_at).toLocaleString())
    ]);
  }));
}

function drawStores(stores) {
  const parts = ["state: " + stores.backend];
  if (stores.cache.bytes !== null) parts.push("cache " + stores.cache.bytes + " B");
  if (stores.idempotency.in_flight !== null) {
    parts.push("idempotency " + stores.idempotency.in_flight + " in flight, " + stores.idempotency.finished_bytes + " B kept");
  }
  document.getElementById("stores").textContent = parts.join(" · ");
}

function drawFailures(failures) {
  replaceRows("failures", failures.map(f => {
    const trail = el("ol", null, "trail");
    for (const entry of f.trail) trail.appendChild(el("li", entry.text));
    return row([
      td(new Date(f.ended_at).toLocaleTimeString()), td(f.request_id), td(f.target || "–"), td(f.status),
      td(f.error_code || "upstream " + f.status), td(trail)
    ]);
  }));
}

async function refresh() {
  try {
    const response = await fetch("/admin/overview", { credentials: "same-origin", cache: "no-store" });
    if (response.status === 401) {
      document.getElementById("updated").textContent = "session ended: sign in again at /ui";
      return;
    }
    const data = await response.json();
    const reload = data.config.last_reload;
    document.getElementById("config").textContent = "config v" + data.config.version + " (" + data.config.digest
      + "), loaded " + new Date(data.config.loaded_at).toLocaleString()
      + (reload.result === "refused" ? " · last reload REFUSED: " + reload.problems.join("; ") : "");
    drawTargets(data.targets);
    drawBudgets(data.budgets);
    drawStores(data.stores);
    drawFailures(data.recent_failures);
    document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById("updated").textContent = "cannot reach the gateway; retrying";
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("reload").addEventListener("click", () => post("/admin/reload"));
  document.getElementById("logout").addEventListener("click", signOut);
  refresh();
  setInterval(refresh, POLL_MS);
});
