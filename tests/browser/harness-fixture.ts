import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";

/**
 * A deliberately leaky page pair for the harness self-test: a "partner" page on 127.0.0.2
 * embeds a frame from 127.0.0.1 that stores a canary everywhere a browser can keep it and sends
 * it over a WebSocket. If the harness cannot find these, its "no trace" verdicts mean nothing.
 */
const leakyFrame = `<!doctype html><meta charset="utf-8"><title>leaky frame</title>
<p id="out">frame</p>
<script>
  let kept = null;
  window.plant = async (codes) => {
    const canary = String.fromCharCode(...codes);
    kept = { canary };
    localStorage.setItem("k", canary);
    sessionStorage.setItem("k", canary);
    await new Promise((resolve, reject) => {
      const open = indexedDB.open("leaky", 1);
      open.onupgradeneeded = () => open.result.createObjectStore("s");
      open.onsuccess = () => {
        const tx = open.result.transaction("s", "readwrite");
        tx.objectStore("s").put(canary, "k");
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      };
      open.onerror = () => reject(open.error);
    });
    const cache = await caches.open("leaky");
    await cache.put("/cached", new Response(canary));
    console.log("planted", canary);
    await new Promise((resolve) => {
      const ws = new WebSocket("ws://" + location.host + "/ws");
      ws.binaryType = "arraybuffer";
      ws.onopen = () => {
        ws.send("text:" + canary);
        ws.send(new TextEncoder().encode("bin:" + canary));
      };
      ws.onmessage = () => { ws.close(); resolve(); };
    });
    return true;
  };
  window.forget = () => { kept = null; };
  window.startWorker = () => {
    const blob = new Blob(["onmessage = (e) => postMessage(e.data)"], { type: "text/javascript" });
    window.worker = new Worker(URL.createObjectURL(blob));
  };
  window.stopWorker = () => window.worker.terminate();
</script>`;

const helplineTop = `<!doctype html><meta charset="utf-8"><title>helpline top</title>
<script>
  window.plantTop = async (codes) => {
    const canary = String.fromCharCode(...codes);
    document.cookie = "leak=" + canary + "; path=/; max-age=3600";
    await navigator.serviceWorker.register("/sw.js");
    await navigator.serviceWorker.ready;
    return true;
  };
</script>`;

const partnerPage = (frameOrigin: string) => `<!doctype html><meta charset="utf-8"><title>partner</title>
<h1>partner</h1><iframe id="f" src="${frameOrigin}/frame.html" title="frame"></iframe>`;

export type LeakyServers = Readonly<{
  helplineOrigin: string;
  partnerOrigin: string;
  close: () => Promise<void>;
}>;

async function listen(server: Server, host: string): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

function helplineRoute(url: string | undefined): Readonly<{ type: string; body: string }> | undefined {
  switch (url) {
    case "/frame.html":
      return { type: "text/html", body: leakyFrame };
    case "/top.html":
      return { type: "text/html", body: helplineTop };
    case "/sw.js":
      return { type: "text/javascript", body: "self.addEventListener('fetch', () => {});" };
    default:
      return undefined;
  }
}

export async function startLeakyServers(): Promise<LeakyServers> {
  const helpline = createServer((req, res) => {
    const found = helplineRoute(req.url);
    if (found) res.writeHead(200, { "content-type": found.type }).end(found.body);
    else res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server: helpline, path: "/ws" });
  wss.on("connection", (socket) => socket.on("message", () => socket.send("ok")));
  const helplineOrigin = await listen(helpline, "127.0.0.1");

  const partner = createServer((req, res) => {
    if (req.url === "/") res.writeHead(200, { "content-type": "text/html" }).end(partnerPage(helplineOrigin));
    else if (req.url === "/exit") res.writeHead(200, { "content-type": "text/html" }).end("<p>weather</p>");
    else res.writeHead(404).end();
  });
  const partnerOrigin = await listen(partner, "127.0.0.2");

  return {
    helplineOrigin,
    partnerOrigin,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      helpline.closeAllConnections();
      partner.closeAllConnections();
      await Promise.all([
        new Promise((resolve) => helpline.close(resolve)),
        new Promise((resolve) => partner.close(resolve)),
      ]);
    },
  };
}
