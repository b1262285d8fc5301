import type { RelayHandle } from "../relay/deps.ts";

/**
 * Prometheus counters, counts only: labels are route patterns and status classes, never an id,
 * a partner, a username or an address, so a scraped metrics store learns nothing about anyone.
 */
export type HttpMetrics = Readonly<{
  recordRequest: (route: string, status: number) => void;
  /** A request carried forwarding headers while TRUST_PROXY is unset (server/http/proxy-guard.ts). */
  recordUndeclaredProxy: () => void;
  render: (relay: ReturnType<RelayHandle["counts"]>, extra: Readonly<Record<string, number>>) => string;
}>;

const MAX_ROUTES = 200;

export function createHttpMetrics(): HttpMetrics {
  const requests = new Map<string, number>();
  let undeclaredProxy = 0;
  return {
    recordUndeclaredProxy() {
      undeclaredProxy++;
    },
    recordRequest(route, status) {
      // Route patterns are a fixed set; the cap guards against a bug turning paths into labels.
      const pattern = requests.size >= MAX_ROUTES ? "other" : route;
      const key = `${pattern}\u0000${Math.floor(status / 100)}xx`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
    },
    render(relay, extra) {
      const lines = [
        "# HELP sahara_waiting_sessions Survivors waiting in the queue.",
        "# TYPE sahara_waiting_sessions gauge",
        `sahara_waiting_sessions ${relay.waiting}`,
        "# HELP sahara_active_sessions Chats with a counselor.",
        "# TYPE sahara_active_sessions gauge",
        `sahara_active_sessions ${relay.active}`,
        "# HELP sahara_connections Open relay connections by side.",
        "# TYPE sahara_connections gauge",
        `sahara_connections{side="survivor"} ${relay.survivors}`,
        `sahara_connections{side="staff"} ${relay.staff}`,
      ];
      for (const [name, value] of Object.entries(extra)) {
        lines.push(`# TYPE ${name} gauge`, `${name} ${value}`);
      }
      lines.push(
        "# HELP sahara_undeclared_proxy_requests_total Requests with forwarding headers while TRUST_PROXY is unset.",
        "# TYPE sahara_undeclared_proxy_requests_total counter",
        `sahara_undeclared_proxy_requests_total ${undeclaredProxy}`,
        "# HELP sahara_http_requests_total HTTP requests by route pattern and status class.",
        "# TYPE sahara_http_requests_total counter",
      );
      for (const [key, count] of [...requests].sort(([a], [b]) => a.localeCompare(b))) {
        const [route, status] = key.split("\u0000");
        lines.push(`sahara_http_requests_total{route=${JSON.stringify(route)},status="${status}"} ${count}`);
      }
      return `${lines.join("\n")}\n`;
    },
  };
}
