import type { Language } from "../../../shared/protocol/envelopes.ts";
import type { Catalogue } from "./catalogue.ts";
import { en } from "./en.ts";
import { ur } from "./ur.ts";

/** Every catalogue at once, for tests and tools (the frame loads them one by one: catalogue.ts). */
export const CATALOGUES: Readonly<Record<Language, Catalogue>> = { en, ur };
