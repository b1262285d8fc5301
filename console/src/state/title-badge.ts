/**
 * The tab title: `(3) Sahara` when there are unread messages, chats being opened, or visitors
 * waiting in the queue (whatever the counselor's status).
 */
export function titleWithBadge(base: string, count: number): string {
  return count > 0 ? `(${count > 99 ? "99+" : count}) ${base}` : base;
}
