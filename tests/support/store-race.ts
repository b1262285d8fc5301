import type { SessionId } from "../../shared/protocol/index.ts";
import type { MemoryStore } from "../../server/state/memory-store.ts";

/**
 * Stages the race between two nodes on one store, at the store: the assigning node's
 * compare-and-set is held until the other node, which `end` sets off, is about to delete the
 * same session; then either the assignment is written first (`assignment-first`: the write
 * lands between the ending node's reads and its delete) or the delete is (`end-first`: the
 * assignment's compare-and-set finds the record gone). A delete conditional on the version the
 * ending node read (the sweep's) removes nothing when the assignment was written first.
 */
export function stageRace(
  store: MemoryStore,
  id: SessionId,
  order: "assignment-first" | "end-first",
  end: () => void,
) {
  const update = store.updateSession.bind(store);
  const remove = store.deleteSession.bind(store);
  let deleting = () => {};
  const deleteAsked = new Promise<void>((resolve) => {
    deleting = resolve;
  });
  let wrote = () => {};
  const written = new Promise<void>((resolve) => {
    wrote = resolve;
  });
  let removed = () => {};
  const gone = new Promise<void>((resolve) => {
    removed = resolve;
  });
  let heldUpdate = false;
  let heldDelete = false;
  store.updateSession = async (next) => {
    if (heldUpdate || next.id !== id || next.state !== "assigned") return update(next);
    heldUpdate = true;
    end();
    await deleteAsked;
    if (order === "end-first") await gone;
    const ok = await update(next);
    wrote();
    return ok;
  };
  store.deleteSession = async (sessionId, ifVersion) => {
    if (heldDelete || sessionId !== id) return remove(sessionId, ifVersion);
    heldDelete = true;
    deleting();
    if (order === "assignment-first") await written;
    const record = await remove(sessionId, ifVersion);
    removed();
    return record;
  };
  /** Resolves once the staged delete has run (whatever it removed). */
  return { deleted: gone };
}
