import { startLoader } from "./loader.ts";

// `currentScript` is only set while this script first runs, so it is read here, synchronously.
startLoader(document.currentScript as HTMLScriptElement | null);
