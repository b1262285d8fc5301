/**
 * Hash routes (`/console/#/chats`): the server serves one page, and nothing sensitive ever goes
 * into the URL (it lands in history and, without the hash, in logs).
 */
export const ADMIN_SECTIONS = ["staff", "partners", "hours", "canned", "referrals", "settings"] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

export type Route =
  | Readonly<{ type: "chats" }>
  | Readonly<{ type: "supervise" }>
  | Readonly<{ type: "stats" }>
  | Readonly<{ type: "admin"; section: AdminSection }>
  | Readonly<{ type: "enroll" }>;

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  switch (parts[0]) {
    case "supervise":
      return { type: "supervise" };
    case "stats":
      return { type: "stats" };
    case "enroll":
      return { type: "enroll" };
    case "admin": {
      const section = ADMIN_SECTIONS.find((s) => s === parts[1]) ?? "staff";
      return { type: "admin", section };
    }
    default:
      return { type: "chats" };
  }
}

export function routeHash(route: Route): string {
  switch (route.type) {
    case "chats":
    case "supervise":
    case "stats":
    case "enroll":
      return `#/${route.type}`;
    case "admin":
      return `#/admin/${route.section}`;
    default: {
      const never: never = route;
      return never;
    }
  }
}

export type RoleName = "counselor" | "supervisor" | "admin";

/** Which routes a role may open; others fall back to the chats screen. */
export function allowedRoute(route: Route, role: RoleName): Route {
  switch (route.type) {
    case "supervise":
      return role === "counselor" ? { type: "chats" } : route;
    case "stats":
    case "admin":
      return role === "admin" ? route : { type: "chats" };
    case "chats":
    case "enroll":
      return route;
    default: {
      const never: never = route;
      return never;
    }
  }
}
