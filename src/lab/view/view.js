// tern-lab view: the page. Draws the topology the server made from the lab's YAML
// (/topology.svg), colours links and BGP sessions from /api/state every second, and shows a
// session's ladder, a router's routes or a link's capture on a click. Cutting a link is a
// POST carrying the token tern-lab printed at start (given to the page in the URL's fragment,
// #token=..., which never leaves the browser).
"use strict";

const POLL_MS = 1000;
const COLOURS = { up: "#2e8b3a", starting: "#d9822b", down: "#c62828", unknown: "#888888" };
let token = "";
let selected = null;
let refresh = null; // shows the selected router's routes or session's ladder again
let polls = 0;

function takeToken() {
  const m = /(?:^#|&)token=([0-9a-f]+)/.exec(location.hash);
  if (m) {
    token = m[1];
    sessionStorage.setItem("tern-lab-token", token);
    history.replaceState(null, "", location.pathname + location.search);
  } else {
    token = sessionStorage.getItem("tern-lab-token") || "";
  }
  document.getElementById("token-state").textContent = token
    ? "Token given: links can be cut and restored from this page."
    : "No token: the page only looks. Open the address tern-lab view printed (with #token=...) to cut links.";
}

function el(tag, text) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  return e;
}

function showText(title, text) {
  document.getElementById("details-title").textContent = title;
  const body = document.getElementById("details-body");
  body.replaceChildren(el("pre", text));
}

async function fetchText(url) {
  const r = await fetch(url, { cache: "no-store" });
  const t = await r.text();
  if (!r.ok) throw new Error(t || r.statusText);
  return t;
}

function select(g) {
  refresh = null;
  if (selected) selected.classList.remove("selected");
  selected = g;
  if (g) g.classList.add("selected");
  document.getElementById("details-actions").replaceChildren();
}

async function showRouter(g, again) {
  if (!again) select(g);
  const node = g.dataset.node;
  if (!g.classList.contains("router")) {
    showText(node, "A PC: its link's capture shows what it sends (click the link).");
    return;
  }
  if (!again) showText(node + "# show ip route", "asking " + node + "…");
  try {
    showText(node + "# show ip route", await fetchText("/api/routes?node=" + encodeURIComponent(node)));
  } catch (e) {
    showText(node + "# show ip route", String(e.message));
  }
  // the table follows the lab: a cut link's reconvergence shows here
  if (selected === g) refresh = () => showRouter(g, true);
}

async function showSession(g, again) {
  if (!again) select(g);
  const a = g.dataset.a, peer = g.dataset.aPeer;
  const title = "BGP session " + a + " - " + g.dataset.b + ": " + a + "'s message ladder";
  document.getElementById("details-title").textContent = title;
  const body = document.getElementById("details-body");
  try {
    const svg = await fetchText("/api/ladder?node=" + encodeURIComponent(a) + "&peer=" + encodeURIComponent(peer) +
                                  "&name=" + encodeURIComponent(g.dataset.b));
    const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
    body.replaceChildren(document.importNode(doc.documentElement, true));
  } catch (e) {
    showText(title, String(e.message));
  }
  if (selected === g) refresh = () => showSession(g, true);
}

async function setLink(index, state) {
  try {
    const r = await fetch("/api/link", {
      method: "POST",
      headers: { "X-Tern-Token": token, "Content-Type": "application/x-www-form-urlencoded" },
      body: "link=" + index + "&state=" + state,
    });
    const t = await r.text();
    document.getElementById("details-actions").append(el("span", " " + t));
  } catch (e) {
    document.getElementById("details-actions").append(el("span", " " + e.message));
  }
  poll();
}

async function showLink(g) {
  select(g);
  const index = g.dataset.link;
  const title = "link " + g.dataset.a + " — " + g.dataset.b;
  const actions = document.getElementById("details-actions");
  for (const state of ["down", "up"]) {
    const b = el("button", state === "down" ? "cut this link" : "restore this link");
    b.id = "link-" + state;
    b.disabled = !token;
    b.title = token ? "" : "needs the token tern-lab view printed";
    b.addEventListener("click", () => setLink(index, state));
    actions.append(b);
  }
  showText(title + ": capture", "reading the capture…");
  try {
    showText(title + ": capture", await fetchText("/api/capture?link=" + encodeURIComponent(index)));
  } catch (e) {
    showText(title + ": capture", String(e.message));
  }
}

function sessionState(routers, node, peer) {
  const r = routers[node];
  if (!r || !peer || !r[peer]) return null;
  return r[peer].state;
}

function colourOf(state) {
  if (state === "Established") return "up";
  if (state === "Idle") return "down";
  if (!state) return "unknown";
  return "starting";
}

async function poll() {
  if (refresh && ++polls % 3 === 0) refresh();
  let state;
  try {
    state = JSON.parse(await fetchText("/api/state"));
  } catch (e) {
    return;
  }
  const svg = document.querySelector("#topology svg");
  if (!svg) return;
  for (const g of svg.querySelectorAll(".link")) {
    const s = state.links[Number(g.dataset.link)];
    const up = s && s.a === "up" && s.b === "up";
    const cut = s && (s.a === "down" || s.b === "down" || s.a === "missing" || s.b === "missing");
    const colour = up ? "up" : cut ? "down" : "unknown";
    g.dataset.state = up ? "up" : s ? s.a + "/" + s.b : "unknown";
    g.querySelector(".wire").setAttribute("stroke", COLOURS[colour]);
  }
  let established = 0;
  for (const g of svg.querySelectorAll(".session")) {
    const s = sessionState(state.routers, g.dataset.a, g.dataset.aPeer) ||
              sessionState(state.routers, g.dataset.b, g.dataset.bPeer) || "unknown";
    g.dataset.state = s;
    if (s === "Established") established++;
    g.querySelector(".arc").setAttribute("stroke", COLOURS[colourOf(s === "unknown" ? null : s)]);
  }
  for (const g of svg.querySelectorAll(".node.router")) {
    const alive = state.routers[g.dataset.node] !== null && state.routers[g.dataset.node] !== undefined;
    g.dataset.state = alive ? "running" : "not answering";
    g.querySelector("circle").setAttribute("fill", alive ? "#2c6fbb" : "#888888");
  }
  const summary = document.getElementById("summary");
  summary.dataset.established = established;
  summary.textContent = summary.dataset.nodes + " nodes, " + summary.dataset.links + " links, " +
    summary.dataset.sessions + " BGP sessions (" + established + " Established); state at " + state.time;
}

async function start() {
  takeToken();
  const svgText = await fetchText("/topology.svg");
  const doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
  const svg = document.importNode(doc.documentElement, true);
  document.getElementById("topology").replaceChildren(svg);
  const title = svg.querySelector(".title");
  document.getElementById("lab-name").textContent = title ? title.textContent.replace(/^lab /, "") : "";
  const summary = document.getElementById("summary");
  summary.dataset.nodes = svg.querySelectorAll(".node").length;
  summary.dataset.links = svg.querySelectorAll(".link").length;
  summary.dataset.sessions = svg.querySelectorAll(".session").length;
  for (const g of svg.querySelectorAll(".node")) g.addEventListener("click", () => showRouter(g));
  for (const g of svg.querySelectorAll(".link")) g.addEventListener("click", () => showLink(g));
  for (const g of svg.querySelectorAll(".session")) g.addEventListener("click", () => showSession(g));
  await poll();
  setInterval(poll, POLL_MS);
  // ?select=ID opens an element's details as a click would (a link to one session's ladder)
  const wanted = new URLSearchParams(location.search).get("select");
  const target = wanted && /^(node|link|session)-[A-Za-z0-9_.]+$/.test(wanted) && svg.getElementById(wanted);
  if (target) target.dispatchEvent(new MouseEvent("click"));
}

start();
