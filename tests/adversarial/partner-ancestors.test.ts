import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LANGUAGES, type PartnerId } from "../../shared/protocol/index.ts";
import { startTestServer, type TestServer } from "../support/http-server.ts";

const ancestors = (res: Response) =>
  /frame-ancestors ([^;]*)/.exec(res.headers.get("content-security-policy") ?? "")?.[1] ?? "";

/** Every URL that answers with the frame page. */
const FRAME_PATHS = ["/frame/", "/frame/index.html", "/frame", ...LANGUAGES.map((l) => `/frame/${l}/`)];

/**
 * A partner's page (or anyone's) claiming another partner's id: the frame it loads must only be
 * framable by the claimed partner's origins, so the browser refuses to show it anywhere else.
 */
describe("adversarial: the frame's partner is bound to its ancestors", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    const repo = server.instance.repos.partners;
    for (const [id, origin, enabled] of [
      ["ngo-a", "https://a.example", true],
      ["ngo-b", "https://b.example", true],
      ["ngo-off", "https://off.example", false],
    ] as const) {
      const created = await repo.create({
        id: id as PartnerId,
        name: id,
        allowedOrigins: [origin],
        exitUrl: "https://weather.example/",
        defaultLanguage: "en",
        enabled,
        now: server.clock.t,
      });
      if (!created.ok) throw new Error(`partner ${id}: ${created.error}`);
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it("lists only the claimed partner's origins, whichever URL serves the frame page", async () => {
    for (const path of FRAME_PATHS) {
      expect(ancestors(await fetch(`${server.url}${path}?partner=ngo-a`)), path).toBe("https://a.example");
      expect(ancestors(await fetch(`${server.url}${path}?partner=ngo-b`)), path).toBe("https://b.example");
    }
  });

  it("lets nobody frame it for an unknown, disabled, malformed or missing partner", async () => {
    for (const query of [
      "?partner=nobody",
      "?partner=ngo-off",
      "?partner=NGO-A",
      "?partner=ngo-a%20https://evil.example",
      "?partner=ngo-a;frame-ancestors%20*",
      "?partner[]=ngo-a",
      "?partner=ngo-a&partner=ngo-b",
      "",
    ]) {
      for (const path of FRAME_PATHS) {
        const res = await fetch(`${server.url}${path}${query}`);
        expect(ancestors(res), `${path}${query}`).toBe("'none'");
      }
    }
  });
});
