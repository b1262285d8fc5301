/** The tab title: `(3) Sahara` when there are unread messages or chats waiting for an answer. */
export function titleWithBadge(base: string, count: number): string {
  return count > 0 ? `(${count > 99 ? "99+" : count}) ${base}` : base;
}
