import { render } from "preact";
import { createApi } from "./adapters/api.ts";
import { createHttpClient } from "./adapters/http-client.ts";
import { createNotifier } from "./adapters/notifier.ts";
import { createSessionActions } from "./adapters/session.ts";
import { connectStaffSocket } from "./adapters/staff-socket.ts";
import { App } from "./app.tsx";
import { createCryptoClient, spawnCryptoWorker } from "./crypto/crypto-client.ts";

const api = createApi(createHttpClient((input, init) => fetch(input, init)));
const crypto = createCryptoClient(spawnCryptoWorker);
const now = () => Date.now();
const session = createSessionActions(api, crypto, now);
const root = document.getElementById("app");

if (root) {
  render(
    <App
      services={{ api, session, now }}
      crypto={crypto}
      connect={connectStaffSocket}
      notify={(t) => createNotifier(t)}
    />,
    root,
  );
}
